"""特困人员认定办法 (民政部, 2021): inability to work, supporters able to support, the
eligibility of a member, and the six-activity self-care assessment whose level decides the
care standard (``StandardValues.care_standard``).
"""

from __future__ import annotations

from collections.abc import Mapping

from .assets import property_ok
from .facts import HouseholdFacts, MemberFacts, StandardValues, SupporterFacts
from .income import count_income

#: 特困人员认定办法: 60 周岁以上 (inclusive) and 未满 16 周岁 are unable to work.
ELDERLY_AGE = 60
MINOR_AGE = 16
#: 特困人员认定办法: minors are supported until 18, and longer while still in school.
MINOR_SUPPORT_AGE = 18


def unable_to_work(m: MemberFacts) -> bool:
    """特困人员认定办法 (无劳动能力): aged 60 or over; under 16; intellectual or mental disability
    grade 1–3; physical disability grade 1–2; visual disability grade 1. (Hearing, speech and
    "multiple" disabilities are not listed; a province may add cases — not modelled here.)"""
    return (
        m.age >= ELDERLY_AGE
        or m.age < MINOR_AGE
        or m.disabled("intellectual", "mental", grades=(1, 2, 3))
        or m.disabled("physical", grades=(1, 2))
        or m.disabled("visual", grades=(1,))
    )


def supporter_able(s: SupporterFacts, std: StandardValues) -> bool:
    """特困人员认定办法: a person with a legal duty to support is able to when their monthly
    income reaches (以上, inclusive) the local ability line ``std.supporter_income_line``,
    unless the investigation found them unable (``s.unable``)."""
    return not s.unable and s.monthly_income >= std.supporter_income_line


def able_supporters(h: HouseholdFacts, std: StandardValues) -> list[int]:
    """Indices of ``h.supporters`` able to support."""
    return [i for i, s in enumerate(h.supporters) if supporter_able(s, std)]


def has_able_supporter(h: HouseholdFacts, std: StandardValues) -> bool:
    """The investigation's verdict, or any recorded supporter able to support."""
    return h.has_able_supporter or bool(able_supporters(h, std))


def tekun_eligible(h: HouseholdFacts, std: StandardValues, member_index: int, *, continuing: bool = False) -> bool:
    """特困人员认定办法: member ``member_index`` is unable to work (``unable_to_work``), the
    household's per-capita income is below (strictly) the dibao standard, property is within
    the rules, and there is no supporter able to support (``has_able_supporter``).

    Typically called for a single-person household. ``continuing=True`` is for a person already
    supported as a minor: support continues to 18 (ages 16–17 still count as unable to work),
    and beyond 18 while the person is in school (``in_school``)."""
    if not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index}")
    m = h.members[member_index]
    unable = unable_to_work(m)
    if not unable and continuing:
        unable = m.age < MINOR_SUPPORT_AGE or m.in_school
    if not unable or has_able_supporter(h, std) or not property_ok(h, std):
        return False
    return count_income(h, std).exact < std.dibao_standard


#: 特困人员认定办法: the six activities of the self-care assessment.
SELF_CARE_ACTIVITIES = ("eat", "dress", "bed_transfer", "toilet", "walk_indoors", "bathe")
SELF_CARE_LABELS = {
    "eat": "进食",
    "dress": "穿衣",
    "bed_transfer": "上下床",
    "toilet": "如厕",
    "walk_indoors": "室内行走",
    "bathe": "洗澡",
}
SELF_CARE_LEVEL_LABELS = {"full": "具备生活自理能力", "partial": "部分丧失生活自理能力", "lost": "完全丧失生活自理能力"}


def self_care_level(able: Mapping[str, bool]) -> str:
    """特困人员认定办法: self-care from the six activities (``SELF_CARE_ACTIVITIES``), each True
    when the person can do it alone. All able → "full"; 1–3 failed → "partial"
    (部分丧失); 4 or more failed → "lost" (完全丧失). Every activity must be given, as a bool;
    a missing or unknown key is a ValueError."""
    unknown = [k for k in able if k not in SELF_CARE_LABELS]
    if unknown:
        raise ValueError(f"未知的自理能力评估项目：{'、'.join(map(str, unknown))}")
    missing = [SELF_CARE_LABELS[k] for k in SELF_CARE_ACTIVITIES if k not in able]
    if missing:
        raise ValueError(f"自理能力评估缺少项目：{'、'.join(missing)}")
    failed = 0
    for k in SELF_CARE_ACTIVITIES:
        v = able[k]
        if not isinstance(v, bool):
            raise ValueError(f"自理能力评估项目“{SELF_CARE_LABELS[k]}”必须填写能或不能")
        failed += not v
    if failed == 0:
        return "full"
    return "partial" if failed <= 3 else "lost"
