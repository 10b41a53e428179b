from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.core.fields import MoneyAmountField
from marketplace.core.i18n import BilingualNameMixin, prefers_chinese

MAX_PRICE = Decimal("9999999.99")
MAX_STOCK = 1_000_000
MAX_WEIGHT_GRAMS = 1_000_000  # one tonne: the heaviest thing a parcel marketplace ships


class City(BilingualNameMixin):
    slug = models.SlugField(max_length=64, unique=True)
    province_en = models.CharField(max_length=100)
    province_zh = models.CharField(max_length=100)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    population_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Rank by urban population, where known.")
    )

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = _("cities")

    @property
    def province(self) -> str:
        return self.province_zh if prefers_chinese() else self.province_en


class Category(BilingualNameMixin):
    """Two levels: a top category and its subcategories. A scope on a category includes its children."""

    slug = models.SlugField(max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name_plural = _("categories")


class ProductQuerySet(models.QuerySet["Product"]):
    def visible(self) -> ProductQuerySet:
        """Products a shopper may see: active, of an active shop."""
        return self.filter(active=True, merchant__status="active")


class Product(models.Model):
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, related_name="products")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="products")
    name_en = models.CharField(max_length=200)
    name_zh = models.CharField(max_length=200, blank=True)
    description_en = models.TextField(blank=True, max_length=5000)
    description_zh = models.TextField(blank=True, max_length=5000)
    price = MoneyAmountField(validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_PRICE)])
    stock = models.PositiveIntegerField(default=0, validators=[MaxValueValidator(MAX_STOCK)])
    weight_grams = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT_GRAMS)]
    )
    ships_in_own_box = models.BooleanField(
        default=False, help_text=_("May ship in its own packaging, without an extra box.")
    )
    declared_footprint_kg = models.DecimalField(
        max_digits=10,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Cradle-to-gate kgCO2e per unit from an ISO 14067, PAS 2050 or EPD document."),
    )
    declared_footprint_document = models.URLField(blank=True, max_length=500)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["category", "active"]),
            models.Index(fields=["merchant", "active"]),
            models.Index(fields=["price"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="product_price_positive"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="product_stock_not_negative"),
            models.CheckConstraint(condition=Q(weight_grams__gt=0), name="product_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if prefers_chinese():
            return self.name_zh or self.name_en
        return self.name_en or self.name_zh

    @property
    def description(self) -> str:
        if prefers_chinese():
            return self.description_zh or self.description_en
        return self.description_en or self.description_zh
