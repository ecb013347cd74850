from django.db import migrations

from gelar.common.migrations_util import postgres_only_sql

# The expression matches what gelar.common.search builds, so PostgreSQL uses it.
INDEX = "exhibitors_exhibitor_search_gin"


class Migration(migrations.Migration):
    dependencies = [("exhibitors", "0001_initial")]
    operations = [
        postgres_only_sql(
            forward=f"CREATE INDEX IF NOT EXISTS {INDEX} ON exhibitors_exhibitor USING gin "
            "(to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
            backward=f"DROP INDEX IF EXISTS {INDEX}",
        )
    ]
