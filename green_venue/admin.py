"""Raw data in the Django admin. Reviews go through the API or the review queue page (services keep the
log), so certificates are read-only here and the review log can never be edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from green_venue.models import (
    Certificate,
    CertificateNotice,
    CertificateReviewEntry,
    CertificationScheme,
    EvidenceFile,
    SchemeCategory,
    SchemeClaim,
    SchemeGrade,
)


class SchemeClaimInline(admin.TabularInline):
    model = SchemeClaim
    extra = 0


class SchemeCategoryInline(admin.TabularInline):
    model = SchemeCategory
    extra = 0


class SchemeGradeInline(admin.TabularInline):
    model = SchemeGrade
    extra = 0


@admin.register(CertificationScheme)
class CertificationSchemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "authority_type", "subject_level", "active", "position"]
    list_filter = ["authority_type", "subject_level", "active"]
    search_fields = ["code", "name_en", "name_zh"]
    inlines = [SchemeClaimInline, SchemeCategoryInline, SchemeGradeInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReviewEntryInline(admin.TabularInline):
    model = CertificateReviewEntry
    extra = 0
    can_delete = False
    readonly_fields = ["action", "from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "scheme", "merchant", "status", "valid_from", "valid_until", "created_at"]
    list_filter = ["status", "scheme"]
    search_fields = ["number", "holder", "merchant__name"]
    list_select_related = ["scheme", "merchant"]
    inlines = [ReviewEntryInline]


@admin.register(CertificateReviewEntry)
class CertificateReviewEntryAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "action", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["action"]


@admin.register(EvidenceFile)
class EvidenceFileAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "original_name", "content_type", "size", "sha256", "created_at"]
    exclude = ["file"]


@admin.register(CertificateNotice)
class CertificateNoticeAdmin(ReadOnlyAdmin):
    list_display = ["certificate", "merchant", "kind", "valid_until", "created_at", "dismissed_at"]
    list_filter = ["kind"]
