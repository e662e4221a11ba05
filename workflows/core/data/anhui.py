"""Anhui division codes for the demo (pure data, no Django).

Province and the 16 prefecture-level cities carry their real statistical codes. The four demo
counties carry real codes and names; their townships and villages have real-sounding names and
codes in the real layout (township 3 digits, village 3 digits: 0xx communities, 2xx villages),
but they are demo data, not a copy of the official division list.
"""

from workflows.policy.defaults import NORTH_CITY_CODES

PROVINCE = ("340000000000", "安徽省")

# (4-digit city prefix, name), in code order.
CITY_NAMES = [
    ("3401", "合肥市"),
    ("3402", "芜湖市"),
    ("3403", "蚌埠市"),
    ("3404", "淮南市"),
    ("3405", "马鞍山市"),
    ("3406", "淮北市"),
    ("3407", "铜陵市"),
    ("3408", "安庆市"),
    ("3410", "黄山市"),
    ("3411", "滁州市"),
    ("3412", "阜阳市"),
    ("3413", "宿州市"),
    ("3415", "六安市"),
    ("3416", "亳州市"),
    ("3417", "池州市"),
    ("3418", "宣城市"),
]

# (12-digit code, name, area): 皖北 / 皖南 as docs/policy.md lists them (M12).
CITIES = [(prefix.ljust(12, "0"), name, "north" if prefix in NORTH_CITY_CODES else "south") for prefix, name in CITY_NAMES]

# county code -> (name, [(township 9-digit code, township name, [(village 12-digit code, name, registered population)])]).
# Village code 0xx is a community (社区, urban households), 2xx a village (村, rural households).
# Populations are spread around the caseworker thresholds of M11 (3000 / 6000 / 9000 people).
DEMO_COUNTIES = {
    "340121000000": (
        "长丰县",
        [
            ("340121100", "水湖镇", [("001", "水湖社区", 9400), ("201", "北城村", 3200), ("202", "魏老庄村", 1800), ("203", "长岗村", 6100)]),
            ("340121101", "庄墓镇", [("001", "庄墓社区", 4500), ("201", "老庄村", 2900), ("202", "新桥村", 3000), ("203", "楼岗村", 2400)]),
            ("340121102", "杨庙镇", [("001", "杨庙社区", 5200), ("201", "马郢村", 2100), ("202", "张祠村", 6000), ("203", "双庙村", 3800)]),
        ],
    ),
    "340122000000": (
        "肥东县",
        [
            ("340122100", "店埠镇", [("001", "长安社区", 12000), ("201", "众兴村", 5900), ("202", "石塘桥村", 2600), ("203", "八斗岭村", 3100)]),
            ("340122101", "撮镇镇", [("001", "撮镇社区", 7300), ("201", "瑶岗村", 2800), ("202", "龙塘村", 4400), ("203", "古城村", 1500)]),
            ("340122102", "梁园镇", [("001", "梁园社区", 6600), ("201", "枣林村", 3300), ("202", "石门村", 2200), ("203", "龙泉村", 9000)]),
        ],
    ),
    "341221000000": (
        "临泉县",
        [
            ("341221101", "杨桥镇", [("001", "杨桥社区", 8800), ("201", "刘大庄村", 4600), ("202", "前郢村", 3000), ("203", "孙寨村", 6200)]),
            ("341221102", "鲖城镇", [("001", "鲖城社区", 10500), ("201", "东湖村", 3500), ("202", "王营村", 2700), ("203", "李庄村", 5800)]),
            ("341221103", "谭棚镇", [("001", "谭棚社区", 6400), ("201", "韦寨村", 2950), ("202", "高庄村", 3050), ("203", "南湖村", 7100)]),
        ],
    ),
    "341222000000": (
        "太和县",
        [
            ("341222100", "城关镇", [("001", "沙河社区", 11200), ("201", "三里湾村", 3900), ("202", "陈庄村", 2500), ("203", "前进村", 6050)]),
            ("341222101", "旧县镇", [("001", "旧县社区", 5600), ("201", "倪桥村", 3100), ("202", "陶庄村", 1900), ("203", "郭庙村", 8900)]),
            ("341222102", "税镇镇", [("001", "税镇社区", 7800), ("201", "黄岗村", 2300), ("202", "卢庄村", 4200), ("203", "柳营村", 9100)]),
        ],
    ),
}

# Address codes the counties' residents were given, by birth year (GB/T 2260 history as
# python-stdnum knows it): 肥东 was 342621 (巢湖地区) before 1983, 临泉 and 太和 were 3421xx
# (阜阳地区) until 1996. (code, first birth year, last birth year), None = open.
ID_ADDRESS_CODES: dict[str, list[tuple[str, int | None, int | None]]] = {
    "340121000000": [("340121", None, None)],
    "340122000000": [("340122", 1983, None), ("342621", None, 1982)],
    "341221000000": [("341221", 1996, None), ("342122", None, 1995)],
    "341222000000": [("341222", 1996, None), ("342123", None, 1995)],
}

# Banks that pay assistance in the demo counties: national banks plus the county's rural
# commercial bank. (name, 6-digit BIN, card length); BINs are demo values.
NATIONAL_BANKS = [
    ("中国农业银行", "622848", 19),
    ("中国邮政储蓄银行", "621799", 19),
    ("中国工商银行", "622202", 19),
    ("中国建设银行", "436742", 16),
]
RURAL_BANKS = {
    "340121000000": ("安徽长丰农村商业银行", "622678", 19),
    "340122000000": ("安徽肥东农村商业银行", "622679", 19),
    "341221000000": ("安徽临泉农村商业银行", "622680", 19),
    "341222000000": ("安徽太和农村商业银行", "622681", 19),
}

# Demo dibao standards (元/人·月) from 2024-01-01: plausible values, NOT official figures.
DEMO_STANDARDS = {
    "340121000000": {"urban": 880, "rural": 770},
    "340122000000": {"urban": 870, "rural": 760},
    "341221000000": {"urban": 810, "rural": 710},
    "341222000000": {"urban": 820, "rural": 720},
}


def demo_regions():
    """Every demo region as (code, name, level, parent code, area, registered population), parents first."""
    rows = [(PROVINCE[0], PROVINCE[1], "province", None, "", None)]
    rows += [(code, name, "city", PROVINCE[0], area, None) for code, name, area in CITIES]
    for county, (county_name, townships) in DEMO_COUNTIES.items():
        rows.append((county, county_name, "county", county[:4].ljust(12, "0"), "", None))
        for township9, township_name, villages in townships:
            township = township9 + "000"
            rows.append((township, township_name, "township", county, "", None))
            rows += [(township9 + suffix, name, "village", township, "", population) for suffix, name, population in villages]
    return rows
