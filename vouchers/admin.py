from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from vouchers.models import Allocation, BudgetEntry, Campaign, Voucher


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "total_budget", "allocated", "starts_at", "ends_at"]
    list_filter = ["status"]
    # Budgets and statuses change through the API's services, which keep the counters and the ledger.
    readonly_fields = ["total_budget", "allocated", "status", "version"]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "budget", "face_value", "min_spend", "issued_amount"]
    list_filter = ["campaign"]
    readonly_fields = ["budget", "face_value", "min_spend", "per_user_limit", "issued_amount"]


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
