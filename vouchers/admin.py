from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from vouchers.models import Allocation, AllocationBucket, BudgetEntry, Campaign, Voucher
from vouchers.selectors import allocation_issued, allocation_with_counts


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "total_budget", "allocated", "starts_at", "ends_at"]
    list_filter = ["status"]
    # Budgets and statuses change through the API's services, which keep the counters and the ledger.
    readonly_fields = ["total_budget", "allocated", "status", "version"]


class AllocationBucketInline(admin.TabularInline):
    model = AllocationBucket
    fields = ["index", "budget", "issued_amount"]
    readonly_fields = ["index", "budget", "issued_amount"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "budget", "face_value", "min_spend", "issued"]
    list_filter = ["campaign"]
    readonly_fields = ["budget", "face_value", "min_spend", "per_user_limit", "issued"]
    # The budget buckets change only through claims and releases, which keep them and the ledger in step.
    inlines = [AllocationBucketInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Allocation]:
        return allocation_with_counts(queryset=super().get_queryset(request))

    @admin.display(description=_("issued"))
    def issued(self, obj: Allocation) -> Decimal:
        # The figure every staff page shows; the buckets below are the counter that must agree with it.
        return allocation_issued(allocation=obj)


@admin.register(Voucher)
class VoucherAdmin(admin.ModelAdmin):
    list_display = ["code", "owner", "allocation", "status", "expires_at"]
    list_filter = ["status"]
    search_fields = ["code"]
    readonly_fields = [field.name for field in Voucher._meta.fields]


@admin.register(BudgetEntry)
class BudgetEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "allocation", "kind", "amount", "key"]
    list_filter = ["kind"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
