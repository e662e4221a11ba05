"""One decision per kind of application (dibao, 特困, marginal, 单人户): ``application_outcome``,
the one computation behind the clerk's explanation, the recorded assessment and the notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .assets import property_check
from .dibao import amount_text, benefit_gap, income_steps, single_person_eligible_member
from .facts import DISABILITY_LABELS, SUPPORT_DUTY_LABELS, HouseholdFacts, MemberFacts, StandardValues
from .income import count_income, member_counted_income
from .money import CENT, ROUNDING_LABELS, ZERO, round_amount, yuan
from .tekun import ELDERLY_AGE, MINOR_AGE, MINOR_SUPPORT_AGE, SELF_CARE_LEVEL_LABELS, able_supporters, unable_to_work

APPLICATION_KINDS = ("dibao", "tekun", "marginal", "single_person")
APPLICATION_KIND_LABELS = {"dibao": "最低生活保障", "tekun": "特困人员救助供养", "marginal": "低保边缘家庭", "single_person": "单人户低保"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decision of ``application_outcome``.

    ``monthly_amount`` is None for a marginal household (recognised, not paid) and for a
    refusal; ``reasons`` holds one Chinese line per rule that decided (for a refusal, only the
    rules that failed); ``steps`` is the clerk's step-by-step explanation, from the same
    computation. ``basic_amount`` / ``care_amount``: the two parts of a 特困 amount."""

    eligible: bool
    monthly_amount: Decimal | None
    reasons: tuple[str, ...]
    kind: str = ""
    member_index: int | None = None
    per_capita: Decimal = ZERO
    standard: Decimal = ZERO
    basic_amount: Decimal | None = None
    care_amount: Decimal | None = None
    self_care: str = ""
    steps: tuple[tuple[str, str], ...] = ()


def _age_reason(m: MemberFacts) -> str:
    if m.age >= ELDERLY_AGE:
        return f"年满 {ELDERLY_AGE} 周岁（{m.age} 周岁）"
    if m.age < MINOR_AGE:
        return f"未满 {MINOR_AGE} 周岁（{m.age} 周岁）"
    label = DISABILITY_LABELS.get(m.disability_type, "")
    return f"{label}{m.disability_grade}级"


def _member_label(i: int) -> str:
    return f"第 {i + 1} 名成员"


def _member(h: HouseholdFacts, kind: str, member_index: int | None) -> int:
    if member_index is None:
        if len(h.members) == 1:
            return 0
        raise ValueError(f"{APPLICATION_KIND_LABELS[kind]}申请须指明申请对象（家庭成员序号）")
    if not isinstance(member_index, int) or not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index!r}")
    return member_index


