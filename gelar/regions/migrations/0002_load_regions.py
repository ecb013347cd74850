from django.db import migrations

from gelar.regions.services import regions_load_from_files


def load(apps, schema_editor):
    regions_load_from_files(
        province_model=apps.get_model("regions", "Province"),
        regency_model=apps.get_model("regions", "Regency"),
    )


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
