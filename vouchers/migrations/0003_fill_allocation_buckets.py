"""Split every existing allocation's budget into budget buckets and spread its issued amount over them.

Each bucket gets the floor or the ceiling of its share of the floor(budget / face) vouchers the budget
covers, and the vouchers already issued are spread the same way (so a bucket never holds more than its
budget). The split is written out here, not imported, so this migration keeps doing what it did.
"""

from decimal import Decimal

from django.conf import settings
from django.db import migrations


def _shares(total: int, count: int) -> list[int]:
    share, extra = divmod(total, count)
    return [share + (1 if index < extra else 0) for index in range(count)]


def fill_buckets(apps, schema_editor):
    Allocation = apps.get_model("vouchers", "Allocation")
    AllocationBucket = apps.get_model("vouchers", "AllocationBucket")
    wanted = getattr(settings, "VOUCHER_BUDGET_BUCKETS", 16)
    for allocation in Allocation.objects.order_by("pk").iterator():
        face = allocation.face_value
        vouchers = int(allocation.budget // face)
        count = max(1, min(wanted, vouchers))
        issued_vouchers = int(allocation.issued_amount // face)
        part = allocation.issued_amount - face * issued_vouchers  # zero unless the counter was off
        buckets = [
            AllocationBucket(allocation=allocation, index=index, budget=face * capacity, issued_amount=face * issued)
            for index, (capacity, issued) in enumerate(
                zip(_shares(vouchers, count), _shares(issued_vouchers, count), strict=True)
            )
        ]
        if part:
            room = next((b for b in buckets if b.issued_amount + part <= b.budget), None)
            if room is None:
                raise ValueError(
                    f"allocation {allocation.pk}: issued {allocation.issued_amount} does not fit its "
                    f"buckets; run manage.py reconcile_vouchers and correct it first"
                )
            room.issued_amount += part
        AllocationBucket.objects.bulk_create(buckets)


def fold_buckets(apps, schema_editor):
    Allocation = apps.get_model("vouchers", "Allocation")
    AllocationBucket = apps.get_model("vouchers", "AllocationBucket")
    for allocation in Allocation.objects.order_by("pk").iterator():
        issued = sum(
            AllocationBucket.objects.filter(allocation=allocation).values_list("issued_amount", flat=True),
            Decimal(0),
        )
        Allocation.objects.filter(pk=allocation.pk).update(issued_amount=issued)
    AllocationBucket.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vouchers", "0002_allocationbucket"),
    ]

    operations = [migrations.RunPython(fill_buckets, fold_buckets)]
