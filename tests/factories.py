from __future__ import annotations

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from marketplace.accounts.models import User
from marketplace.catalog.models import Category, City, Product
from merchants.models import Merchant


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


class CityFactory(DjangoModelFactory[City]):
    class Meta:
        model = City
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-city-{n}")
    name_en = factory.Sequence(lambda n: f"Test City {n}")
    name_zh = factory.Sequence(lambda n: f"测试城市{n}")
    province_en = "Testshire"
    province_zh = "测试省"
    latitude = Decimal("31.23040")
    longitude = Decimal("121.47370")


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"test-category-{n}")
    name_en = factory.Sequence(lambda n: f"Test category {n}")
    name_zh = factory.Sequence(lambda n: f"测试类目{n}")
    parent = None


class MerchantFactory(DjangoModelFactory[Merchant]):
    class Meta:
        model = Merchant

    owner = factory.SubFactory(UserFactory, username=factory.Sequence(lambda n: f"merchant{n}"))
    name = factory.Sequence(lambda n: f"Shop {n}")
    city = factory.SubFactory(CityFactory)


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    merchant = factory.SubFactory(MerchantFactory)
    category = factory.SubFactory(CategoryFactory)
    name_en = factory.Sequence(lambda n: f"Product {n}")
    name_zh = factory.Sequence(lambda n: f"商品{n}")
    price = Decimal("99.00")
    stock = 10
    weight_grams = 500
