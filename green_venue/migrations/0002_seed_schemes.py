from django.db import migrations


def seed(apps, schema_editor):
    from green_venue.seed import load_schemes

    load_schemes(apps)


class Migration(migrations.Migration):
    dependencies = [("green_venue", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
