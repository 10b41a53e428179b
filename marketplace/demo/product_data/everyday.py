# ruff: noqa: E501
"""What the demo's shops of everyday goods sell: clothing, shoes, beauty, baby, food, fresh produce,
sports, books, toys, pets, cleaning, health, jewellery, auto and garden."""

from __future__ import annotations

from marketplace.demo.product_data.template import T, Template

# fmt: off
EVERYDAY_GOODS: dict[str, tuple[Template, ...]] = {
    # --- clothing ----------------------------------------------------------------------------------
    "womens-clothing": (
        T("silk blouse", "真丝衬衫", "S|S码;M|M码;L|L码", (299, 699), (180, 240), 0),
        T("linen midi dress", "亚麻连衣裙", "S|S码;M|M码;L|L码", (259, 599), (300, 420), 0),
        T("high-waist wide-leg trousers", "高腰阔腿裤", "S|S码;M|M码;L|L码", (159, 399), (350, 480), 0),
        T("qipao-collar cotton top", "盘扣立领上衣", "S|S码;M|M码;L|L码", (199, 459), (220, 300), 0),
    ),
    "mens-clothing": (
        T("organic cotton T-shirt", "有机棉T恤", "M|M码;L|L码;XL|XL码", (79, 199), (180, 240), 0),
        T("oxford shirt", "牛津纺衬衫", "M|M码;L|L码;XL|XL码", (149, 329), (260, 320), 0),
        T("stretch chinos", "弹力休闲裤", "30|30码;32|32码;34|34码", (159, 359), (420, 520), 0),
        T("recycled-polyester polo shirt", "再生涤纶Polo衫", "M|M码;L|L码;XL|XL码", (99, 259), (200, 260), 0),
    ),
    "outerwear-down": (
        T("goose down jacket", "鹅绒羽绒服", "M|M码;L|L码;XL|XL码", (699, 1899), (700, 1100), 0),
        T("light down vest", "轻薄羽绒马甲", "M|M码;L|L码", (299, 599), (250, 350), 0),
        T("wool-blend overcoat", "羊毛混纺大衣", "M|M码;L|L码;XL|XL码", (899, 2299), (1300, 1800), 0),
    ),
    "knitwear": (
        T("cashmere sweater", "羊绒衫", "M|M码;L|L码;XL|XL码", (599, 1599), (300, 420), 0),
        T("merino cardigan", "美利奴羊毛开衫", "S|S码;M|M码;L|L码", (399, 899), (350, 450), 0),
    ),
    "underwear-sleepwear": (
        T("modal pyjama set", "莫代尔睡衣套装", "M|M码;L|L码;XL|XL码", (129, 299), (350, 450), 0),
        T("organic cotton briefs", "有机棉内裤", "3-pack|3条装;5-pack|5条装", (69, 149), (150, 250), 0),
        T("silk pillow-soft eye mask", "真丝眼罩", "one size|均码", (59, 129), (30, 50), 0),
    ),
    "socks-hosiery": (
        T("bamboo-fibre socks", "竹纤维袜", "5 pairs|5双装;10 pairs|10双装", (39, 89), (200, 400), 0),
        T("merino hiking socks", "美利奴登山袜", "3 pairs|3双装", (79, 149), (200, 260), 0),
    ),
    # --- shoes & bags ------------------------------------------------------------------------------
    "womens-shoes": (
        T("leather loafers", "真皮乐福鞋", "EU 36|36码;EU 37|37码;EU 38|38码", (299, 699), (700, 900), 0.3),
        T("canvas sneakers", "帆布鞋", "EU 36|36码;EU 37|37码;EU 38|38码", (99, 249), (600, 800), 0.3),
        T("ankle boots", "短靴", "EU 36|36码;EU 37|37码;EU 38|38码", (399, 899), (1000, 1300), 0.3),
    ),
    "mens-shoes": (
        T("leather derby shoes", "真皮德比鞋", "EU 40|40码;EU 42|42码;EU 44|44码", (399, 999), (1000, 1300), 0.3),
        T("cloth shoes", "老北京布鞋", "EU 40|40码;EU 42|42码;EU 44|44码", (79, 199), (500, 700), 0.3),
        T("work boots", "工装靴", "EU 40|40码;EU 42|42码;EU 44|44码", (399, 899), (1400, 1800), 0.3),
    ),
    "handbags": (
        T("leather tote bag", "真皮托特包", "medium|中号;large|大号", (499, 1599), (600, 900), 0.5),
        T("crossbody bag", "斜挎包", "small|小号;medium|中号", (199, 699), (300, 500), 0.5),
    ),
    "backpacks": (
        T("laptop backpack", "电脑双肩包", "15.6 inch|15.6英寸;17 inch|17英寸", (159, 459), (700, 1100), 0.5),
        T("recycled-PET daypack", "再生PET双肩包", "20 L|20升;28 L|28升", (129, 299), (450, 650), 0.5),
        T("school backpack", "儿童书包", "grade 1-3|1-3年级;grade 4-6|4-6年级", (129, 349), (700, 1000), 0.5),
    ),
    "luggage": (
        T("polycarbonate spinner suitcase", "PC拉杆箱", '20"|20英寸;24"|24英寸;28"|28英寸', (299, 999), (3000, 5000), 1),
        T("aluminium frame suitcase", "铝框拉杆箱", '20"|20英寸;26"|26英寸', (699, 1699), (3800, 5500), 1),
    ),
    "wallets": (
        T("leather bifold wallet", "真皮短款钱包", "standard|标准款", (129, 399), (90, 130), 0.4),
        T("card holder", "卡包", "6 slots|6卡位;10 slots|10卡位", (59, 199), (40, 70), 0.4),
    ),
    # --- beauty & personal care --------------------------------------------------------------------
    "cosmetics": (
        T("velvet matte lipstick", "丝绒哑光口红", "3.5 g|3.5克", (89, 269), (40, 60), 0.4),
        T("cushion foundation", "气垫粉底", "15 g with refill|15克含替换芯", (159, 399), (120, 160), 0.4),
        T("eyeshadow palette", "眼影盘", "9 shades|9色;12 shades|12色", (99, 299), (100, 160), 0.4),
        T("refillable compact powder", "可替换芯粉饼", "10 g|10克", (129, 259), (80, 110), 0.4),
    ),
    "skincare": (
        T("hyaluronic acid serum", "玻尿酸精华", "30 ml|30毫升;50 ml|50毫升", (159, 499), (120, 180), 0.4),
        T("mineral sunscreen SPF50", "物理防晒霜SPF50", "50 ml|50毫升", (99, 229), (80, 100), 0.4),
        T("rice water toner", "大米爽肤水", "150 ml|150毫升;300 ml|300毫升", (69, 169), (220, 420), 0.4),
    ),
    "hair-care": (
        T("ginger shampoo", "生姜洗发水", "400 ml|400毫升;750 ml|750毫升", (39, 99), (480, 850), 0.4),
        T("solid shampoo bar", "洗发皂", "80 g|80克", (39, 79), (90, 110), 0.3),
        T("camellia hair oil", "山茶花护发精油", "50 ml|50毫升;100 ml|100毫升", (59, 159), (100, 180), 0.4),
    ),
    "body-care": (
        T("shower gel refill pouch", "沐浴露补充装", "500 ml|500毫升;1 L|1升", (29, 79), (520, 1040), 0.4),
        T("body lotion", "身体乳", "250 ml|250毫升;400 ml|400毫升", (49, 129), (300, 480), 0.4),
        T("handmade soap", "手工皂", "3 bars|3块装", (39, 89), (330, 400), 0.3),
    ),
    "oral-care": (
        T("sonic electric toothbrush", "声波电动牙刷", "standard|标准款;with travel case|带旅行盒", (129, 399), (250, 400), 0.3),
        T("bamboo toothbrush", "竹柄牙刷", "4-pack|4支装;8-pack|8支装", (19, 39), (60, 120), 0.3),
        T("fluoride toothpaste", "含氟牙膏", "120 g x 3|120克x3支", (29, 59), (420, 450), 0.3),
    ),
    "fragrances": (
        T("osmanthus eau de parfum", "桂花香水", "30 ml|30毫升;50 ml|50毫升;100 ml|100毫升", (199, 799), (150, 380), 0.4),
        T("rollerball perfume oil", "走珠香氛", "10 ml|10毫升", (89, 169), (40, 60), 0.3),
    ),
    "personal-care-appliances": (
        T("ionic hair dryer", "负离子吹风机", "1600 W|1600W;1800 W|1800W", (199, 699), (500, 700), 0.3),
        T("rotary electric shaver", "旋转式电动剃须刀", "3 heads|三刀头", (199, 599), (250, 350), 0.3),
        T("hair straightener", "直发夹板", "standard|标准款", (129, 299), (300, 400), 0.3),
    ),
    # --- mother & baby -----------------------------------------------------------------------------
    "infant-formula": (
        T("stage 1 infant formula", "一段婴儿配方奶粉", "800 g|800克", (199, 399), (900, 1000), 0.3),
        T("stage 2 follow-on formula", "二段较大婴儿配方奶粉", "800 g|800克", (189, 379), (900, 1000), 0.3),
        T("stage 3 toddler milk", "三段幼儿配方奶粉", "800 g|800克", (169, 349), (900, 1000), 0.3),
    ),
    "baby-food": (
        T("organic rice cereal", "有机高铁米粉", "250 g|250克;400 g|400克", (49, 99), (300, 480), 0.3),
        T("fruit puree pouch", "果泥", "6 x 90 g|90克x6袋", (39, 79), (600, 650), 0.3),
        T("baby noodles", "宝宝面条", "200 g|200克", (19, 39), (220, 260), 0.3),
    ),
    "diapers-wipes": (
        T("breathable diapers", "透气纸尿裤", "S 72 pcs|S码72片;M 62 pcs|M码62片;L 54 pcs|L码54片", (89, 169), (2000, 2600), 0.3),
        T("water wipes", "纯水湿巾", "80 sheets x 6|80抽x6包", (49, 89), (2500, 2800), 0.3),
    ),
    "feeding-supplies": (
        T("glass baby bottle", "玻璃奶瓶", "160 ml|160毫升;240 ml|240毫升", (69, 149), (180, 260), 0.3),
        T("silicone suction bowl", "硅胶吸盘碗", "standard|标准款", (49, 99), (200, 260), 0.3),
        T("bottle steriliser and dryer", "奶瓶消毒烘干器", "standard|标准款", (299, 599), (2000, 2800), 0.3),
    ),
    "strollers-car-seats": (
        T("lightweight stroller", "轻便婴儿推车", "standard|标准款;with bassinet|带睡篮", (599, 1999), (6000, 9000), 1),
        T("ISOFIX car seat", "ISOFIX儿童安全座椅", "0-4 years|0-4岁;3-12 years|3-12岁", (999, 2999), (9000, 14000), 1),
    ),
    "childrens-clothing": (
        T("organic cotton romper", "有机棉连体衣", "59 cm|59码;66 cm|66码;73 cm|73码", (69, 159), (120, 180), 0),
        T("kids' padded jacket", "儿童棉服", "110 cm|110码;120 cm|120码;130 cm|130码", (159, 359), (400, 600), 0),
        T("kids' T-shirt", "儿童T恤", "100 cm|100码;120 cm|120码;140 cm|140码", (39, 99), (100, 150), 0),
    ),
    "maternity": (
        T("maternity support pillow", "孕妇护腰枕", "U-shaped|U型;C-shaped|C型", (159, 399), (1800, 2800), 0.5),
        T("nursing bra", "哺乳文胸", "M|M码;L|L码;XL|XL码", (79, 199), (100, 150), 0),
        T("electric breast pump", "电动吸奶器", "single|单边;double|双边", (299, 999), (600, 1200), 0.3),
    ),
    # --- food & beverages --------------------------------------------------------------------------
    "snacks": (
        T("mixed nuts", "每日坚果", "25 g x 30|25克x30包", (89, 169), (800, 900), 0.3),
        T("spicy dried tofu", "麻辣豆干", "500 g|500克", (19, 39), (520, 560), 0.3),
        T("hawthorn cakes", "山楂糕", "400 g|400克", (15, 35), (420, 450), 0.3),
        T("seaweed rice crackers", "海苔米饼", "300 g|300克", (19, 39), (320, 350), 0.3),
    ),
    "tea": (
        T("Longjing green tea", "龙井绿茶", "100 g|100克;250 g|250克", (99, 599), (150, 350), 0.3),
        T("Tieguanyin oolong", "铁观音乌龙茶", "250 g|250克;500 g|500克", (89, 399), (320, 650), 0.3),
        T("pressed Pu'er cake", "普洱茶饼", "357 g|357克", (129, 699), (400, 450), 0.3),
        T("white tea", "白茶", "100 g|100克;300 g|300克", (99, 459), (150, 400), 0.3),
    ),
    "coffee": (
        T("Yunnan arabica coffee beans", "云南阿拉比卡咖啡豆", "250 g|250克;500 g|500克;1 kg|1公斤", (59, 199), (280, 1050), 0.3),
        T("drip coffee bags", "挂耳咖啡", "10 x 10 g|10克x10包;30 x 10 g|10克x30包", (39, 119), (130, 380), 0.3),
        T("cold brew concentrate", "冷萃咖啡液", "25 ml x 12|25毫升x12支", (59, 99), (380, 420), 0.3),
    ),
    "dairy": (
        T("pasture-fed whole milk", "牧场全脂纯牛奶", "250 ml x 12|250毫升x12盒;250 ml x 24|250毫升x24盒", (49, 99), (3200, 6400), 0.3),
        T("plain yoghurt", "原味酸奶", "200 g x 10|200克x10杯", (39, 79), (2100, 2300), 0.3),
        T("milk tablets", "奶贝", "500 g|500克", (39, 79), (520, 560), 0.3),
    ),
    "grain-oil": (
        T("northeast japonica rice", "东北粳米", "5 kg|5公斤;10 kg|10公斤", (49, 129), (5050, 10100), 0.3),
        T("cold-pressed peanut oil", "压榨花生油", "1.8 L|1.8升;5 L|5升", (59, 169), (1700, 4700), 0.3),
        T("dried wheat noodles", "挂面", "1 kg|1公斤;2.5 kg|2.5公斤", (15, 39), (1050, 2600), 0.3),
        T("millet", "小米", "2.5 kg|2.5公斤", (39, 69), (2550, 2600), 0.3),
    ),
    "condiments": (
        T("naturally brewed soy sauce", "酿造酱油", "500 ml|500毫升;1.8 L|1.8升", (15, 49), (650, 2100), 0.3),
        T("aged black vinegar", "陈醋", "500 ml|500毫升", (15, 39), (700, 750), 0.3),
        T("chilli bean paste", "郫县豆瓣酱", "500 g|500克;1 kg|1公斤", (12, 35), (560, 1100), 0.3),
    ),
    "organic-food": (
        T("organic brown rice", "有机糙米", "2.5 kg|2.5公斤;5 kg|5公斤", (49, 129), (2550, 5050), 0.3),
        T("organic black beans", "有机黑豆", "1 kg|1公斤", (29, 59), (1050, 1100), 0.3),
        T("organic goji berries", "有机枸杞", "250 g|250克;500 g|500克", (59, 169), (280, 550), 0.3),
        T("organic rapeseed oil", "有机菜籽油", "1 L|1升;5 L|5升", (49, 199), (950, 4700), 0.3),
    ),
    "drinks": (
        T("mineral water", "天然矿泉水", "550 ml x 24|550毫升x24瓶", (29, 59), (13500, 14000), 0.3),
        T("sugar-free jasmine tea drink", "无糖茉莉花茶饮料", "500 ml x 15|500毫升x15瓶", (49, 79), (7800, 8200), 0.3),
        T("coconut water", "椰子水", "1 L x 6|1升x6瓶", (59, 99), (6400, 6600), 0.3),
    ),
    # --- fresh produce -----------------------------------------------------------------------------
    "fruit": (
        T("Hainan mangoes", "海南芒果", "2.5 kg|5斤装;5 kg|10斤装", (39, 99), (2700, 5300), 0),
        T("navel oranges", "赣南脐橙", "2.5 kg|5斤装;5 kg|10斤装", (35, 79), (2700, 5300), 0),
        T("Yantai apples", "烟台红富士苹果", "2.5 kg|5斤装;5 kg|10斤装", (39, 89), (2700, 5300), 0),
        T("lychees", "妃子笑荔枝", "1.5 kg|3斤装;2.5 kg|5斤装", (59, 139), (1700, 2800), 0),
    ),
    "vegetables": (
        T("seasonal vegetable box", "时令蔬菜箱", "3 kg|6斤装;5 kg|10斤装", (49, 89), (3200, 5300), 0),
        T("greenhouse tomatoes", "大棚番茄", "2.5 kg|5斤装", (29, 49), (2600, 2700), 0),
        T("purple sweet potatoes", "紫薯", "2.5 kg|5斤装;5 kg|10斤装", (25, 49), (2600, 5200), 0),
    ),
    "meat": (
        T("black pork belly", "黑猪五花肉", "500 g|500克;1 kg|1公斤", (49, 109), (600, 1150), 0),
        T("free-range chicken", "散养土鸡", "1.2 kg|1.2公斤", (69, 129), (1300, 1400), 0),
        T("grass-fed beef brisket", "草饲牛腩", "1 kg|1公斤", (99, 169), (1100, 1200), 0),
    ),
    "seafood": (
        T("frozen white shrimp", "冷冻白虾", "1 kg|1公斤;2 kg|2公斤", (79, 179), (1200, 2300), 0),
        T("large yellow croaker", "大黄鱼", "500 g x 2|500克x2条", (69, 139), (1200, 1300), 0),
        T("hairy crabs gift box", "大闸蟹礼盒", "8 crabs|8只装", (299, 699), (2500, 3000), 0),
    ),
    "eggs": (
        T("free-range eggs", "散养土鸡蛋", "30 eggs|30枚;60 eggs|60枚", (39, 89), (1800, 3600), 0),
        T("salted duck eggs", "咸鸭蛋", "20 eggs|20枚", (39, 69), (1500, 1600), 0),
    ),
    "frozen-food": (
        T("pork and cabbage dumplings", "猪肉白菜水饺", "1 kg|1公斤", (29, 49), (1050, 1100), 0),
        T("sesame tangyuan", "黑芝麻汤圆", "500 g|500克", (15, 29), (520, 550), 0),
        T("steamed buns", "手工包子", "12 pcs|12只装", (29, 49), (900, 1000), 0),
    ),
    # --- sports & outdoors -------------------------------------------------------------------------
    "sportswear": (
        T("quick-dry running shirt", "速干跑步T恤", "M|M码;L|L码;XL|XL码", (79, 199), (120, 160), 0),
        T("yoga leggings", "瑜伽裤", "S|S码;M|M码;L|L码", (99, 299), (200, 260), 0),
        T("windproof running jacket", "防风跑步外套", "M|M码;L|L码;XL|XL码", (199, 499), (250, 350), 0),
    ),
    "sports-shoes": (
        T("cushioned running shoes", "缓震跑鞋", "EU 40|40码;EU 42|42码;EU 44|44码", (299, 899), (550, 700), 0.3),
        T("court shoes", "网球鞋", "EU 40|40码;EU 42|42码", (299, 699), (700, 850), 0.3),
    ),
    "fitness-equipment": (
        T("adjustable dumbbells", "可调节哑铃", "2 x 10 kg|10公斤x2;2 x 20 kg|20公斤x2", (299, 999), (20500, 41000), 1),
        T("natural rubber yoga mat", "天然橡胶瑜伽垫", "4 mm|4毫米;6 mm|6毫米", (129, 299), (2000, 2600), 0.5),
        T("folding treadmill", "折叠跑步机", "standard|标准款;with incline|带坡度", (1599, 3999), (35000, 50000), 1),
    ),
    "bicycles": (
        T("city bicycle", "城市通勤自行车", "26 inch|26英寸;700C|700C", (699, 1599), (13000, 16000), 1),
        T("folding bicycle", "折叠自行车", "16 inch|16英寸;20 inch|20英寸", (899, 2499), (10000, 13000), 1),
        T("aluminium mountain bike", "铝合金山地车", "27.5 inch|27.5英寸;29 inch|29英寸", (1299, 3299), (13500, 15500), 1),
    ),
    "camping-hiking": (
        T("4-person camping tent", "四人露营帐篷", "3-season|三季款", (399, 1299), (3500, 5500), 0.6),
        T("down sleeping bag", "羽绒睡袋", "comfort 5°C|舒适5°C;comfort -5°C|舒适-5°C", (399, 1299), (800, 1400), 0.6),
        T("folding camp chair", "折叠露营椅", "standard|标准款;high back|高背款", (99, 299), (1200, 2200), 0.6),
        T("hiking poles", "登山杖", "pair|一对装", (99, 299), (450, 600), 0.6),
    ),
    "ball-sports": (
        T("basketball", "篮球", "size 7|7号球", (99, 299), (600, 650), 0.3),
        T("badminton racket", "羽毛球拍", "single|单拍;pair|对拍", (129, 599), (100, 220), 0.6),
        T("table tennis bat", "乒乓球拍", "5-ply|五层底板;7-ply|七层底板", (99, 399), (180, 220), 0.6),
    ),
    "swimming": (
        T("anti-fog swim goggles", "防雾泳镜", "standard|标准款", (49, 149), (60, 90), 0.3),
        T("chlorine-resistant swimsuit", "抗氯泳衣", "S|S码;M|M码;L|L码", (129, 359), (150, 220), 0),
    ),
    # --- books & stationery ------------------------------------------------------------------------
    "books": (
        T("paperback novel", "平装长篇小说", "standard|平装", (29, 69), (350, 600), 0.3),
        T("hardcover history book", "精装历史读物", "standard|精装", (69, 159), (700, 1200), 0.3),
        T("Chinese cookbook", "中式家常菜谱", "standard|平装", (39, 89), (500, 800), 0.3),
    ),
    "childrens-books": (
        T("picture book set", "绘本套装", "5 books|5册;10 books|10册", (59, 199), (800, 1800), 0.3),
        T("pinyin early reader", "拼音读物", "set of 8|8册装", (39, 99), (600, 900), 0.3),
    ),
    "notebooks-paper": (
        T("recycled-paper notebook", "再生纸笔记本", "A5 3-pack|A5三本装;B5 5-pack|B5五本装", (29, 69), (400, 900), 0.3),
        T("copy paper", "复印纸", "A4 500 sheets x 5|A4 500张x5包", (99, 169), (12000, 12500), 1),
        T("calligraphy rice paper", "书法宣纸", "100 sheets|100张", (49, 129), (600, 900), 0.5),
    ),
    "writing-instruments": (
        T("gel pens", "中性笔", "12-pack|12支装;24-pack|24支装", (19, 49), (150, 300), 0.3),
        T("fountain pen", "钢笔", "EF nib|EF尖;F nib|F尖", (59, 299), (40, 70), 0.3),
        T("calligraphy brush set", "毛笔套装", "5 brushes|5支装", (59, 199), (200, 350), 0.3),
    ),
    "art-supplies": (
        T("watercolour paint set", "水彩颜料套装", "24 colours|24色;36 colours|36色", (59, 199), (350, 600), 0.3),
        T("coloured pencils", "彩色铅笔", "48 colours|48色;72 colours|72色", (39, 129), (400, 700), 0.3),
    ),
    "office-supplies": (
        T("desk organiser", "桌面收纳架", "bamboo|竹制;metal|金属", (39, 99), (600, 1200), 0.5),
        T("stapler", "订书机", "standard|标准款;heavy duty|重型", (19, 69), (200, 600), 0.3),
        T("document folders", "文件夹", "10-pack|10个装", (19, 49), (500, 700), 0.3),
    ),
    # --- toys --------------------------------------------------------------------------------------
    "building-blocks": (
        T("city building block set", "城市拼搭积木", "500 pieces|500颗粒;1200 pieces|1200颗粒", (99, 499), (700, 1800), 0.3),
        T("wooden block set", "木质积木", "100 pieces|100块", (79, 199), (1500, 2200), 0.3),
    ),
    "plush-dolls": (
        T("panda plush toy", "熊猫毛绒公仔", "30 cm|30厘米;60 cm|60厘米", (69, 199), (250, 700), 0.5),
        T("doll with wardrobe", "娃娃衣橱套装", "standard|标准款", (129, 299), (800, 1200), 0.3),
    ),
    "educational-toys": (
        T("magnetic drawing board", "磁性画板", "standard|标准款", (39, 89), (500, 700), 0.3),
        T("wooden abacus", "木质算盘", "standard|标准款", (39, 99), (500, 800), 0.3),
        T("coding robot kit", "编程机器人套件", "starter|入门版;advanced|进阶版", (199, 699), (600, 1200), 0.3),
    ),
    "remote-control-toys": (
        T("remote-control car", "遥控越野车", "1:16|1:16;1:10|1:10", (149, 499), (900, 2200), 0.3),
        T("mini camera drone", "迷你航拍无人机", "standard|标准款", (299, 899), (250, 400), 0.3),
    ),
    "outdoor-toys": (
        T("kids' balance bike", "儿童平衡车", "12 inch|12英寸", (199, 499), (3000, 3800), 1),
        T("kick scooter", "儿童滑板车", "3 wheels|三轮款", (149, 399), (2500, 3200), 1),
        T("bubble machine", "泡泡机", "standard|标准款", (49, 129), (400, 700), 0.3),
    ),
    "musical-instruments": (
        T("acoustic guitar", "民谣吉他", "38 inch|38英寸;41 inch|41英寸", (399, 1299), (2000, 2600), 0.4),
        T("digital piano", "电钢琴", "88 keys|88键", (1999, 4999), (12000, 20000), 1),
        T("erhu", "二胡", "student|学生款;performance|演奏款", (299, 1599), (1200, 1600), 0.4),
    ),
    # --- pet supplies ------------------------------------------------------------------------------
    "dog-food": (
        T("grain-free dog food", "无谷狗粮", "2 kg|2公斤;10 kg|10公斤", (99, 399), (2050, 10100), 0.3),
        T("freeze-dried dog treats", "冻干狗零食", "200 g|200克", (49, 99), (230, 260), 0.3),
    ),
    "cat-food": (
        T("chicken cat food", "鸡肉猫粮", "1.5 kg|1.5公斤;6 kg|6公斤", (79, 299), (1550, 6100), 0.3),
        T("wet cat food cans", "猫罐头", "85 g x 24|85克x24罐", (99, 169), (2400, 2600), 0.3),
    ),
    "cat-litter": (
        T("tofu cat litter", "豆腐猫砂", "6 L|6升;6 L x 4|6升x4袋", (29, 109), (2500, 10000), 0.3),
        T("bentonite cat litter", "膨润土猫砂", "10 kg|10公斤", (39, 79), (10000, 10100), 0.3),
    ),
    "pet-toys": (
        T("feather cat wand", "逗猫棒", "3-pack|3只装", (19, 49), (100, 150), 0.5),
        T("chew rope toy", "磨牙绳结玩具", "medium|中号;large|大号", (19, 49), (150, 300), 0.5),
    ),
    "pet-beds-carriers": (
        T("orthopaedic dog bed", "护脊狗窝", "M|M码;L|L码", (129, 399), (1500, 3000), 0.5),
        T("cat carrier backpack", "猫包双肩外出包", "standard|标准款", (99, 259), (1200, 1600), 0.5),
    ),
    "pet-health": (
        T("pet shampoo", "宠物沐浴露", "500 ml|500毫升", (39, 89), (550, 600), 0.3),
        T("deworming tablets", "驱虫药", "3 doses|3次装", (59, 159), (50, 80), 0.3),
        T("grooming brush", "宠物梳", "standard|标准款", (29, 79), (100, 180), 0.3),
    ),
    # --- household cleaning ------------------------------------------------------------------------
    "cleaning-products": (
        T("plant-based all-purpose cleaner", "植物配方多用途清洁剂", "500 ml|500毫升;1 L refill|1升补充装", (19, 59), (560, 1080), 0.3),
        T("kitchen degreaser", "厨房重油污清洁剂", "500 ml|500毫升", (15, 39), (560, 600), 0.3),
        T("dishwashing liquid", "洗洁精", "1.5 kg|1.5公斤;2.5 kg|2.5公斤", (19, 45), (1550, 2600), 0.3),
        T("concentrated cleaning tablets", "浓缩清洁泡腾片", "10 tablets|10片装", (29, 59), (80, 120), 0.3),
    ),
    "laundry-detergent": (
        T("concentrated laundry liquid", "浓缩洗衣液", "1 kg|1公斤;3 kg|3公斤", (29, 89), (1050, 3100), 0.3),
        T("laundry sheets", "洗衣片", "60 sheets|60片", (39, 79), (200, 260), 0.3),
        T("laundry pods", "洗衣凝珠", "52 pods|52颗", (49, 99), (900, 1000), 0.3),
    ),
    "paper-products": (
        T("bamboo-pulp facial tissues", "竹浆抽纸", "3-ply 100 sheets x 18|3层100抽x18包", (39, 79), (2200, 2500), 0.3),
        T("toilet paper rolls", "卷纸", "4-ply 27 rolls|4层27卷", (39, 89), (3200, 3600), 0.3),
        T("kitchen towels", "厨房纸巾", "75 sheets x 8|75节x8卷", (29, 59), (1400, 1600), 0.3),
        T("wet wipes", "湿厕纸", "40 sheets x 10|40片x10包", (29, 69), (2000, 2400), 0.3),
    ),
    "cleaning-tools": (
        T("spin mop and bucket", "旋转拖把桶", "standard|标准款", (79, 199), (2500, 3500), 0.3),
        T("microfibre cloths", "超细纤维抹布", "10-pack|10条装;20-pack|20条装", (19, 49), (300, 600), 0.5),
        T("flat mop", "平板拖把", "standard|标准款", (49, 129), (1000, 1400), 0.3),
    ),
    "trash-bags": (
        T("compostable bin bags", "可降解垃圾袋", "50 bags|50只装;100 bags|100只装", (19, 49), (400, 800), 0.3),
        T("drawstring bin bags", "抽绳垃圾袋", "90 bags|90只装", (19, 39), (700, 800), 0.3),
    ),
    "insect-repellents": (
        T("mosquito repellent liquid refills", "电热蚊香液", "3 refills with heater|3液1器", (29, 59), (250, 300), 0.3),
        T("herbal mosquito patches", "草本驱蚊贴", "60 patches|60贴", (19, 39), (60, 90), 0.3),
    ),
    # --- health ------------------------------------------------------------------------------------
    "vitamins-supplements": (
        T("vitamin C effervescent tablets", "维生素C泡腾片", "20 tablets|20片;60 tablets|60片", (29, 89), (100, 260), 0.3),
        T("calcium and vitamin D tablets", "钙维D片", "100 tablets|100片", (59, 149), (180, 220), 0.3),
        T("fish oil softgels", "鱼油软胶囊", "100 softgels|100粒;200 softgels|200粒", (99, 299), (200, 380), 0.3),
    ),
    "home-medical-devices": (
        T("upper-arm blood pressure monitor", "上臂式电子血压计", "standard|标准款;with voice|语音款", (169, 399), (500, 700), 0.3),
        T("infrared forehead thermometer", "额温枪", "standard|标准款", (79, 199), (150, 200), 0.3),
        T("fingertip pulse oximeter", "指夹式血氧仪", "standard|标准款", (99, 259), (60, 90), 0.3),
    ),
    "masks-protection": (
        T("KN95 masks", "KN95口罩", "30 masks|30只装;50 masks|50只装", (29, 79), (200, 350), 0.3),
        T("medical surgical masks", "医用外科口罩", "50 masks|50只装", (19, 39), (250, 300), 0.3),
    ),
    "tonics": (
        T("dried red dates", "和田大枣", "500 g|500克;1 kg|1公斤", (39, 99), (550, 1080), 0.3),
        T("donkey-hide gelatin cakes", "阿胶糕", "500 g|500克", (99, 299), (550, 600), 0.3),
        T("dried tremella", "银耳", "250 g|250克", (39, 99), (280, 320), 0.3),
    ),
    "first-aid": (
        T("home first-aid kit", "家庭急救包", "40 items|40件套;80 items|80件套", (69, 199), (600, 1200), 0.3),
        T("adhesive bandages", "创可贴", "100 pcs|100片", (9, 29), (60, 90), 0.3),
    ),
    # --- jewellery & watches -----------------------------------------------------------------------
    "watches": (
        T("automatic mechanical watch", "自动机械表", "39 mm|39毫米;41 mm|41毫米", (999, 3999), (120, 180), 0.3),
        T("solar quartz watch", "光动能石英表", "36 mm|36毫米;40 mm|40毫米", (599, 1999), (70, 110), 0.3),
    ),
    "gold-jewellery": (
        T("999 gold bracelet", "足金手镯", "10 g|10克;20 g|20克;30 g|30克", (6999, 19999), (100, 160), 0.3),
        T("gold pendant", "黄金吊坠", "2 g|2克;5 g|5克", (1399, 3499), (40, 60), 0.3),
    ),
    "silver-jewellery": (
        T("925 silver ring", "925银戒指", "US 6|6号;US 8|8号", (129, 399), (30, 40), 0.3),
        T("silver bangle", "足银手镯", "30 g|30克;50 g|50克", (299, 699), (80, 120), 0.3),
    ),
    "jade-gemstones": (
        T("jadeite pendant", "翡翠吊坠", "certified|附鉴定证书", (999, 8999), (40, 60), 0.3),
        T("freshwater pearl necklace", "淡水珍珠项链", "7 mm|7毫米;9 mm|9毫米", (299, 1299), (60, 90), 0.3),
    ),
    "fashion-jewellery": (
        T("recycled brass earrings", "再生黄铜耳环", "standard|标准款", (59, 159), (20, 30), 0.3),
        T("beaded bracelet", "串珠手链", "standard|标准款", (39, 129), (25, 40), 0.3),
    ),
    "eyewear": (
        T("titanium glasses frame", "钛架眼镜框", "standard|标准款", (299, 899), (60, 80), 0.3),
        T("polarised sunglasses", "偏光太阳镜", "standard|标准款", (159, 599), (70, 100), 0.3),
        T("blue-light glasses", "防蓝光眼镜", "standard|标准款", (79, 199), (50, 70), 0.3),
    ),
    # --- auto & mobility ---------------------------------------------------------------------------
    "car-electronics": (
        T("4K dash cam", "4K行车记录仪", "front|单镜头;front and rear|前后双录", (299, 899), (200, 350), 0.3),
        T("car air purifier", "车载空气净化器", "standard|标准款", (149, 399), (400, 600), 0.3),
        T("tyre inflator", "车载充气泵", "standard|标准款", (129, 299), (500, 800), 0.3),
    ),
    "car-care": (
        T("waterless car wash", "免水洗车液", "500 ml|500毫升;1 L|1升", (29, 69), (550, 1080), 0.3),
        T("microfibre drying towel", "超细纤维擦车巾", "60x160 cm|60x160厘米", (29, 79), (300, 400), 0.5),
        T("windscreen washer fluid", "玻璃水", "2 L x 2|2升x2桶", (19, 49), (4100, 4300), 0.3),
    ),
    "car-accessories": (
        T("seat cushion", "汽车座垫", "single|单座;full set|全套", (99, 599), (800, 4000), 0.5),
        T("car phone mount", "车载手机支架", "vent clip|出风口款;dashboard|中控台款", (39, 129), (100, 200), 0.3),
        T("all-weather floor mats", "全包围脚垫", "5 seats|五座", (199, 599), (5000, 7000), 0.3),
    ),
    "tyres": (
        T("low-rolling-resistance tyre", "低滚阻节能轮胎", "205/55 R16|205/55 R16;225/45 R17|225/45 R17", (399, 899), (8500, 10000), 1),
        T("all-season SUV tyre", "四季SUV轮胎", "235/60 R18|235/60 R18;255/55 R19|255/55 R19", (599, 1299), (11000, 13500), 1),
    ),
    "ev-chargers": (
        T("7 kW home EV charger", "7千瓦家用充电桩", "with 5 m cable|5米线;with 10 m cable|10米线", (1299, 2599), (5000, 7500), 1),
        T("portable EV charger", "便携式充电枪", "3.5 kW|3.5千瓦", (599, 1199), (2000, 2600), 1),
    ),
    "electric-bikes": (
        T("electric bicycle", "电动自行车", "48 V 20 Ah|48V 20Ah;48 V 24 Ah|48V 24Ah", (1999, 3999), (45000, 55000), 1),
        T("electric kick scooter", "电动滑板车", "25 km range|续航25公里;40 km range|续航40公里", (1299, 2799), (12000, 17000), 1),
    ),
    # --- garden & plants ---------------------------------------------------------------------------
    "potted-plants": (
        T("money tree", "发财树", "small|小盆;large|大盆", (59, 299), (2000, 9000), 0),
        T("pothos", "绿萝", "2-pack|两盆装", (29, 59), (1500, 2200), 0),
        T("phalaenopsis orchid", "蝴蝶兰", "2 spikes|双枝;3 spikes|三枝", (99, 259), (1800, 2600), 0),
        T("succulent collection", "多肉组合", "6 pots|6盆装;12 pots|12盆装", (39, 99), (900, 1800), 0),
    ),
    "seeds-bulbs": (
        T("vegetable seed kit", "蔬菜种子套装", "10 varieties|10种;20 varieties|20种", (19, 49), (100, 200), 0.3),
        T("tulip bulbs", "郁金香种球", "10 bulbs|10颗;30 bulbs|30颗", (49, 129), (300, 900), 0.3),
    ),
    "planters": (
        T("glazed ceramic planter", "陶瓷花盆", "18 cm|18厘米;25 cm|25厘米", (39, 129), (1200, 2800), 0.5),
        T("self-watering planter", "自吸水花盆", "3-pack|三只装", (49, 99), (900, 1200), 0.5),
    ),
    "garden-tools": (
        T("pruning shears", "修枝剪", "standard|标准款", (39, 129), (200, 300), 0.3),
        T("garden tool set", "园艺工具套装", "5 pieces|5件套", (59, 149), (1000, 1500), 0.3),
        T("expandable garden hose", "伸缩水管", "15 m|15米;30 m|30米", (59, 159), (800, 1500), 0.3),
    ),
    "fertilisers-soil": (
        T("organic potting soil", "有机营养土", "10 L|10升;50 L|50升", (19, 69), (4000, 20000), 0.3),
        T("slow-release fertiliser", "缓释肥", "500 g|500克;1 kg|1公斤", (19, 49), (520, 1050), 0.3),
        T("worm castings", "蚯蚓粪", "5 kg|5公斤", (29, 59), (5000, 5100), 0.3),
    ),
    "outdoor-furniture": (
        T("rattan patio set", "藤编户外桌椅", "2 chairs and table|一桌两椅;4 chairs and table|一桌四椅", (799, 2499), (15000, 30000), 1),
        T("folding garden table", "折叠庭院桌", "80 cm|80厘米;120 cm|120厘米", (199, 599), (6000, 10000), 1),
    ),
}
# fmt: on
