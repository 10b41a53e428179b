"""Copy the stored product footprint estimates into the venue's own read model (``VenueFootprint``).

From now on the carbon app pushes every refreshed estimate there (``carbon.services``); this fills it
with the estimates that exist already, so the venue's footprint filter and ordering keep their data."""

from django.db import migrations


def copy_footprints(apps, schema_editor):
    ProductFootprint = apps.get_model("carbon", "ProductFootprint")
    VenueFootprint = apps.get_model("green_venue", "VenueFootprint")
    batch = []
    for footprint in ProductFootprint.objects.select_related("factor_set").iterator(chunk_size=2000):
        batch.append(
            VenueFootprint(
                product_id=footprint.product_id,
                factor_set_version=footprint.factor_set.version,
                kgco2e=footprint.kgco2e,
                tier=footprint.tier,
                grade=footprint.grade,
            )
        )
        if len(batch) >= 2000:
            VenueFootprint.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    VenueFootprint.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("carbon", "0005_label_breakdown_check_rounded"),
        ("green_venue", "0005_venue_footprint"),
    ]

    operations = [migrations.RunPython(copy_footprints, migrations.RunPython.noop)]
