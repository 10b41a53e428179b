from django.contrib import admin

from marketplace.catalog.models import Category, City, Product


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_zh", "province_en", "latitude", "longitude", "population_rank")
    list_filter = ("province_en",)
    search_fields = ("slug", "name_en", "name_zh", "province_en", "province_zh")
    ordering = ("population_rank", "slug")


class SubcategoryInline(admin.TabularInline):
    model = Category
    fields = ("slug", "name_en", "name_zh", "position")
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "name_en", "name_zh", "parent", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("slug", "name_en", "name_zh")
    list_select_related = ("parent",)
    inlines = [SubcategoryInline]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "name_en",
        "name_zh",
        "merchant",
        "category",
        "price",
        "stock",
        "active",
        "created_at",
    )
    list_filter = ("active", "ships_in_own_box", "category__parent", "merchant__city")
    search_fields = ("name_en", "name_zh", "merchant__name", "id")
    list_select_related = ("merchant", "category")
    raw_id_fields = ("merchant",)
    autocomplete_fields = ("category",)
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "updated_at")
