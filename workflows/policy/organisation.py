"""The organisation the measures require (M11 caseworkers, M12 service stations and the
皖北/皖南 split they depend on).
"""

from __future__ import annotations

from . import defaults

#: POLICY.md: the 16 Anhui prefecture codes, plus 3414 (former 巢湖, still in old ID numbers).
ANHUI_CITY_CODES = frozenset(
    {"3401", "3402", "3403", "3404", "3405", "3406", "3407", "3408", "3410", "3411", "3412", "3413", "3414", "3415", "3416", "3417", "3418"}
)

AREA_LABELS = {"north": "皖北", "south": "皖南"}


def caseworkers_required(registered_population: int) -> int:
    """M11: a village/community with a registered population of 3000 or more (以上) has 1
    caseworker, 1 more for each further 3000, at most 3; below 3000: none required."""
    if registered_population < 0:
        raise ValueError(f"户籍人口不能为负数：{registered_population}")
    return min(defaults.CASEWORKER_MAX, registered_population // defaults.CASEWORKER_POPULATION_STEP)


def needs_service_station(area: str, long_term_recipients: int) -> bool:
    """M12: a village/community with 100 or more (以上) long-term recipients in 皖北 ("north"),
    50 or more in 皖南 ("south"), sets up a service station."""
    try:
        threshold = defaults.SERVICE_STATION_THRESHOLD[area]
    except KeyError:
        raise ValueError(f"未知的片区：{area!r}（应为 north 皖北 或 south 皖南）") from None
    if long_term_recipients < 0:
        raise ValueError(f"常年救助对象人数不能为负数：{long_term_recipients}")
    return long_term_recipients >= threshold


def area_of_city(city_code4: str, north_codes=defaults.NORTH_CITY_CODES) -> str:
    """M12 / POLICY.md: "north" (皖北) when the prefecture code is in ``north_codes`` (default:
    淮北 3406, 亳州 3416, 宿州 3413, 蚌埠 3403, 阜阳 3412, 淮南 3404), else "south" (皖南).
    Accepts a 4-digit prefecture code or a longer division code (its first 4 digits); a code
    that is not an Anhui prefecture (3414 accepted) is a ValueError."""
    code = str(city_code4).strip()
    if len(code) < 4 or not code.isdigit() or code[:4] not in ANHUI_CITY_CODES:
        raise ValueError(f"不是安徽省的设区市代码：{city_code4!r}")
    return "north" if code[:4] in north_codes else "south"
