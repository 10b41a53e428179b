"""``load_demo_data --scale``: 100,000 products in 2,000 shops (PostgreSQL only), in committed batches.

Scale data is tagged by username prefix (``scale_m`` for shop owners, ``scale_s`` for shoppers), so it
never mixes with the hand-made demo. Row ``i`` is always generated the same way, and a re-run only
inserts the rows that are missing: an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import transaction
from django.db.models import Model

from marketplace.accounts.models import User
from marketplace.catalog.data import read_categories, read_cities
from marketplace.catalog.models import Category, City, Product
from marketplace.demo.catalog import expand_assortment, product_from_spec, product_spec
from marketplace.demo.context import DEMO_EMAIL_DOMAIN, DEMO_SEED, DemoContext, Progress
from merchants.models import LastMileVehicle, Merchant

SCALE_MERCHANT_PREFIX = "scale_m"
PRODUCTS_PER_SCALE_MERCHANT = 50
DEFAULT_SCALE_PRODUCTS = 100_000
DEFAULT_SCALE_ORDERS = 1_000_000

# Syllables of invented brand names, with the character each is written with.
SYLLABLES = (
    ("An", "安"), ("Bai", "百"), ("Bei", "贝"), ("Chen", "晨"), ("Feng", "丰"), ("Fu", "福"),
    ("Guang", "光"), ("He", "禾"), ("Hong", "宏"), ("Hua", "华"), ("Jia", "嘉"), ("Jin", "锦"),
    ("Kang", "康"), ("Lan", "兰"), ("Le", "乐"), ("Lv", "绿"), ("Ming", "明"), ("Mu", "木"),
    ("Nuo", "诺"), ("Qi", "琪"), ("Qing", "青"), ("Rui", "瑞"), ("Shan", "山"), ("Shu", "舒"),
    ("Tai", "泰"), ("Tian", "天"), ("Wei", "维"), ("Xin", "鑫"), ("Xing", "星"), ("Ya", "雅"),
    ("Yi", "怡"), ("Yuan", "源"), ("Yue", "悦"), ("Yun", "云"), ("Ze", "泽"), ("Zhi", "智"),
)  # fmt: skip
VEHICLES = (
    LastMileVehicle.DIESEL_VAN.value,
    LastMileVehicle.ELECTRIC_VAN.value,
    LastMileVehicle.CARGO_BIKE.value,
)
VEHICLE_WEIGHTS = (5, 3, 2)

ModelT = TypeVar("ModelT", bound=Model)


def _chunks(rows: Iterable[ModelT], size: int) -> Iterator[list[ModelT]]:
    chunk: list[ModelT] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def scale_merchant_username(index: int) -> str:
    return f"{SCALE_MERCHANT_PREFIX}{index + 1:06d}"


def _scale_shop(index: int) -> tuple[str, str, str, str, str]:
    """(brand_en, brand_zh, top category slug, city slug, vehicle) of scale shop ``index``."""
    rng = random.Random(f"{DEMO_SEED}:scale-shop:{index}")
    first, second = rng.sample(SYLLABLES, 2)
    brand_en = first[0] + second[0].lower()
    brand_zh = first[1] + second[1]
    tops = read_categories()
    top = tops[index % len(tops)]
    city = rng.choice(read_cities())["slug"]
    vehicle = rng.choices(VEHICLES, weights=VEHICLE_WEIGHTS)[0]
    return brand_en, brand_zh, top["slug"], city, vehicle


def _bulk_insert(ctx: DemoContext, label: str, rows: list[ModelT]) -> None:
    if not rows:
        return
    model = type(rows[0])
    progress = Progress(ctx.err, label, len(rows))
    for chunk in _chunks(rows, ctx.batch_size):
        with transaction.atomic():
            model._default_manager.bulk_create(chunk, batch_size=min(ctx.batch_size, 1000))
        progress.advance(len(chunk))
    progress.finish()


def ensure_scale_merchants(ctx: DemoContext, *, count: int) -> dict[int, Merchant]:
    """Shops 0..count-1 with their owners; returns them by index."""
    usernames = [scale_merchant_username(i) for i in range(count)]
    existing_users = set(
        User.objects.filter(username__startswith=SCALE_MERCHANT_PREFIX).values_list("username", flat=True)
    )
    new_users = [
        User(username=name, email=f"{name}@{DEMO_EMAIL_DOMAIN}", password=ctx.password_hash)
        for name in usernames
        if name not in existing_users
    ]
    _bulk_insert(ctx, "scale shop owners", new_users)
    ctx.count("scale users", len(new_users))

    owner_ids = dict(
        User.objects.filter(username__startswith=SCALE_MERCHANT_PREFIX).values_list("username", "id")
    )
    with_shop = set(
        Merchant.objects.filter(owner__username__startswith=SCALE_MERCHANT_PREFIX).values_list(
            "owner_id", flat=True
        )
    )
    cities = dict(City.objects.values_list("slug", "id"))
    kinds = {top["slug"]: (top["name_en"], top["name_zh"]) for top in read_categories()}
    new_shops = []
    for index, username in enumerate(usernames):
        if owner_ids[username] in with_shop:
            continue
        brand_en, brand_zh, top, city, vehicle = _scale_shop(index)
        kind_en, kind_zh = kinds[top]
        new_shops.append(
            Merchant(
                owner_id=owner_ids[username],
                name=f"{brand_en} {kind_en} No.{index + 1:05d} · {brand_zh}{kind_zh}{index + 1}号店",
                city_id=cities[city],
                last_mile_vehicle=vehicle,
                description=f"{kind_en}. {kind_zh}。",
            )
        )
    _bulk_insert(ctx, "scale shops", new_shops)
    ctx.count("scale merchants", len(new_shops))
    by_owner = {
        merchant.owner_id: merchant
        for merchant in Merchant.objects.select_related("city").filter(owner_id__in=owner_ids.values())
    }
    return {index: by_owner[owner_ids[username]] for index, username in enumerate(usernames)}


def ensure_scale_products(ctx: DemoContext, *, total: int) -> None:
    """Products 0..total-1: product ``p`` belongs to shop ``p // 50`` and carries model code ``S<p>``."""
    merchants = ensure_scale_merchants(ctx, count=math.ceil(total / PRODUCTS_PER_SCALE_MERCHANT))
    categories = dict(Category.objects.filter(parent__isnull=False).values_list("slug", "id"))
    existing = set(
        Product.objects.filter(merchant__owner__username__startswith=SCALE_MERCHANT_PREFIX)
        .values_list("name_en", flat=True)
        .iterator(chunk_size=10_000)
    )
    missing = total - min(len(existing), total)
    progress = Progress(ctx.err, "scale products", missing)
    created = 0

    def new_products() -> Iterator[Product]:
        for index, merchant in merchants.items():
            brand_en, brand_zh, top, _city, _vehicle = _scale_shop(index)
            subcategories = expand_assortment((top,))
            rng = random.Random(f"{DEMO_SEED}:scale-products:{index}")
            first = index * PRODUCTS_PER_SCALE_MERCHANT
            for number in range(first, min(first + PRODUCTS_PER_SCALE_MERCHANT, total)):
                # Drawn even when the row exists, so product p is the same whatever ran before.
                spec = product_spec(
                    rng,
                    subcategory=rng.choice(subcategories),
                    brand_en=brand_en,
                    brand_zh=brand_zh,
                    city_en=merchant.city.name_en,
                    city_zh=merchant.city.name_zh,
                    model_code=f"S{number + 1:06d}",
                )
                if spec.name_en not in existing:
                    yield product_from_spec(
                        spec, merchant_id=merchant.pk, category_id=categories[spec.category]
                    )

    for chunk in _chunks(new_products(), ctx.batch_size):
        with transaction.atomic():
            Product.objects.bulk_create(chunk, batch_size=min(ctx.batch_size, 1000))
        created += len(chunk)
        progress.advance(len(chunk))
    progress.finish()
    ctx.count("scale products", created)
