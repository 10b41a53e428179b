"""Demo products, generated from per-subcategory templates with a fixed seed.

``product_spec`` is pure (no database): the demo step and the ``--scale`` generator both use it.
"""

from __future__ import annotations

import random
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from marketplace.catalog.data import read_categories
from marketplace.catalog.models import Category, Product
from marketplace.demo.context import DEMO_EMAIL_DOMAIN, DemoContext
from marketplace.demo.people import SHOPS, merchant_username
from marketplace.demo.product_data import MODEL_NUMBER_TOPS, TEMPLATES
from merchants.models import Merchant

PRODUCTS_PER_SHOP = (14, 18)  # inclusive range; about 640 products for the 40 demo shops
DECLARED_FOOTPRINT_SHARE = 0.05
DECLARED_FOOTPRINT_TOPS = frozenset(
    {"home-appliances", "digital-electronics", "computers-office", "home-furniture", "home-improvement"}
)
FOOTPRINT_PLACES = Decimal("0.001")

COLOURS = (
    ("black", "黑色"),
    ("navy", "藏青色"),
    ("oatmeal", "燕麦色"),
    ("sage green", "灰绿色"),
    ("ivory", "米白色"),
    ("burgundy", "酒红色"),
)
PACKS = (("classic", "经典款"), ("value pack", "量贩装"), ("gift box", "礼盒装"))
VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "clothing": COLOURS,
    "shoes-bags": COLOURS,
    "home-furniture": (
        ("walnut", "胡桃色"),
        ("natural wood", "原木色"),
        ("ivory", "米白色"),
        ("grey", "灰色"),
    ),
    "beauty-personal-care": (("classic", "经典款"), ("limited edition", "限定款"), ("gift set", "礼盒装")),
    "food-beverages": (
        ("gift box", "礼盒装"),
        ("family pack", "家庭装"),
        ("new season", "新季"),
        ("value pack", "量贩装"),
    ),
    "fresh-produce": (("premium grade", "特级"), ("family pack", "家庭装"), ("gift box", "礼盒装")),
    "books-stationery": (("2025 edition", "2025年版"), ("gift edition", "礼品版"), ("classic", "经典款")),
    "pet-supplies": (("classic", "经典款"), ("value pack", "量贩装"), ("trial pack", "尝鲜装")),
    "garden-plants": (("starter", "入门款"), ("classic", "经典款"), ("gift box", "礼盒装")),
}

# Scents only where a scent makes sense.
SUBCATEGORY_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "cleaning-products": (
        ("lavender", "薰衣草香"),
        ("unscented", "无香"),
        ("lemon", "柠檬香"),
        ("value pack", "量贩装"),
    ),
    "laundry-detergent": (("lavender", "薰衣草香"), ("unscented", "无香"), ("value pack", "量贩装")),
}

FEATURES: dict[str, tuple[tuple[str, str], ...]] = {
    "home-appliances": (("Grade 1 energy efficiency", "一级能效"), ("Quiet inverter motor", "静音变频电机")),
    "digital-electronics": (("Two-year warranty", "两年质保"), ("Fast charging", "支持快充")),
    "computers-office": (("Two-year warranty", "两年质保"), ("Low-power design", "低功耗设计")),
    "home-furniture": (("FSC-certified wood", "FSC认证木材"), ("Easy home assembly", "安装简便")),
    "home-improvement": (("Water-saving design", "节水设计"), ("Free installation guide", "附安装指南")),
    "kitchen": (("Food-grade materials", "食品级材质"), ("Dishwasher safe", "可入洗碗机")),
    "clothing": (("Breathable natural fibres", "天然纤维透气"), ("Machine washable", "可机洗")),
    "shoes-bags": (("Hand-finished leather", "手工打磨皮革"), ("Lightweight", "轻便")),
    "beauty-personal-care": (("Refillable packaging", "可替换包装"), ("Not tested on animals", "无动物实验")),
    "mother-baby": (("Gentle for newborns", "新生儿适用"), ("BPA-free", "不含双酚A")),
    "food-beverages": (("No added preservatives", "无添加防腐剂"), ("Recyclable packaging", "包装可回收")),
    "fresh-produce": (
        ("Picked and shipped the same day", "当日采摘当日发货"),
        ("Cold-chain delivery", "冷链配送"),
    ),
    "sports-outdoors": (("Recycled materials", "再生材料"), ("Tested by athletes", "运动员实测")),
    "books-stationery": (("Printed on recycled paper", "再生纸印刷"), ("Soy-based inks", "大豆油墨印刷")),
    "toys": (("Non-toxic materials", "无毒环保材质"), ("For ages 3 and up", "适合3岁以上")),
    "pet-supplies": (("Vet-recommended", "宠物医生推荐"), ("No artificial colours", "无人工色素")),
    "household-cleaning": (
        ("Biodegradable formula", "可生物降解配方"),
        ("Concentrated: less plastic", "浓缩配方更少塑料"),
    ),
    "health": (("Clinically tested", "临床测试"), ("Easy to use at home", "居家易用")),
    "jewellery-watches": (("Certificate included", "附证书"), ("Gift box included", "附礼盒")),
    "automotive": (("Fits most models", "适配大多数车型"), ("One-year warranty", "一年质保")),
    "garden-plants": (("Grown without peat", "无泥炭种植"), ("Care guide included", "附养护指南")),
}