def application_outcome(kind: str, facts: HouseholdFacts, std: StandardValues, member_index: int | None = None, *, continuing: bool = False) -> Outcome:
    """The one decision of an application (and of its recheck), per kind:

    * "dibao" (最低生活保障审核确认办法): property within the local limits and per-capita income
      (exact) below the standard; amount = standard × members − net counted income, floored at
      0, rounded once per std.rounding;
    * "tekun" (特困人员认定办法): member ``member_index`` unable to work (``unable_to_work``; with
      ``continuing`` a supported minor stays to 18, longer in school), no livelihood (income
      below the dibao standard, property within the limits), no supporter able to support;
      amount = the basic living standard (``tekun_basic_standard``) + the care standard of the
      member's self-care level;
    * "marginal": not dibao-eligible, income below the marginal line, property within the
      limits; recognised, not paid (amount None);
    * "single_person" (art. 8; M2): a severely disabled or seriously ill member of a marginal
      household, covered alone for the standard less their own counted income (rounded once).

    ``member_index`` may be omitted for a one-person household. An unknown kind is a ValueError.
    """
    if kind not in APPLICATION_KINDS:
        raise ValueError(f"未知的申请类别：{kind!r}（应为 dibao、tekun、marginal 或 single_person）")
    n = len(facts.members)
    inc = count_income(facts, std)
    prop = property_check(facts, std)
    steps = income_steps(facts, std, inc)
    steps.append(("家庭财产", "；".join(prop.reasons)))
    below_std = inc.exact < std.dibao_standard
    shown = yuan(inc.per_capita) if inc.exact == inc.per_capita else f"{inc.exact:,.4f} 元"
    income_below = f"家庭人均月收入 {shown}，低于当地低保标准 {yuan(std.dibao_standard)}"
    income_not_below = f"家庭人均月收入 {shown}，不低于当地低保标准 {yuan(std.dibao_standard)}"
    limit = std.marginal_limit
    below_line = inc.exact < limit
    line_text = f"低保边缘标准 {yuan(limit.quantize(CENT, ROUND_HALF_UP))}（低保标准 × {std.marginal_multiplier}）"
    ok: list[str] = []
    failed: list[str] = []

    checks: list[tuple[str, str]] = []  # every rule evaluated, for the clerk's explanation

    def rule(passes: bool, yes: str, no: str | tuple[str, ...]) -> None:
        found = [yes] if passes else list((no,) if isinstance(no, str) else no)
        (ok if passes else failed).extend(found)
        if not set(found) <= set(prop.reasons):  # the property rule explains itself
            checks.extend(("审核条件", ("符合：" if passes else "不符合：") + text) for text in found)

    member = None
    amount: Decimal | None = None
    basic = care = None
    level = ""
    if kind in ("dibao", "marginal"):
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        if kind == "dibao":
            rule(below_std, income_below, income_not_below)
        else:
            rule(not below_std, income_not_below + "，不符合低保条件", income_below + "，符合低保条件，应申请最低生活保障")
            rule(below_line, f"低于{line_text}", f"家庭人均月收入 {shown}，不低于{line_text}")
        eligible = not failed
        if eligible and kind == "dibao":
            amount = round_amount(benefit_gap(inc.net, n, std), std.rounding)
            text = amount_text(inc, n, std, amount)
            ok.append("月保障金：" + text)
            steps.append(("保障金计算", text))
    elif kind == "tekun":
        member = _member(facts, kind, member_index)
        m = facts.members[member]
        unable = unable_to_work(m)
        if unable:
            rule(True, f"{_member_label(member)}{_age_reason(m)}，属于无劳动能力（特困人员认定办法）", "")
        elif continuing and (m.age < MINOR_SUPPORT_AGE or m.in_school):
            why = f"未满 {MINOR_SUPPORT_AGE} 周岁" if m.age < MINOR_SUPPORT_AGE else "仍在校就读"
            rule(True, f"{_member_label(member)}原按未成年人供养，现{why}，继续供养（特困人员认定办法）", "")
        else:
            rule(
                False,
                "",
                f"{_member_label(member)}现年 {m.age} 周岁，不满 {ELDERLY_AGE} 周岁、已满 {MINOR_AGE} 周岁，且无认定无劳动能力的残疾等级，"
                f"不属于无劳动能力（特困人员认定办法），不符合特困人员认定条件",
            )
        rule(below_std, income_below + "，无生活来源", income_not_below + "，不属于无生活来源")
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        able = able_supporters(facts, std)
        if facts.has_able_supporter:
            rule(False, "", "经调查有具备赡养、抚养、扶养能力的法定义务人")
        elif able:
            line = std.supporter_income_line
            rule(
                False,
                "",
                tuple(
                    f"法定{SUPPORT_DUTY_LABELS[facts.supporters[i].duty]}义务人{facts.supporters[i].name}月收入 "
                    f"{yuan(facts.supporters[i].monthly_income)}，达到当地赡养（抚养、扶养）能力认定线 {yuan(line)}，具备履行义务能力"
                    for i in able
                ),
            )
        elif facts.supporters:
            rule(True, "法定赡养、抚养、扶养义务人均无履行义务能力（收入低于当地认定线或经调查认定）", "")
        else:
            rule(True, "无法定赡养、抚养、扶养义务人", "")
        eligible = not failed
        if eligible:
            basic = std.tekun_basic_standard
            level = m.self_care
            origin = "特困人员基本生活标准" if std.tekun_standard is not None else f"低保标准 {yuan(std.dibao_standard)} × {std.tekun_multiplier}"
            if level:
                care = std.care_standard(level)
                amount = basic + care
                text = f"基本生活标准 {yuan(basic)}（{origin}）＋ 照料护理标准 {yuan(care)}（{SELF_CARE_LEVEL_LABELS[level]}）= {yuan(amount)}"
            else:
                care = ZERO.quantize(CENT)
                amount = basic
                text = f"基本生活标准 {yuan(basic)}（{origin}）；生活自理能力尚未评估，照料护理费待评估后计发"
            ok.append("月供养金：" + text)
            steps.append(("供养金计算", text))
    else:  # single_person
        member = _member(facts, kind, member_index)
        m = facts.members[member]
        rule(
            single_person_eligible_member(m),
            f"{_member_label(member)}为重度残疾人或重病患者（最低生活保障审核确认办法第八条）",
            f"{_member_label(member)}不属于重度残疾人（一、二级残疾或三级智力、精神残疾）或重病患者，不能按单人户纳入",
        )
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        rule(not below_std, income_not_below + "，家庭不符合低保条件", income_below + "，家庭整体符合低保条件，应按家庭申请最低生活保障")
        rule(below_line, f"低于{line_text}，属于低保边缘家庭", f"家庭人均月收入 {shown}，不低于{line_text}，不属于低保边缘家庭，不能按单人户纳入")
        own = member_counted_income(facts, std, member)
        rule(
            own < std.dibao_standard,
            f"{_member_label(member)}本人月计入收入 {yuan(own)}，低于低保标准",
            f"{_member_label(member)}本人月计入收入 {yuan(own)}，不低于低保标准 {yuan(std.dibao_standard)}",
        )
        eligible = not failed
        if eligible:
            gap = std.dibao_standard - own
            amount = round_amount(gap, std.rounding)
            text = f"{std.dibao_standard:,.2f} 元 − 本人月计入收入 {own:,.2f} 元 = {gap:,.2f} 元，{ROUNDING_LABELS[std.rounding]}得 {yuan(amount)}"
            ok.append("月保障金（单人户）：" + text)
            steps.append(("保障金计算", text))

    reasons = tuple(ok) if eligible else tuple(failed)
    at = next((i for i, (label, _) in enumerate(steps) if label in ("保障金计算", "供养金计算")), len(steps))
    steps[at:at] = checks
    if eligible:
        conclusion = f"符合{APPLICATION_KIND_LABELS[kind]}条件" + (
            f"，月{'供养' if kind == 'tekun' else '保障'}金 {yuan(amount)}" if amount is not None else "，予以认定（不发放保障金）"
        )
    else:
        conclusion = f"不符合{APPLICATION_KIND_LABELS[kind]}条件：" + "；".join(failed)
    steps.append(("结论", conclusion))
    return Outcome(
        eligible=eligible,
        monthly_amount=amount,
        reasons=reasons,
        kind=kind,
        member_index=member,
        per_capita=inc.per_capita,
        standard=std.dibao_standard,
        basic_amount=basic,
        care_amount=care,
        self_care=level,
        steps=tuple(steps),
    )
