"""Demo accounts and shops: one staff superuser, shoppers, and merchants each owning one shop."""

from __future__ import annotations

from typing import NamedTuple

from marketplace.accounts.models import User
from marketplace.catalog.models import City
from marketplace.demo.context import (
    DEMO_EMAIL_DOMAIN,
    MERCHANT_USERNAME_PREFIX,
    SHOPPER_USERNAME_PREFIX,
    STAFF_USERNAME,
    DemoContext,
)
from merchants.models import LastMileVehicle, Merchant

DIESEL = LastMileVehicle.DIESEL_VAN.value
ELECTRIC = LastMileVehicle.ELECTRIC_VAN.value
BIKE = LastMileVehicle.CARGO_BIKE.value


class ShopSpec(NamedTuple):
    brand_en: str
    brand_zh: str
    kind_en: str
    kind_zh: str
    city: str
    vehicle: str
    # Top-category slugs (all their subcategories) or subcategory slugs.
    assortment: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.brand_en} {self.kind_en} · {self.brand_zh}{self.kind_zh}"


# Invented brands, placed where their trade clusters in China (appliances in Foshan and Qingdao, toys in
# Shantou, sanitary ware in Xiamen, lighting in Zhongshan, tea in Fuzhou ...).
SHOPS: tuple[ShopSpec, ...] = (
    ShopSpec("Qinghe", "清禾", "Appliances", "电器", "foshan", ELECTRIC, ("home-appliances",)),
    ShopSpec(
        "Beiyang",
        "北洋",
        "Cooling",
        "制冷",
        "qingdao",
        DIESEL,
        ("refrigerators", "air-conditioners", "water-heaters", "televisions"),
    ),
    ShopSpec("Lanxin", "蓝芯", "Digital", "数码", "shenzhen", ELECTRIC, ("digital-electronics",)),
    ShopSpec(
        "Xinghai",
        "星海",
        "Mobile",
        "通讯",
        "shenzhen",
        BIKE,
        ("mobile-phones", "smart-wearables", "chargers-power-banks", "phone-accessories"),
    ),
    ShopSpec("Mingjing", "明镜", "Computing", "电脑", "beijing", ELECTRIC, ("computers-office",)),
    ShopSpec(
        "Jiangnan",
        "江南",
        "Office",
        "办公",
        "suzhou",
        DIESEL,
        ("printers", "monitors", "notebooks-paper", "office-supplies", "writing-instruments"),
    ),
    ShopSpec(
        "Songmu",
        "松木",
        "Furniture",
        "家居",
        "dongguan",
        DIESEL,
        ("furniture", "mattresses", "home-decor", "storage-organisation"),
    ),
    ShopSpec(
        "Yunmian",
        "云眠",
        "Home Textiles",
        "家纺",
        "nantong",
        ELECTRIC,
        ("bedding", "home-textiles", "curtains-rugs"),
    ),
    ShopSpec(
        "Qingquan",
        "清泉",
        "Bath",
        "卫浴",
        "xiamen",
        DIESEL,
        ("faucets-showers", "toilets", "bathroom-cabinets"),
    ),
    ShopSpec("Guangyi", "光逸", "Lighting", "照明", "zhongshan", ELECTRIC, ("lighting", "switches-sockets")),
    ShopSpec(
        "Anju",
        "安居",
        "Building Materials",
        "建材",
        "chengdu",
        DIESEL,
        ("flooring-tiles", "paints-coatings", "lighting"),
    ),
    ShopSpec(
        "Yanhuo",
        "烟火",
        "Kitchen",
        "厨房",
        "jinhua",
        DIESEL,
        ("cookware", "tableware", "drinkware", "food-storage"),
    ),
    ShopSpec(
        "Shuimu",
        "水木",
        "Kitchen Appliances",
        "厨电",
        "ningbo",
        ELECTRIC,
        ("kitchen-appliances", "range-hoods-hobs", "water-purifiers", "dishwashers"),
    ),
    ShopSpec(
        "Jinxiu",
        "锦绣",
        "Womenswear",
        "女装",
        "hangzhou",
        BIKE,
        ("womens-clothing", "knitwear", "underwear-sleepwear"),
    ),
    ShopSpec(
        "Haifeng",
        "海风",
        "Menswear",
        "男装",
        "quanzhou",
        DIESEL,
        ("mens-clothing", "outerwear-down", "socks-hosiery"),
    ),
    ShopSpec("Beiji", "北极", "Down", "羽绒", "jiaxing", ELECTRIC, ("outerwear-down", "knitwear")),
    ShopSpec(
        "Buyun", "步云", "Footwear", "鞋业", "wenzhou", DIESEL, ("womens-shoes", "mens-shoes", "wallets")
    ),
    ShopSpec(
        "Lvtu",
        "旅途",
        "Bags",
        "箱包",
        "guangzhou",
        ELECTRIC,
        ("handbags", "backpacks", "luggage", "wallets"),
    ),
    ShopSpec(
        "Yanzhi",
        "胭脂",
        "Beauty",
        "美妆",
        "shanghai",
        BIKE,
        ("cosmetics", "skincare", "fragrances"),
    ),
    ShopSpec(
        "Qingya",
        "清雅",
        "Personal Care",
        "个护",
        "guangzhou",
        ELECTRIC,
        ("hair-care", "body-care", "oral-care", "personal-care-appliances"),
    ),
    ShopSpec("Xiaoyang", "小羊", "Mother & Baby", "母婴", "changsha", ELECTRIC, ("mother-baby",)),
    ShopSpec("Chashan", "茶山", "Tea House", "茗茶", "fuzhou", BIKE, ("tea",)),
    ShopSpec("Caoyuan", "草原", "Dairy", "乳业", "hohhot", DIESEL, ("dairy", "organic-food")),
    ShopSpec(
        "Tianfu",
        "天府",
        "Pantry",
        "食坊",
        "chengdu",
        ELECTRIC,
        ("snacks", "condiments", "grain-oil", "coffee", "drinks"),
    ),
    ShopSpec("Yefeng", "椰风", "Orchard", "果园", "haikou", DIESEL, ("fruit",)),
    ShopSpec("Donghai", "东海", "Seafood", "海鲜", "dalian", DIESEL, ("seafood", "frozen-food")),
    ShopSpec(
        "Lvye",
        "绿野",
        "Farm",
        "农场",
        "weifang",
        ELECTRIC,
        ("vegetables", "eggs", "meat", "organic-food"),
    ),
    ShopSpec(
        "Benpao",
        "奔跑",
        "Sports",
        "运动",
        "xiamen",
        BIKE,
        ("sportswear", "sports-shoes", "ball-sports", "swimming", "fitness-equipment"),
    ),
    ShopSpec(
        "Shanye",
        "山野",
        "Outdoor",
        "户外",
        "chongqing",
        ELECTRIC,
        ("camping-hiking", "bicycles", "electric-bikes"),
    ),
    ShopSpec(
        "Shuxiang",
        "书香",
        "Books",
        "图书",
        "beijing",
        BIKE,
        ("books", "childrens-books", "art-supplies", "writing-instruments"),
    ),
    ShopSpec("Tongqu", "童趣", "Toys", "玩具", "shantou", DIESEL, ("toys",)),
    ShopSpec("Mengchong", "萌宠", "Pet Life", "宠物", "nanjing", ELECTRIC, ("pet-supplies",)),
    ShopSpec("Jiejing", "洁净", "Home Care", "家清", "wuhan", DIESEL, ("household-cleaning",)),
    ShopSpec("Kangning", "康宁", "Health", "健康", "zhengzhou", ELECTRIC, ("health",)),
    ShopSpec(
        "Jinyu",
        "金玉",
        "Jewellery",
        "珠宝",
        "shenzhen",
        BIKE,
        ("gold-jewellery", "silver-jewellery", "jade-gemstones", "fashion-jewellery"),
    ),
    ShopSpec("Shiguang", "时光", "Watches & Eyewear", "钟表眼镜", "shanghai", BIKE, ("watches", "eyewear")),
    ShopSpec("Chelian", "车联", "Auto Parts", "汽车用品", "changchun", DIESEL, ("automotive",)),
    ShopSpec("Huajing", "花境", "Garden", "园艺", "kunming", ELECTRIC, ("garden-plants",)),
    ShopSpec(
        "Yiwu Jiayuan",
        "义乌家缘",
        "General Store",
        "百货",
        "yiwu",
        DIESEL,
        ("storage-organisation", "cleaning-tools", "trash-bags", "home-decor", "plush-dolls"),
    ),
    ShopSpec("Xiyu", "西域", "Specialties", "特产", "urumqi", DIESEL, ("snacks", "tonics", "organic-food")),
)

