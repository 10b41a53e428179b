# ruff: noqa: E501
"""What the demo's shops of durable goods sell: appliances, electronics, computers, furniture, home
improvement and kitchen (products that carry a model number)."""

from __future__ import annotations

from marketplace.demo.product_data.template import T, Template

# fmt: off
DURABLE_GOODS: dict[str, tuple[Template, ...]] = {
    # --- home appliances ---------------------------------------------------------------------------
    "refrigerators": (
        T("2-door refrigerator", "双门冰箱", "180 L|180升;230 L|230升;300 L|300升", (1099, 2599), (38000, 58000), 1),
        T("French-door refrigerator", "法式多门冰箱", "400 L|400升;480 L|480升;550 L|550升", (3299, 7999), (75000, 105000), 1),
        T("side-by-side refrigerator", "对开门冰箱", "500 L|500升;600 L|600升", (2999, 6499), (85000, 110000), 1),
        T("mini fridge", "迷你冰箱", "50 L|50升;90 L|90升", (499, 899), (15000, 22000), 1),
    ),
    "washing-machines": (
        T("front-load inverter washer", "变频滚筒洗衣机", "8 kg|8公斤;10 kg|10公斤;12 kg|12公斤", (1499, 4299), (62000, 80000), 1),
        T("top-load washer", "波轮洗衣机", "7 kg|7公斤;9 kg|9公斤", (799, 1599), (30000, 40000), 1),
        T("heat-pump dryer", "热泵干衣机", "9 kg|9公斤;10 kg|10公斤", (2999, 5999), (48000, 58000), 1),
    ),
    "air-conditioners": (
        T("inverter split air conditioner", "变频挂式空调", "1 hp|大1匹;1.5 hp|1.5匹;2 hp|2匹", (1899, 3999), (38000, 52000), 1),
        T("floor-standing air conditioner", "立柜式空调", "2 hp|2匹;3 hp|3匹", (4299, 7999), (70000, 95000), 1),
        T("portable air conditioner", "移动空调", "1 hp|1匹;1.5 hp|1.5匹", (1299, 2299), (25000, 32000), 1),
    ),
    "televisions": (
        T("4K smart TV", "4K智能电视", '55"|55英寸;65"|65英寸;75"|75英寸', (1699, 5999), (15000, 35000), 1),
        T("Mini LED TV", "Mini LED电视", '65"|65英寸;85"|85英寸', (4999, 11999), (25000, 48000), 1),
        T("compact TV", "小尺寸电视", '32"|32英寸;43"|43英寸', (699, 1299), (5000, 9000), 1),
    ),
    "water-heaters": (
        T("electric water heater", "电热水器", "50 L|50升;60 L|60升;80 L|80升", (699, 1799), (18000, 30000), 1),
        T("gas water heater", "燃气热水器", "13 L|13升;16 L|16升", (1299, 2799), (14000, 18000), 1),
        T("heat-pump water heater", "空气能热水器", "150 L|150升;200 L|200升", (4999, 8999), (60000, 85000), 1),
    ),
    "dishwashers": (
        T("built-in dishwasher", "嵌入式洗碗机", "10 sets|10套;13 sets|13套;15 sets|15套", (2499, 5999), (38000, 50000), 1),
        T("countertop dishwasher", "台式洗碗机", "4 sets|4套;6 sets|6套", (1299, 2199), (16000, 22000), 1),
    ),
    "air-purifiers": (
        T("HEPA air purifier", "HEPA空气净化器", "30 m²|30平方米;50 m²|50平方米;80 m²|80平方米", (599, 2499), (5000, 11000), 0.4),
        T("dehumidifier", "除湿机", "12 L/day|12升/天;20 L/day|20升/天", (799, 1999), (11000, 16000), 0.4),
    ),
    "vacuum-cleaners": (
        T("cordless stick vacuum", "无线手持吸尘器", "150 AW|150AW;220 AW|220AW", (699, 2299), (2500, 3500), 0.5),
        T("robot vacuum and mop", "扫拖一体机器人", "standard dock|标准基站;self-emptying dock|自动集尘基站", (1299, 3999), (6000, 12000), 0.5),
        T("wet and dry floor washer", "洗地机", "3.5 L tank|3.5升水箱;4 L tank|4升水箱", (1599, 3299), (5000, 7000), 0.5),
    ),
    # --- phones & digital --------------------------------------------------------------------------
    "mobile-phones": (
        T("5G smartphone", "5G智能手机", "8+256 GB|8+256GB;12+256 GB|12+256GB;16+512 GB|16+512GB", (1299, 5999), (190, 230), 0.3),
        T("senior phone", "老人手机", "4G|4G全网通", (199, 399), (120, 150), 0.3),
    ),
    "tablets": (
        T("11-inch tablet", "11英寸平板电脑", "8+128 GB|8+128GB;8+256 GB|8+256GB;12+512 GB|12+512GB", (1499, 3999), (480, 560), 0.3),
        T("e-ink reader", "墨水屏阅读器", '7"|7英寸;10.3"|10.3英寸', (699, 2299), (190, 420), 0.3),
    ),
    "headphones-audio": (
        T("noise-cancelling earbuds", "主动降噪耳机", "standard|标准版;pro|Pro版", (199, 899), (50, 60), 0.3),
        T("over-ear headphones", "头戴式耳机", "wired|有线版;wireless|无线版", (299, 1299), (250, 320), 0.3),
        T("Bluetooth speaker", "蓝牙音箱", "10 W|10W;30 W|30W;60 W|60W", (149, 899), (400, 2000), 0.4),
    ),
    "cameras": (
        T("mirrorless camera kit", "无反相机套机", "APS-C|APS-C画幅;full frame|全画幅", (4999, 13999), (650, 1100), 0.4),
        T("action camera", "运动相机", "4K|4K版;5.7K|5.7K版", (1299, 2999), (150, 180), 0.3),
        T("instant camera", "拍立得相机", "mini|mini;wide|宽幅", (399, 899), (300, 620), 0.3),
    ),
    "smart-wearables": (
        T("smart watch", "智能手表", "42 mm|42mm;46 mm|46mm", (599, 2499), (40, 60), 0.3),
        T("fitness band", "运动手环", "standard|标准版;NFC|NFC版", (149, 299), (25, 30), 0.3),
    ),
    "chargers-power-banks": (
        T("GaN fast charger", "氮化镓快充充电器", "33 W|33W;65 W|65W;100 W|100W", (59, 199), (60, 180), 0.3),
        T("power bank", "充电宝", "10000 mAh|10000毫安;20000 mAh|20000毫安", (79, 199), (200, 420), 0.3),
        T("braided USB-C cable", "编织USB-C数据线", "1 m|1米;2 m|2米", (19, 49), (30, 50), 0.3),
    ),
    "phone-accessories": (
        T("recycled-plastic phone case", "再生塑料手机壳", "6.1 inch|6.1英寸;6.7 inch|6.7英寸", (29, 89), (30, 45), 0.3),
        T("tempered glass screen protector", "钢化膜", "2-pack|2片装;3-pack|3片装", (19, 49), (40, 70), 0.3),
        T("magnetic phone stand", "磁吸手机支架", "desk|桌面款;car|车载款", (29, 99), (80, 160), 0.3),
    ),
    # --- computers & office ------------------------------------------------------------------------
    "laptops": (
        T("14-inch thin-and-light laptop", "14英寸轻薄笔记本", "16 GB/512 GB|16G/512G;32 GB/1 TB|32G/1T", (3999, 7999), (1300, 1500), 0.7),
        T("16-inch gaming laptop", "16英寸游戏本", "RTX 4060|RTX 4060;RTX 4070|RTX 4070", (6999, 10999), (2400, 2700), 0.7),
        T("13-inch student laptop", "13英寸学生笔记本", "8 GB/256 GB|8G/256G;16 GB/512 GB|16G/512G", (2499, 3999), (1100, 1300), 0.7),
    ),
    "desktop-computers": (
        T("mini PC", "迷你主机", "16 GB/512 GB|16G/512G;32 GB/1 TB|32G/1T", (1999, 3999), (600, 900), 0.7),
        T("all-in-one desktop", "一体机电脑", '24"|24英寸;27"|27英寸', (3499, 5999), (6000, 8500), 1),
        T("tower desktop", "台式主机", "i5|i5;i7|i7", (3999, 6999), (8000, 11000), 1),
    ),
    "monitors": (
        T("IPS office monitor", "IPS办公显示器", '24" FHD|24英寸 FHD;27" QHD|27英寸 2K', (599, 1599), (3500, 6000), 1),
        T("4K design monitor", "4K设计显示器", '27"|27英寸;32"|32英寸', (1799, 3499), (5500, 8000), 1),
        T("curved gaming monitor", "曲面电竞显示器", '27" 165 Hz|27英寸 165Hz;34" 144 Hz|34英寸 144Hz', (1299, 2999), (5000, 9000), 1),
    ),
    "printers": (
        T("ink-tank colour printer", "彩色墨仓式打印机", "print/copy/scan|打印复印扫描;with duplex|双面打印", (699, 1599), (5500, 7500), 1),
        T("mono laser printer", "黑白激光打印机", "20 ppm|20页/分;30 ppm|30页/分", (799, 1699), (6000, 8000), 1),
        T("document scanner", "文档扫描仪", "A4|A4幅面;A3|A3幅面", (999, 3299), (2500, 5000), 1),
    ),
    "keyboards-mice": (
        T("mechanical keyboard", "机械键盘", "87 keys|87键;104 keys|104键", (199, 599), (800, 1200), 0.3),
        T("wireless mouse", "无线鼠标", "silent|静音款;ergonomic|人体工学款", (59, 299), (80, 130), 0.3),
        T("keyboard and mouse set", "键鼠套装", "wireless|无线", (99, 249), (700, 900), 0.3),
    ),
    "networking": (
        T("Wi-Fi 7 router", "Wi-Fi 7路由器", "BE3600|BE3600;BE7200|BE7200", (299, 999), (400, 900), 0.3),
        T("mesh Wi-Fi system", "Mesh组网路由器", "2-pack|两只装;3-pack|三只装", (599, 1299), (900, 1400), 0.3),
        T("8-port gigabit switch", "8口千兆交换机", "desktop|桌面款", (89, 169), (300, 400), 0.3),
    ),
    "storage-devices": (
        T("NVMe SSD", "NVMe固态硬盘", "1 TB|1TB;2 TB|2TB;4 TB|4TB", (399, 1699), (30, 60), 0.3),
        T("portable SSD", "移动固态硬盘", "1 TB|1TB;2 TB|2TB", (499, 1099), (60, 90), 0.3),
        T("microSD card", "TF存储卡", "128 GB|128GB;256 GB|256GB", (59, 129), (10, 15), 0.3),
    ),
    # --- home & furniture --------------------------------------------------------------------------
    "furniture": (
        T("solid oak dining table", "橡木实木餐桌", "1.2 m|1.2米;1.4 m|1.4米;1.6 m|1.6米", (1599, 3999), (28000, 45000), 0.6),
        T("three-seat fabric sofa", "三人位布艺沙发", "2.1 m|2.1米;2.4 m|2.4米", (2499, 5999), (45000, 65000), 0.6),
        T("bamboo bookshelf", "竹制书架", "4 tiers|四层;5 tiers|五层", (299, 699), (8000, 12000), 0.6),
        T("ergonomic office chair", "人体工学椅", "mesh back|网背款;with footrest|带脚托", (699, 1999), (16000, 22000), 0.6),
    ),
    "bedding": (
        T("organic cotton duvet cover set", "有机棉四件套", "1.5 m bed|1.5米床;1.8 m bed|1.8米床", (299, 699), (2200, 3000), 0),
        T("silk-filled duvet", "蚕丝被", "autumn weight|秋被;winter weight|冬被", (599, 1899), (2500, 4200), 0),
        T("buckwheat pillow", "荞麦枕", "standard|标准款;contour|护颈款", (69, 159), (1500, 2200), 0),
    ),
    "home-textiles": (
        T("cotton bath towel", "纯棉浴巾", "70x140 cm|70x140厘米;80x160 cm|80x160厘米", (49, 129), (400, 650), 0),
        T("linen tablecloth", "亚麻桌布", "140x180 cm|140x180厘米;140x220 cm|140x220厘米", (79, 169), (450, 650), 0),
        T("knitted throw blanket", "针织盖毯", "130x160 cm|130x160厘米;150x200 cm|150x200厘米", (129, 299), (900, 1500), 0),
    ),
    "mattresses": (
        T("pocket-spring mattress", "独立弹簧床垫", "1.5x2 m|1.5x2米;1.8x2 m|1.8x2米", (1299, 3999), (25000, 35000), 1),
        T("coconut-fibre mattress", "椰棕床垫", "1.5x2 m|1.5x2米;1.8x2 m|1.8x2米", (899, 1999), (15000, 22000), 1),
    ),
    "home-decor": (
        T("ceramic vase", "陶瓷花瓶", "small|小号;large|大号", (59, 199), (500, 1500), 0.3),
        T("framed ink painting print", "装饰水墨画", "40x60 cm|40x60厘米;60x90 cm|60x90厘米", (99, 399), (1200, 2800), 0.3),
        T("scented soy candle", "大豆香薰蜡烛", "200 g|200克;400 g|400克", (49, 129), (300, 550), 0.3),
    ),
    "storage-organisation": (
        T("stackable storage box", "可叠加收纳箱", "35 L|35升;60 L|60升", (39, 99), (1000, 1800), 0.3),
        T("fabric wardrobe organiser", "布艺衣柜收纳袋", "3-pack|3只装;6-pack|6只装", (39, 89), (600, 1100), 0.3),
        T("bamboo drawer divider", "竹制抽屉分隔盒", "set of 4|4件套;set of 8|8件套", (49, 119), (500, 900), 0.3),
    ),
    "curtains-rugs": (
        T("blackout curtain", "遮光窗帘", "1.5x2.7 m|1.5x2.7米;2x2.7 m|2x2.7米", (129, 399), (1500, 2500), 0),
        T("wool area rug", "羊毛地毯", "1.2x1.7 m|1.2x1.7米;1.6x2.3 m|1.6x2.3米", (399, 1299), (4000, 8000), 0),
    ),
    # --- home improvement --------------------------------------------------------------------------
    "faucets-showers": (
        T("water-saving kitchen faucet", "节水厨房龙头", "pull-out|抽拉款;standard|标准款", (199, 699), (1200, 1800), 0.4),
        T("thermostatic shower set", "恒温花洒套装", "standard|标准款;with rain head|带顶喷", (799, 2499), (5000, 7500), 0.4),
        T("basin faucet", "面盆龙头", "low|矮款;tall|高款", (149, 499), (800, 1300), 0.4),
    ),
    "toilets": (
        T("dual-flush toilet", "双档节水马桶", "300 mm rough-in|300坑距;400 mm rough-in|400坑距", (899, 2299), (30000, 40000), 1),
        T("smart toilet seat", "智能马桶盖", "instant heating|即热款;with dryer|带烘干", (999, 2999), (4000, 5500), 1),
        T("wall-hung toilet", "壁挂马桶", "with frame|带水箱支架", (1999, 3999), (35000, 42000), 1),
    ),
    "bathroom-cabinets": (
        T("bathroom vanity cabinet", "浴室柜组合", "60 cm|60厘米;80 cm|80厘米;100 cm|100厘米", (999, 3299), (25000, 45000), 1),
        T("LED mirror cabinet", "智能镜柜", "60 cm|60厘米;80 cm|80厘米", (699, 1699), (12000, 18000), 1),
    ),
    "lighting": (
        T("LED ceiling light", "LED吸顶灯", "24 W|24W;36 W|36W;48 W|48W", (99, 599), (1200, 3000), 0.5),
        T("eye-care desk lamp", "护眼台灯", "standard|标准款;with wireless charging|带无线充电", (129, 399), (900, 1500), 0.4),
        T("LED bulb", "LED灯泡", "9 W 10-pack|9W十只装;12 W 10-pack|12W十只装", (49, 99), (350, 450), 0.4),
        T("solar garden light", "太阳能庭院灯", "2-pack|两只装;4-pack|四只装", (69, 169), (800, 1600), 0.5),
    ),
    "flooring-tiles": (
        T("engineered oak flooring", "实木复合地板", "per m²|每平方米", (159, 399), (10000, 12000), 0),
        T("porcelain floor tile", "通体大板瓷砖", "60x120 cm per m²|60x120厘米每平方米;80x80 cm per m²|80x80厘米每平方米", (89, 249), (20000, 24000), 0),
        T("bamboo flooring", "竹地板", "per m²|每平方米", (129, 259), (9000, 11000), 0),
    ),
    "paints-coatings": (
        T("low-VOC interior wall paint", "低VOC内墙乳胶漆", "5 L|5升;18 L|18升", (199, 799), (6500, 24000), 1),
        T("wood varnish", "木器清漆", "1 L|1升;2.5 L|2.5升", (79, 199), (1100, 2800), 1),
    ),
    "switches-sockets": (
        T("wall switch", "墙壁开关", "single|单开;double|双开;triple|三开", (15, 39), (80, 120), 0.3),
        T("five-hole wall socket", "五孔插座", "10 A|10A;16 A|16A", (15, 35), (90, 120), 0.3),
        T("smart power strip", "智能排插", "4 outlets|4位;6 outlets with USB|6位带USB", (59, 149), (350, 550), 0.3),
    ),
    # --- kitchen -----------------------------------------------------------------------------------
    "cookware": (
        T("cast-iron wok", "铸铁炒锅", "30 cm|30厘米;32 cm|32厘米;34 cm|34厘米", (129, 299), (2500, 3600), 0.5),
        T("stainless steel stockpot", "不锈钢汤锅", "20 cm|20厘米;24 cm|24厘米", (99, 259), (1500, 2500), 0.5),
        T("ceramic non-stick frying pan", "陶瓷不粘煎锅", "24 cm|24厘米;28 cm|28厘米", (89, 199), (900, 1300), 0.5),
        T("clay casserole pot", "砂锅", "1.5 L|1.5升;3 L|3升", (59, 139), (1800, 3200), 0.3),
    ),
    "tableware": (
        T("celadon dinnerware set", "青瓷餐具套装", "10 pieces|10头;20 pieces|20头", (199, 499), (4000, 7500), 0.5),
        T("bamboo chopsticks", "竹筷", "10 pairs|10双装;20 pairs|20双装", (19, 39), (150, 300), 0.3),
        T("stainless steel lunch box", "不锈钢饭盒", "2 tiers|双层;3 tiers|三层", (59, 129), (500, 800), 0.3),
    ),
    "drinkware": (
        T("vacuum flask", "保温杯", "350 ml|350毫升;500 ml|500毫升;750 ml|750毫升", (69, 199), (250, 450), 0.5),
        T("glass tea tumbler", "玻璃泡茶杯", "400 ml|400毫升;550 ml|550毫升", (39, 99), (300, 420), 0.5),
    ),
    "kitchen-appliances": (
        T("IH rice cooker", "IH电饭煲", "3 L|3升;4 L|4升;5 L|5升", (299, 999), (3500, 5500), 0.3),
        T("air fryer", "空气炸锅", "4.5 L|4.5升;6 L|6升", (249, 599), (4000, 5500), 0.3),
        T("soy milk maker", "破壁豆浆机", "1.2 L|1.2升;1.75 L|1.75升", (299, 899), (3000, 4500), 0.3),
        T("electric kettle", "电热水壶", "1.5 L|1.5升;1.7 L|1.7升", (79, 199), (1000, 1300), 0.3),
    ),
    "range-hoods-hobs": (
        T("side-draft range hood", "侧吸式油烟机", "23 m³/min|23立方米/分;26 m³/min|26立方米/分", (1999, 4299), (18000, 25000), 1),
        T("gas hob", "燃气灶", "double burner|双眼灶", (699, 1799), (8000, 11000), 1),
        T("induction hob", "电磁灶", "single zone|单头;double zone|双头", (299, 1599), (3000, 9000), 1),
    ),
    "water-purifiers": (
        T("reverse-osmosis water purifier", "反渗透净水器", "600 G|600G;1000 G|1000G", (1299, 3299), (9000, 13000), 1),
        T("filter pitcher", "滤水壶", "3.5 L|3.5升", (79, 149), (800, 1000), 0.4),
    ),
    "food-storage": (
        T("glass food container set", "玻璃保鲜盒套装", "3 pieces|3件套;5 pieces|5件套", (69, 169), (1500, 2800), 0.5),
        T("beeswax food wrap", "蜂蜡保鲜布", "3-pack|3片装;6-pack|6片装", (39, 79), (80, 160), 0.3),
        T("vacuum sealer", "真空封口机", "standard|标准款", (129, 299), (1200, 1600), 0.4),
    ),
}
# fmt: on
