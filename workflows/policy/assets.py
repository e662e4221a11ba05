"""Property within the local limits (最低生活保障审核确认办法 art. 9: 家庭财产状况符合当地规定),
a condition of dibao, marginal status and 特困. The limits are local (``StandardValues``); the
caseworker may find the property within the rules with a written reason.
"""

from __future__ import annotations

from typing import NamedTuple

from .facts import FINANCIAL_ASSET_KINDS, HouseholdFacts, StandardValues
from .money import ZERO, yuan


class PropertyCheck(NamedTuple):
    """``within``: property within the local rules; ``reasons``: one line per limit that decided."""

    within: bool
    reasons: tuple[str, ...]


def property_check(h: HouseholdFacts, std: StandardValues) -> PropertyCheck:
    """Property within the local limits (a condition of dibao, marginal status and 特困):

    * financial assets (deposits, securities) at most (以内) std.financial_assets_months ×
      the dibao standard × members;
    * vehicles other than those needed for a disability or for work: total value at most
      std.vehicle_value_limit (0 by default: none);
    * houses other than the one lived in: at most std.extra_houses_allowed;
    * business assets: at most std.business_value_limit.

    The investigation's own verdict ``h.assets_within_limits = False`` fails it too. The
    clerk's written ``h.property_override`` makes it pass, and its reason is given."""
    n = len(h.members)
    failed: list[str] = []
    passed: list[str] = []
    if not h.assets_within_limits:
        failed.append("经入户调查认定家庭财产状况不符合当地规定")
    financial = vehicles = business = ZERO
    houses = 0
    for a in h.assets:
        if a.kind in FINANCIAL_ASSET_KINDS:
            financial += a.value
        elif a.exempt_use:
            continue
        elif a.kind == "vehicle":
            vehicles += a.value
        elif a.kind == "house":
            houses += 1
        elif a.kind == "business":
            business += a.value
    limit = std.dibao_standard * std.financial_assets_months * n
    line = f"金融资产（存款、有价证券）{yuan(financial)}，当地限额为人均 {std.financial_assets_months} 个月低保标准，{n} 人共 {yuan(limit)}"
    (failed if financial > limit else passed).append(line + ("，超过限额" if financial > limit else "，未超过限额"))
    if vehicles > std.vehicle_value_limit:
        allowed = "不得拥有" if not std.vehicle_value_limit else f"价值不超过 {yuan(std.vehicle_value_limit)}"
        failed.append(f"拥有非残疾代步、非生产经营必需的机动车，价值 {yuan(vehicles)}（当地规定：{allowed}）")
    if houses > std.extra_houses_allowed:
        failed.append(f"自住房以外另有房产 {houses} 套（当地规定：不超过 {std.extra_houses_allowed} 套）")
    if business > std.business_value_limit:
        failed.append(f"经营性资产 {yuan(business)}，超过当地规定的 {yuan(std.business_value_limit)}")
    if failed and h.property_override:
        return PropertyCheck(True, (f"家庭财产经办人员书面认定符合规定（{h.property_override}）；按当地限额：" + "；".join(failed),))
    if failed:
        return PropertyCheck(False, tuple(failed))
    return PropertyCheck(True, ("家庭财产状况符合当地规定：" + "；".join(passed),))


def property_ok(h: HouseholdFacts, std: StandardValues) -> bool:
    """``property_check(h, std).within``, without building the reasons when nothing is recorded."""
    # The hot path: a household with no recorded assets needs no evaluation.
    if not h.assets and not h.property_override:
        return h.assets_within_limits
    return property_check(h, std).within