SHOPPER_NAMES: tuple[tuple[str, str], ...] = (
    ("Wei", "Wang"),
    ("Fang", "Li"),
    ("Min", "Zhang"),
    ("Jing", "Liu"),
    ("Lei", "Chen"),
    ("Yan", "Yang"),
    ("Tao", "Zhao"),
    ("Xiuying", "Huang"),
    ("Jun", "Zhou"),
    ("Na", "Wu"),
    ("Qiang", "Xu"),
    ("Li", "Sun"),
    ("Hao", "Ma"),
    ("Ting", "Zhu"),
    ("Bo", "Hu"),
    ("Xue", "Guo"),
    ("Peng", "He"),
    ("Mei", "Lin"),
    ("Kai", "Luo"),
    ("Yu", "Gao"),
)


def merchant_username(index: int) -> str:
    return f"{MERCHANT_USERNAME_PREFIX}{index + 1:02d}"


def shopper_username(index: int) -> str:
    return f"{SHOPPER_USERNAME_PREFIX}{index + 1:02d}"


def _users_to_create(ctx: DemoContext) -> list[User]:
    wanted: list[User] = [
        User(
            username=STAFF_USERNAME,
            email=f"{STAFF_USERNAME}@{DEMO_EMAIL_DOMAIN}",
            first_name="Demo",
            last_name="Admin",
            is_staff=True,
            is_superuser=True,
        )
    ]
    for index, (first, last) in enumerate(SHOPPER_NAMES):
        username = shopper_username(index)
        wanted.append(
            User(
                username=username,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
                preferred_language="zh-hans" if index % 2 else "en",
            )
        )
    for index, shop in enumerate(SHOPS):
        username = merchant_username(index)
        wanted.append(
            User(
                username=username,
                email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                first_name=shop.brand_en,
                last_name="Shopkeeper",
            )
        )
    existing = set(
        User.objects.filter(username__in=[u.username for u in wanted]).values_list("username", flat=True)
    )
    missing = [user for user in wanted if user.username not in existing]
    for user in missing:
        user.password = ctx.password_hash
    return missing


