"""Labels are immutable (docs/invariants.md, "One label per paid order and factor set"): on PostgreSQL a
trigger refuses any UPDATE of a label row, so not even a queryset ``update()`` or raw SQL can rewrite
one. Deleting an order still deletes its labels."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION carbon_label_refuse_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'carbon labels are immutable (label ' || OLD.id || ')',
        ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS carbon_label_immutable ON carbon_carbonlabel;
CREATE TRIGGER carbon_label_immutable BEFORE UPDATE ON carbon_carbonlabel
    FOR EACH ROW EXECUTE FUNCTION carbon_label_refuse_update();
"""

DROP = """
DROP TRIGGER IF EXISTS carbon_label_immutable ON carbon_carbonlabel;
DROP FUNCTION IF EXISTS carbon_label_refuse_update();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("carbon", "0003_product_footprint")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