class ProductSpec(NamedTuple):
    category: str  # subcategory slug
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    price: Decimal
    stock: int
    weight_grams: int
    ships_in_own_box: bool
    declared_footprint_kg: Decimal | None
    declared_footprint_document: str


@cache
def _subcategory_index() -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, float]]:
    """(subcategory -> top, top -> subcategories, subcategory -> typical footprint hint) from the file."""
    top_of: dict[str, str] = {}
    children: dict[str, tuple[str, ...]] = {}
    footprint: dict[str, float] = {}
    for top in read_categories():
        children[top["slug"]] = tuple(child["slug"] for child in top["children"])
        for child in top["children"]:
            top_of[child["slug"]] = top["slug"]
            footprint[child["slug"]] = child["typical_footprint_kg_per_kg"]
    return top_of, children, footprint


def expand_assortment(slugs: tuple[str, ...]) -> tuple[str, ...]:
    """Subcategory slugs of an assortment naming top categories and/or subcategories."""
    top_of, children, _ = _subcategory_index()
    result: list[str] = []
    for slug in slugs:
        for sub in children.get(slug, (slug,)):
            if sub not in top_of:
                raise ValueError(f"unknown subcategory {sub!r} in a demo assortment")
            if sub not in result:
                result.append(sub)
    return tuple(result)


def retail_price(yuan: int) -> Decimal:
    """Prices as shops set them: 6999.00 above 1000 CNY, 129.00 above 100 CNY, 39.90 below."""
    if yuan >= 1000:
        return Decimal(yuan - yuan % 100 + 99)
    if yuan >= 100:
        return Decimal(yuan - yuan % 10 + 9)
    return Decimal(f"{max(yuan, 1)}.90")