def load_people(ctx: DemoContext) -> None:
    """Staff, shoppers and merchant owners, then one shop per merchant owner (idempotent by username)."""
    users = _users_to_create(ctx)
    User.objects.bulk_create(users, batch_size=ctx.batch_size)
    ctx.count("users", len(users))

    owners = dict(
        User.objects.filter(username__in=[merchant_username(i) for i in range(len(SHOPS))]).values_list(
            "username", "id"
        )
    )
    with_shop = set(Merchant.objects.filter(owner_id__in=owners.values()).values_list("owner_id", flat=True))
    cities = {city.slug: city for city in City.objects.filter(slug__in={shop.city for shop in SHOPS})}
    shops = [
        Merchant(
            owner_id=owners[merchant_username(index)],
            name=shop.name,
            city=cities[shop.city],
            last_mile_vehicle=shop.vehicle,
            description=(
                f"{shop.brand_en} {shop.kind_en} ships from {cities[shop.city].name_en}. "
                f"{shop.brand_zh}{shop.kind_zh}，{cities[shop.city].name_zh}发货。"  # noqa: RUF001
            ),
        )
        for index, shop in enumerate(SHOPS)
        if owners[merchant_username(index)] not in with_shop
    ]
    Merchant.objects.bulk_create(shops, batch_size=ctx.batch_size)
    ctx.count("merchants", len(shops))
