"""Price subsidies (M9, 发改价格〔2021〕1553号), the configurable parts: pure rules, no database.

POLICY.md: trigger CPI ≥ 3.5% or food CPI ≥ 6%, decided at city or province level; amount (common
local formula) the local monthly dibao standard × the triggering rise, rounded to a whole yuan;
both triggering, the larger; recipients dibao, 特困 … (a place may widen the list, e.g. 低保边缘).
"""

from datetime import date
from decimal import Decimal as D

import pytest

from workflows.policy import subsidy
from workflows.policy.subsidy import DEFAULT_RULE, FIXED, STANDARD_X_RISE, RuleValues


@pytest.mark.parametrize(
    "standard, rise, amount",
    [
        (D("750"), D("3.5"), D("26")),  # 26.25 → 26
        (D("700"), D("3.5"), D("25")),  # 24.50 → 25: half up, not to even
        (D("900"), D("4.5"), D("41")),  # 40.50 → 41: half up, not to even (40)
        (D("790"), D("3.5"), D("28")),  # 27.65 → 28
        (D("820"), D("6"), D("49")),  # 49.20 → 49
        (D("810"), D("6.5"), D("53")),  # 52.65 → 53
        (D("800"), D("3.5"), D("28")),  # 28.00 exactly
    ],
)
def test_standard_times_rise_rounded_half_up_to_a_whole_yuan(standard, rise, amount):
    assert subsidy.subsidy_per_person(standard, rise, STANDARD_X_RISE) == amount
    assert DEFAULT_RULE.per_person(standard, rise) == amount


@pytest.mark.parametrize(
    "cpi, food, rise",
    [
        (D("3.5"), D("5.99"), D("3.5")),  # 以上 includes 3.5 itself
        (D("3.49"), D("6"), D("6")),  # and 6 itself
        (D("3.49"), D("5.99"), None),  # neither: no subsidy this month
    ],
)
def test_default_thresholds_at_their_boundaries(cpi, food, rise):
    assert DEFAULT_RULE.rise(cpi, food) == rise


def test_both_triggering_pays_the_larger_amount():
    # CPI 4% and food 7%: 750 × 4% = 30, 750 × 7% = 52.5 → 53; the larger is paid.
    rise = DEFAULT_RULE.rise(D("4"), D("7"))
    assert DEFAULT_RULE.per_person(D("750"), rise) == D("53")
    # the other way round: CPI 8% (60) beats food 6% (45)
    assert DEFAULT_RULE.per_person(D("750"), DEFAULT_RULE.rise(D("8"), D("6"))) == D("60")


def test_minimum_lifts_a_small_amount_and_leaves_a_larger_one():
    # 400 × 3.5% = 14 → the city's minimum of 20
    assert subsidy.subsidy_per_person(D("400"), D("3.5"), STANDARD_X_RISE, minimum_amount=D("20")) == D("20")
    # 750 × 3.5% = 26.25 → 26, above the minimum of 20: 26
    assert subsidy.subsidy_per_person(D("750"), D("3.5"), STANDARD_X_RISE, minimum_amount=D("20")) == D("26")
    # exactly the minimum: 800 × 3.5% = 28
    assert subsidy.subsidy_per_person(D("800"), D("3.5"), STANDARD_X_RISE, minimum_amount=D("28")) == D("28")
    # no minimum (None) and a minimum of 0 both leave the formula alone
    assert subsidy.subsidy_per_person(D("400"), D("3.5"), STANDARD_X_RISE, minimum_amount=D("0")) == D("14")
    assert RuleValues(minimum_amount=D("20")).per_person(D("400"), D("3.5")) == D("20")


def test_fixed_amount_whatever_the_standard_and_the_rise():
    rule = RuleValues(formula=FIXED, fixed_amount=D("30"))
    assert rule.per_person(D("750"), D("3.5")) == D("30")
    assert rule.per_person(D("850"), D("9")) == D("30")
    assert RuleValues(formula=FIXED, fixed_amount=D("30"), minimum_amount=D("35")).per_person(D("750"), D("3.5")) == D("35")
    with pytest.raises(ValueError, match="固定金额"):
        subsidy.subsidy_per_person(D("750"), D("3.5"), FIXED)
    with pytest.raises(ValueError, match="未知的补贴计算方式"):
        subsidy.subsidy_per_person(D("750"), D("3.5"), "percent")


