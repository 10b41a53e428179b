from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carbon import selectors, services
from carbon.models import CarbonLabel, Factor, FactorSet, Recomputation
from marketplace.core.errors import DomainError


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 0
    fields = ["key", "value", "unit", "scope", "source", "table", "proxy", "note"]

    # Factors of a published set are history: labels cite them.
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None


@admin.register(FactorSet)
class FactorSetAdmin(admin.ModelAdmin):
    list_display = ["version", "is_active", "published_at", "superseded_at", "progress"]
    readonly_fields = ["is_active", "published_at", "superseded_at", "progress"]
    inlines = [FactorInline]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.published_at is not None:
            return ["version", "description", "sources", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.published_at is None

    @admin.display(description=_("labels computed"))
    def progress(self, obj: FactorSet) -> str:
        if obj.published_at is None:
            return "-"
        data = selectors.recomputation_progress(obj)
        return f"{data['labelled']} / {data['orders']} ({data['percent']}%)"

    @admin.action(description=_("Publish (make active) and recompute labels in the background"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Publish one factor set at a time."), messages.ERROR)
            return
        try:
            services.factor_set_publish(factor_set=queryset.get())
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)
            return
        self.message_user(request, _("Published; labels are being recomputed in the background."))


@admin.register(CarbonLabel)
class CarbonLabelAdmin(admin.ModelAdmin):
    list_display = ["order", "factor_set", "total_kgco2e", "saving_kgco2e", "grade", "quality", "created_at"]
    list_filter = ["factor_set", "grade", "quality"]
    list_select_related = ["factor_set"]
    raw_id_fields = ["order"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # labels are immutable

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Recomputation)
class RecomputationAdmin(admin.ModelAdmin):
    list_display = ["factor_set", "total_orders", "batches_enqueued", "started_at", "enqueued_at"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
