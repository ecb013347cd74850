"""Migration helpers for indexes only one database backend has."""

from django.db import migrations


def postgres_only_sql(*, forward: str, backward: str) -> migrations.RunPython:
    """A migration step that runs SQL on PostgreSQL and does nothing elsewhere.

    Full-text GIN indexes exist only there; SQLite searches the same
    normalised column with LIKE instead.
    """

    def run(sql):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(forward), run(backward))