def product_spec(
    rng: random.Random,
    *,
    subcategory: str,
    brand_en: str,
    brand_zh: str,
    city_en: str,
    city_zh: str,
    model_code: str | None = None,
    document_base: str = f"https://{DEMO_EMAIL_DOMAIN}/epd",
) -> ProductSpec:
    """One believable product of ``subcategory``. ``model_code`` forces a model number into the name."""
    top_of, _, footprint_hint = _subcategory_index()
    top = top_of[subcategory]
    template = rng.choice(TEMPLATES[subcategory])
    size_index = rng.randrange(len(template.sizes))
    size_en, size_zh = template.sizes[size_index].split("|")
    # Position within the size list sets where in the range price and weight fall, with some spread.
    share = (size_index + rng.random()) / len(template.sizes)
    price_yuan = template.price[0] + int((template.price[1] - template.price[0]) * share)
    weight = template.weight[0] + int((template.weight[1] - template.weight[0]) * share)
    weight = max(10, weight - weight % 10)

    if model_code is None and top in MODEL_NUMBER_TOPS:
        model_code = f"{brand_en[:2].upper()}-{rng.randint(100, 999)}{rng.choice('ABCDEFGHKMNPRSTX')}"
    variant_en = variant_zh = ""
    if top not in MODEL_NUMBER_TOPS and rng.random() < 0.75:
        variant_en, variant_zh = rng.choice(SUBCATEGORY_VARIANTS.get(subcategory) or VARIANTS.get(top, PACKS))
    name_en = f"{brand_en} {template.noun_en}"
    name_zh = f"{brand_zh}{template.noun_zh}"
    if variant_en:
        name_en += f", {variant_en}"
        name_zh += f"（{variant_zh}）"  # noqa: RUF001
    if size_en != "standard":  # "standard" says nothing in a name
        name_en += f" {size_en}"
        name_zh += f" {size_zh}"
    if model_code:
        name_en += f" {model_code}"
        name_zh += f" {model_code}"

    feature_en, feature_zh = rng.choice(FEATURES[top])
    noun = template.noun_en[0].upper() + template.noun_en[1:]
    description_en = f"{noun}, {size_en}, by {brand_en}. {feature_en}. Ships from {city_en}."
    description_zh = f"{brand_zh}{template.noun_zh}，{size_zh}。{feature_zh}。{city_zh}发货。"  # noqa: RUF001

    stock = 0 if rng.random() < 0.04 else int(rng.triangular(5, 600, 60))
    declared: Decimal | None = None
    document = ""
    if top in DECLARED_FOOTPRINT_TOPS and rng.random() < DECLARED_FOOTPRINT_SHARE:
        # A declared footprint below the category's typical one, as a product with an EPD usually is.
        typical = Decimal(str(footprint_hint[subcategory])) * Decimal(weight) / 1000
        declared = (typical * Decimal(rng.randint(55, 90)) / 100).quantize(FOOTPRINT_PLACES)
        slug = brand_en.lower().replace(" ", "-")
        document = f"{document_base}/{slug}/{subcategory}-{model_code or rng.randint(1000, 9999)}.pdf"
    return ProductSpec(
        category=subcategory,
        name_en=name_en[:200],
        name_zh=name_zh[:200],
        description_en=description_en,
        description_zh=description_zh,
        price=retail_price(price_yuan),
        stock=stock,
        weight_grams=weight,
        ships_in_own_box=rng.random() < template.own_box,
        declared_footprint_kg=declared,
        declared_footprint_document=document,
    )


def product_from_spec(spec: ProductSpec, *, merchant_id: int, category_id: int) -> Product:
    return Product(
        merchant_id=merchant_id,
        category_id=category_id,
        name_en=spec.name_en,
        name_zh=spec.name_zh,
        description_en=spec.description_en,
        description_zh=spec.description_zh,
        price=spec.price,
        stock=spec.stock,
        weight_grams=spec.weight_grams,
        ships_in_own_box=spec.ships_in_own_box,
        declared_footprint_kg=spec.declared_footprint_kg,
        declared_footprint_document=spec.declared_footprint_document,
    )


def load_products(ctx: DemoContext) -> None:
    """About 640 products across the demo shops (idempotent by shop and English name)."""
    merchants = {
        merchant.owner.username: merchant
        for merchant in Merchant.objects.select_related("owner", "city").filter(
            owner__username__in=[merchant_username(i) for i in range(len(SHOPS))]
        )
    }
    categories = dict(Category.objects.filter(parent__isnull=False).values_list("slug", "id"))
    existing = set(
        Product.objects.filter(merchant__in=list(merchants.values())).values_list("merchant_id", "name_en")
    )
    to_create: list[Product] = []
    for index, shop in enumerate(SHOPS):
        merchant = merchants[merchant_username(index)]
        rng = ctx.rng(f"products:{shop.brand_en}")
        subcategories = expand_assortment(shop.assortment)
        wanted = rng.randint(*PRODUCTS_PER_SHOP)
        names: set[str] = set()
        for _attempt in range(wanted * 20):
            if len(names) == wanted:
                break
            spec = product_spec(
                rng,
                subcategory=rng.choice(subcategories),
                brand_en=shop.brand_en,
                brand_zh=shop.brand_zh,
                city_en=merchant.city.name_en,
                city_zh=merchant.city.name_zh,
            )
            if spec.name_en in names:
                continue
            names.add(spec.name_en)
            if (merchant.pk, spec.name_en) not in existing:
                to_create.append(
                    product_from_spec(spec, merchant_id=merchant.pk, category_id=categories[spec.category])
                )
    Product.objects.bulk_create(to_create, batch_size=ctx.batch_size)
    ctx.count("products", len(to_create))
