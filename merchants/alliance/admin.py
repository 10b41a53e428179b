"""Admin for the alliance's raw data. Status changes go through the API (services), which log them; the
admin shows memberships and history read-only where a direct edit would bypass the rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from merchants.alliance.models import (
    AllianceMembership,
    Commitment,
    Kpi,
    MembershipStatusChange,
    ProgressReport,
)


class StatusChangeInline(admin.TabularInline):
    model = MembershipStatusChange
    extra = 0
    can_delete = False
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AllianceMembership)
class AllianceMembershipAdmin(admin.ModelAdmin):
    list_display = ("merchant", "status", "criteria_passed", "applied_at", "activated_at")
    list_filter = ("status", "criteria_passed")
    search_fields = ("merchant__name",)
    list_select_related = ("merchant",)
    readonly_fields = (
        "merchant",
        "status",
        "pledges",
        "declarations",
        "criteria",
        "criteria_passed",
        "status_reason",
        "applied_at",
        "decided_at",
        "activated_at",
        "updated_at",
    )
    inlines = [StatusChangeInline]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "unit", "direction", "source", "active", "position")
    list_filter = ("source", "direction", "active")
    search_fields = ("code", "name_en", "name_zh")


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = (
        "membership",
        "kpi",
        "baseline_value",
        "target_value",
        "target_date",
        "verification_level",
    )
    list_filter = ("kpi", "verification_level", "target_type")
    list_select_related = ("membership__merchant", "kpi")
    raw_id_fields = ("membership",)


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("commitment", "period_start", "period_end", "value", "source", "created_at")
    list_filter = ("source",)
    list_select_related = ("commitment__kpi",)
    raw_id_fields = ("commitment", "created_by")
