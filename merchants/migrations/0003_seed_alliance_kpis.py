"""Seed the alliance's KPI catalogue (docs/domain.md, "Alliance").

The rows are written out here rather than imported from the app, so this migration keeps working
whatever the code becomes. Codes of the measured KPIs match ``merchants.alliance.kpis.MEASURES``.
"""

from django.db import migrations

KPIS = [
    {
        "code": "certified_product_share",
        "name_en": "Share of certified products",
        "name_zh": "认证绿色商品占比",
        "unit": "percent",
        "direction": "higher",
        "source": "platform",
        "definition_en": "Green certified active products / all active products of the shop, at the end "
        "of the period (DESIGN section 3: verified, in-date, qualifying certificate).",
        "definition_zh": "期末认证绿色在售商品数 / 店铺全部在售商品数。",
    },
    {
        "code": "green_packaging_order_share",
        "name_en": "Orders in recycled, reusable or no extra packaging",
        "name_zh": "使用再生、可循环或免额外包装的订单占比",
        "unit": "percent",
        "direction": "higher",
        "source": "platform",
        "definition_en": "Paid orders with the shop's products shipped in a recycled or reusable box or "
        "in the product's own packaging / all paid orders with the shop's products in the period.",
        "definition_zh": "期内使用再生箱、可循环箱或免额外包装的已支付订单 / 全部已支付订单。",
    },
    {
        "code": "kgco2e_per_order",
        "name_en": "Average kgCO2e per order",
        "name_zh": "平均每单碳排放（kgCO2e）",
        "unit": "kgco2e_per_order",
        "direction": "lower",
        "source": "platform",
        "definition_en": "Mean carbon label total (active factor set) of the period's paid orders; an "
        "order with several shops is split by each shop's share of its subtotal.",
        "definition_zh": "期内已支付订单碳标签总量（当前排放因子集）的平均值；多店订单按小计比例分摊。",
    },
    {
        "code": "saving_kgco2e_per_order",
        "name_en": "Average kgCO2e saved per order",
        "name_zh": "平均每单减排量（kgCO2e）",
        "unit": "kgco2e_per_order",
        "direction": "higher",
        "source": "platform",
        "definition_en": "Mean saving against the label's baseline (active factor set) of the period's "
        "paid orders, split between shops as above.",
        "definition_zh": "期内已支付订单相对碳标签基准的平均减排量，多店订单按小计比例分摊。",
    },
    {
        "code": "certified_sales_share",
        "name_en": "Certified share of sales",
        "name_zh": "认证商品销售额占比",
        "unit": "percent",
        "direction": "higher",
        "source": "platform",
        "definition_en": "GMV of order lines whose product was green certified on the payment day / all "
        "paid GMV of the shop in the period.",
        "definition_zh": "支付当日为认证绿色商品的订单行销售额 / 期内店铺全部已支付销售额。",
    },
    {
        "code": "clean_last_mile_share",
        "name_en": "Deliveries by electric van or cargo bike",
        "name_zh": "电动车或货运自行车配送占比",
        "unit": "percent",
        "direction": "higher",
        "source": "platform",
        "definition_en": "Shipments of the period delivered on the last mile by an electric van or a cargo "
        "bike (the shop's last-mile vehicle) / all shipments of the period.",
        "definition_zh": "期内由电动货车或货运自行车完成末端配送的发货数 / 全部发货数。",
    },
    {
        "code": "renewable_electricity_share",
        "name_en": "Renewable electricity share",
        "name_zh": "可再生电力占比",
        "unit": "percent",
        "direction": "higher",
        "source": "declared",
        "definition_en": "Electricity from renewable sources (green power contracts, certificates, own "
        "generation) / all electricity used by the shop's operations, as declared with evidence.",
        "definition_zh": "可再生来源电力（绿电交易、绿证、自发电）/ 运营总用电量，自行申报并附证明。",
    },
    {
        "code": "recycled_packaging_material_share",
        "name_en": "Recycled or recyclable packaging material",
        "name_zh": "再生或可回收包装材料占比",
        "unit": "percent",
        "direction": "higher",
        "source": "declared",
        "definition_en": "Mass of recycled-content or recyclable packaging material / all packaging "
        "material bought, as declared with evidence.",
        "definition_zh": "再生或可回收包装材料质量 / 采购包装材料总质量，自行申报并附证明。",
    },
    {
        "code": "scope_1_2_emissions",
        "name_en": "Scope 1 and 2 emissions",
        "name_zh": "范围一和范围二排放",
        "unit": "tco2e",
        "direction": "lower",
        "source": "declared",
        "definition_en": "Annual scope 1 and 2 (market-based) emissions of the shop's operations in tCO2e, "
        "GHG Protocol, as declared with evidence.",
        "definition_zh": "店铺运营年度范围一和范围二（基于市场）排放，吨二氧化碳当量，自行申报并附证明。",
    },
]


def seed(apps, schema_editor):
    Kpi = apps.get_model("merchants", "Kpi")
    for position, row in enumerate(KPIS):
        Kpi.objects.update_or_create(code=row["code"], defaults={**row, "position": position, "active": True})


def unseed(apps, schema_editor):
    Kpi = apps.get_model("merchants", "Kpi")
    Kpi.objects.filter(code__in=[row["code"] for row in KPIS], commitments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("merchants", "0002_kpi_alliancemembership_commitment_and_more")]

    operations = [migrations.RunPython(seed, unseed)]
