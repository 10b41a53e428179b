from django.db import migrations


class Migration(migrations.Migration):
    """The allocation's issued amount is now the sum of its buckets (0003 moved it there)."""

    dependencies = [
        ("vouchers", "0003_fill_allocation_buckets"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="allocation", name="allocation_issued_not_negative"),
        migrations.RemoveConstraint(model_name="allocation", name="allocation_issued_within_budget"),
        migrations.RemoveField(model_name="allocation", name="issued_amount"),
    ]
