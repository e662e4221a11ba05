"""The 12-digit statistical division code (2 province, 2 city, 2 county, 3 township, 3 village)."""

LEVEL_PROVINCE = "province"
LEVEL_CITY = "city"
LEVEL_COUNTY = "county"
LEVEL_TOWNSHIP = "township"
LEVEL_VILLAGE = "village"

LEVEL_CHOICES = [
    (LEVEL_PROVINCE, "省"),
    (LEVEL_CITY, "市"),
    (LEVEL_COUNTY, "县（区）"),
    (LEVEL_TOWNSHIP, "乡镇（街道）"),
    (LEVEL_VILLAGE, "村（社区）"),
]

PREFIX_LENGTH = {
    LEVEL_PROVINCE: 2,
    LEVEL_CITY: 4,
    LEVEL_COUNTY: 6,
    LEVEL_TOWNSHIP: 9,
    LEVEL_VILLAGE: 12,
}


def level_of(code: str) -> str:
    """The level a 12-digit code names, read from its trailing zeros."""
    if len(code) != 12 or not code.isdigit():
        raise ValueError(f"区划代码应为12位数字：{code!r}")
    if code[9:] != "000":
        return LEVEL_VILLAGE
    if code[6:9] != "000":
        return LEVEL_TOWNSHIP
    if code[4:6] != "00":
        return LEVEL_COUNTY
    if code[2:4] != "00":
        return LEVEL_CITY
    return LEVEL_PROVINCE


def prefix_of(code: str) -> str:
    """The prefix every code inside this region starts with."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def parent_code(code: str) -> str | None:
    level = level_of(code)
    if level == LEVEL_PROVINCE:
        return None
    keep = {LEVEL_CITY: 2, LEVEL_COUNTY: 4, LEVEL_TOWNSHIP: 6, LEVEL_VILLAGE: 9}[level]
    return code[:keep].ljust(12, "0")


def county_of(code: str) -> str:
    return code[:6].ljust(12, "0")


def township_of(code: str) -> str:
    return code[:9].ljust(12, "0")


def city_of(code: str) -> str:
    return code[:4].ljust(12, "0")
