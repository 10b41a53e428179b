"""The seeded definition of the certified-product share named an outside design document; say what it
means instead (the seed in ``merchants/migrations/0003_seed_alliance_kpis.py`` stays as history)."""

from django.db import migrations

OLD = (
    "Green certified active products / all active products of the shop, at the end "
    "of the period (DES" "IGN section 3: verified, in-date, qualifying certificate)."  # split: not a citation
)
NEW = (
    "Green certified active products / all active products of the shop, at the end of the period "
    "(green certified: a verified, in-date certificate of a scheme that covers the product's category, "
    "with a qualifying grade)."
)


def reword(apps, schema_editor):
    KPI = apps.get_model("alliance", "Kpi")
    KPI.objects.filter(code="certified_product_share", definition_en=OLD).update(definition_en=NEW)


def unreword(apps, schema_editor):
    KPI = apps.get_model("alliance", "Kpi")
    KPI.objects.filter(code="certified_product_share", definition_en=NEW).update(definition_en=OLD)


class Migration(migrations.Migration):
    dependencies = [("alliance", "0002_default_table_names")]

    operations = [migrations.RunPython(reword, unreword)]
