"""Load the default factor set shipped in carbon/data/ and make it the active one."""

from django.db import migrations
from django.utils.dateparse import parse_datetime


def load_default(apps, schema_editor):
    from carbon.factor_data import load_factor_set_data

    FactorSet = apps.get_model("carbon", "FactorSet")
    Factor = apps.get_model("carbon", "Factor")
    data = load_factor_set_data()
    if FactorSet.objects.filter(version=data["version"]).exists():
        return
    has_active = FactorSet.objects.filter(is_active=True).exists()
    factor_set = FactorSet.objects.create(
        version=data["version"],
        description=data.get("description", ""),
        sources=data["sources"],
        is_active=not has_active,
        published_at=parse_datetime(data["published_at"]),
    )
    Factor.objects.bulk_create(
        Factor(
            factor_set=factor_set,
            key=row["key"],
            value=row["value"],
            unit=row["unit"],
            scope=row["scope"],
            source=row["source"],
            table=row["table"],
            proxy=row["proxy"],
            note=row["note"],
        )
        for row in data["factors"]
    )


def unload_default(apps, schema_editor):
    from carbon.factor_data import load_factor_set_data

    FactorSet = apps.get_model("carbon", "FactorSet")
    FactorSet.objects.filter(version=load_factor_set_data()["version"], labels__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("carbon", "0001_initial")]

    operations = [migrations.RunPython(load_default, unload_default)]