def test_a_lowered_threshold_triggers_below_the_default():
    lowered = RuleValues(cpi_threshold=D("3"), food_threshold=D("5"))
    assert lowered.rise(D("3.0"), D("2")) == D("3.0")
    assert lowered.rise(D("2.9"), D("5")) == D("5")
    assert DEFAULT_RULE.rise(D("3.0"), D("5")) is None


def test_recipients_are_widened_to_marginal_households_only_when_the_city_says_so():
    assert DEFAULT_RULE.kinds == subsidy.ELIGIBLE_KINDS
    assert "marginal" not in DEFAULT_RULE.kinds and not DEFAULT_RULE.widened_kinds
    widened = RuleValues(include_marginal=True)
    assert widened.kinds == subsidy.ELIGIBLE_KINDS | {"marginal"}
    assert widened.widened_kinds == {"marginal"}


@pytest.mark.parametrize(
    "valid_from, valid_to, month, covered",
    [
        (date(2026, 5, 1), date(2026, 5, 31), date(2026, 5, 1), True),
        (date(2026, 5, 1), date(2026, 5, 1), date(2026, 5, 1), True),  # the end day itself counts
        (date(2026, 5, 1), date(2026, 5, 31), date(2026, 6, 1), False),
        (date(2026, 5, 1), date(2026, 5, 31), date(2026, 4, 1), False),
        (date(2026, 5, 15), None, date(2026, 5, 1), False),  # from the 15th: not May's 1st
        (date(2026, 5, 15), None, date(2026, 6, 1), True),
        (date(2026, 5, 1), None, date(2030, 1, 1), True),  # open end
        (date(2026, 3, 1), date(2026, 4, 30), date(2026, 4, 20), True),  # any day: its month's 1st
    ],
)
def test_a_rule_covers_a_month_by_its_first_day(valid_from, valid_to, month, covered):
    assert subsidy.covers(valid_from, valid_to, month) is covered


def test_periods_overlap_when_they_share_a_day():
    assert not subsidy.overlaps(date(2026, 1, 1), date(2026, 4, 30), date(2026, 5, 1), None)
    assert subsidy.overlaps(date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 1), None)
    assert subsidy.overlaps(date(2026, 1, 1), None, date(2030, 1, 1), date(2030, 2, 1))
    assert subsidy.overlaps(date(2026, 5, 1), date(2026, 5, 31), date(2026, 1, 1), None)
    assert not subsidy.overlaps(date(2026, 6, 1), None, date(2026, 1, 1), date(2026, 5, 31))


GOOD = {
    "valid_from": date(2026, 5, 1),
    "valid_to": None,
    "cpi_threshold": D("3.5"),
    "food_threshold": D("6"),
    "formula": STANDARD_X_RISE,
    "fixed_amount": None,
    "minimum_amount": None,
}


def test_a_rule_at_the_defaults_or_lower_is_accepted():
    assert subsidy.rule_errors(**GOOD) == {}
    assert subsidy.rule_errors(**{**GOOD, "cpi_threshold": D("3"), "food_threshold": D("5"), "valid_to": date(2026, 5, 1), "minimum_amount": D("0")}) == {}
    assert subsidy.rule_errors(**{**GOOD, "formula": FIXED, "fixed_amount": D("30")}) == {}


@pytest.mark.parametrize(
    "change, field, words",
    [
        ({"cpi_threshold": D("3.6")}, "cpi_threshold", "只能调低，不能调高"),
        ({"food_threshold": D("6.5")}, "food_threshold", "只能调低，不能调高"),
        ({"cpi_threshold": D("0")}, "cpi_threshold", "正数"),
        ({"valid_to": date(2026, 4, 30)}, "valid_to", "不能早于执行日期"),
        ({"formula": FIXED}, "fixed_amount", "应填写大于0的固定金额"),
        ({"formula": FIXED, "fixed_amount": D("0")}, "fixed_amount", "应填写大于0的固定金额"),
        ({"minimum_amount": D("-1")}, "minimum_amount", "不能为负数"),
        ({"formula": "percent"}, "formula", "请选择补贴计算方式"),
    ],
)
def test_a_bad_rule_is_refused_in_words(change, field, words):
    errors = subsidy.rule_errors(**{**GOOD, **change})
    assert list(errors) == [field] and words in errors[field]
