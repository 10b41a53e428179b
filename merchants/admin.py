from django.contrib import admin

from merchants.models import Merchant


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "city", "last_mile_vehicle", "status", "created_at")
    list_filter = ("status", "last_mile_vehicle", "city")
    search_fields = ("name", "owner__username", "owner__email", "city__name_en", "city__name_zh")
    list_select_related = ("owner", "city")
    raw_id_fields = ("owner",)
    autocomplete_fields = ("city",)
