"""The organisation the measures require: caseworkers (M11), service stations and the
皖北/皖南 split they depend on (M12), the township's joint review group and how it decides (M8).
"""

from __future__ import annotations

from collections.abc import Iterable

from . import defaults

#: docs/policy.md: the 16 Anhui prefecture codes, plus 3414 (former 巢湖, still in old ID numbers).
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


def area_of_city(city_code4: str, north_codes: Iterable[str] = defaults.NORTH_CITY_CODES) -> str:
    """M12 / docs/policy.md: "north" (皖北) when the prefecture code is in ``north_codes`` (default:
    淮北 3406, 亳州 3416, 宿州 3413, 蚌埠 3403, 阜阳 3412, 淮南 3404), else "south" (皖南).
    Accepts a 4-digit prefecture code or a longer division code (its first 4 digits); a code
    that is not an Anhui prefecture (3414 accepted) is a ValueError."""
    code = str(city_code4).strip()
    if len(code) < 4 or not code.isdigit() or code[:4] not in ANHUI_CITY_CODES:
        raise ValueError(f"不是安徽省的设区市代码：{city_code4!r}")
    return "north" if code[:4] in north_codes else "south"


# ---------------------------------------------------------------------------
# The township's joint review group (M8)
# ---------------------------------------------------------------------------

#: M8: 乡镇（街道）要成立多部门参与的社会救助联审联批领导小组 … 集体研究社会救助相关事项. The
#: measure gives no numbers: "多部门" is read as at least 2 departments, and a collective
#: decision as one taken by at least 3 members (local practice; the smallest group in which
#: a majority can outvote a dissent).
REVIEW_GROUP_MIN_MEMBERS = 3
REVIEW_GROUP_MIN_DEPARTMENTS = 2


def review_group_complete(members: Iterable[tuple[str, str]]) -> bool:
    """M8: the joint review group has at least ``REVIEW_GROUP_MIN_MEMBERS`` members from at
    least ``REVIEW_GROUP_MIN_DEPARTMENTS`` departments; ``members`` are (name, department)."""
    members = list(members)
    departments = {department for _, department in members}
    return len(members) >= REVIEW_GROUP_MIN_MEMBERS and len(departments) >= REVIEW_GROUP_MIN_DEPARTMENTS


def quorum_reached(present: int, members: int) -> bool:
    """M8 (集体研究): the meeting decides only when more than half (过半数, strictly: exactly
    half is not enough) of the group's members are present."""
    return present * 2 > members


def majority_for(votes_for: int, present: int) -> bool:
    """M8 (集体研究): an approval needs the votes of more than half (过半数, strictly) of the
    members present; abstentions count as not in favour."""
    return votes_for * 2 > present
