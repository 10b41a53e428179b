import django.db.models.deletion
import marketplace.core.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AllocationBucket",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("index", models.PositiveSmallIntegerField()),
                ("budget", marketplace.core.fields.MoneyAmountField()),
                ("issued_amount", marketplace.core.fields.MoneyAmountField(default=0)),
                (
                    "allocation",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="buckets",
                        to="vouchers.allocation",
                    ),
                ),
            ],
            options={
                "ordering": ["allocation", "index"],
                "constraints": [
                    models.UniqueConstraint(fields=("allocation", "index"), name="allocation_bucket_unique"),
                    models.CheckConstraint(
                        condition=models.Q(("budget__gte", 0)), name="allocation_bucket_budget_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("issued_amount__gte", 0)), name="allocation_bucket_issued_not_negative"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("issued_amount__lte", models.F("budget"))),
                        name="allocation_bucket_issued_within_budget",
                    ),
                ],
            },
        ),
    ]
