"""``rules.application_outcome``: one decision per kind, with cases whose expected values come
from the policy text (最低生活保障审核确认办法, 特困人员认定办法, 皖民社救字〔2022〕46号)."""

from decimal import Decimal as D

import pytest

from workflows.policy import rules
from workflows.policy.rules import AssetFacts, HouseholdFacts, IncomeFacts, MemberFacts, StandardValues, SupporterFacts

STD = StandardValues(dibao_standard=D("800"))


def people(n, **kw):
    return tuple(MemberFacts(age=kw.get("age", 40)) for _ in range(n))


def alone(age, **kw):
    return HouseholdFacts(members=(MemberFacts(age=age, **kw),))


def net(n, amount, **kw):
    return HouseholdFacts(members=people(n), incomes=(IncomeFacts("other", D(amount)),), **kw)


# --- 特困 -------------------------------------------------------------------------------


def test_able_bodied_40_year_old_alone_is_refused_as_tekun():
    # 特困人员认定办法: unable to work is 60+, under 16 or a listed disability; 40 is none of them
    outcome = rules.application_outcome("tekun", alone(40), STD)
    assert outcome.eligible is False and outcome.monthly_amount is None
    assert len(outcome.reasons) == 1 and "不属于无劳动能力" in outcome.reasons[0]


def test_70_year_old_alone_is_paid_the_basic_living_standard():
    # basic living standard commonly 1.3 × the dibao standard: 800 × 1.3 = 1040.00
    outcome = rules.application_outcome("tekun", alone(70), STD)
    assert outcome.eligible is True
    assert outcome.monthly_amount == D("1040.00")
    assert any("年满 60 周岁" in r for r in outcome.reasons)
    assert any("1,040.00 元" in r for r in outcome.reasons)


def test_tekun_explicit_standard_and_care_standard_by_self_care_level():
    std = StandardValues(D("800"), tekun_standard=D("1100"), care_standard_full=D("50"), care_standard_partial=D("300"), care_standard_lost=D("600"))
    for level, care in [("full", D("50")), ("partial", D("300")), ("lost", D("600"))]:
        outcome = rules.application_outcome("tekun", alone(75, self_care=level), std)
        assert outcome.monthly_amount == D("1100") + care
        assert (outcome.basic_amount, outcome.care_amount) == (D("1100"), care)
        assert rules.SELF_CARE_LEVEL_LABELS[level] in dict(outcome.steps)["供养金计算"]


@pytest.mark.parametrize("age, eligible", [(59, False), (60, True), (15, True), (16, False)])
def test_tekun_age_boundaries(age, eligible):
    assert rules.application_outcome("tekun", alone(age), STD).eligible is eligible


@pytest.mark.parametrize("age, in_school, eligible", [(16, False, True), (17, False, True), (18, False, False), (18, True, True), (20, True, True)])
def test_tekun_minor_supported_to_18_and_longer_in_school(age, in_school, eligible):
    outcome = rules.application_outcome("tekun", alone(age, in_school=in_school), STD, continuing=True)
    assert outcome.eligible is eligible


def test_tekun_income_at_the_standard_is_a_livelihood():
    h = HouseholdFacts(members=(MemberFacts(age=70),), incomes=(IncomeFacts("other", D("800")),))
    assert not rules.application_outcome("tekun", h, STD).eligible
    h = HouseholdFacts(members=(MemberFacts(age=70),), incomes=(IncomeFacts("other", D("799.99")),))
    assert rules.application_outcome("tekun", h, STD).eligible


@pytest.mark.parametrize("income, unable, refused", [(D("1599.99"), False, False), (D("1600.00"), False, True), (D("5000"), True, False)])
def test_tekun_supporter_ability_line(income, unable, refused):
    # demo line: 2 × the dibao standard = 1600.00; reaching it (以上) means able to support
    h = HouseholdFacts(members=(MemberFacts(age=80),), supporters=(SupporterFacts("王一", "elder", income, unable=unable),))
    outcome = rules.application_outcome("tekun", h, STD)
    assert outcome.eligible is not refused
    if refused:
        assert outcome.reasons == ("法定赡养义务人王一月收入 1,600.00 元，达到当地赡养（抚养、扶养）能力认定线 1,600.00 元，具备履行义务能力",)


def test_tekun_member_index_needed_in_a_larger_household():
    h = HouseholdFacts(members=(MemberFacts(age=80), MemberFacts(age=40)))
    with pytest.raises(ValueError, match="指明申请对象"):
        rules.application_outcome("tekun", h, STD)
    assert rules.application_outcome("tekun", h, STD, 0).member_index == 0
    with pytest.raises(ValueError, match="序号不存在"):
        rules.application_outcome("tekun", h, STD, 5)


# --- 单人户 -------------------------------------------------------------------------------


def test_single_person_in_a_marginal_household_is_eligible_for_the_standard():
    # per capita 1000 against 800: not dibao, below 1200 (marginal); grade-1 disabled member
    # with no income of their own: 800 − 0 = 800.00
    members = (MemberFacts(age=45), MemberFacts(age=20, disability_type="physical", disability_grade=1))
    h = HouseholdFacts(members=members, incomes=(IncomeFacts("wage", D("2000"), 0),))
    assert not rules.application_outcome("dibao", h, STD).eligible
    outcome = rules.application_outcome("single_person", h, STD, 1)
    assert outcome.eligible is True and outcome.monthly_amount == D("800.00")


def test_single_person_less_own_income_rounded_once():
    members = (MemberFacts(age=45), MemberFacts(age=50, serious_illness=True))
    h = HouseholdFacts(
        members=members, incomes=(IncomeFacts("wage", D("1749.50"), 0), IncomeFacts("other", D("250.50"), 1), IncomeFacts("assistance", D("300"), 1))
    )
    # own counted income 250.50 (government assistance is not counted): 800 − 250.50 = 549.50 → 550
    assert rules.application_outcome("single_person", h, STD, 1).monthly_amount == D("550.00")


@pytest.mark.parametrize(
    "total, member, eligible",
    [
        (D("2000"), MemberFacts(age=30, disability_type="physical", disability_grade=3), False),  # not severe
        (D("2000"), MemberFacts(age=30, disability_type="mental", disability_grade=3), True),
        (D("1000"), MemberFacts(age=30, disability_type="physical", disability_grade=1), False),  # household is dibao-eligible
        (D("2400"), MemberFacts(age=30, disability_type="physical", disability_grade=1), False),  # 1200: not below the marginal line
        (D("2399.99"), MemberFacts(age=30, disability_type="physical", disability_grade=1), True),
    ],
)
def test_single_person_table(total, member, eligible):
    h = HouseholdFacts(members=(MemberFacts(age=45), member), incomes=(IncomeFacts("wage", total, 0),))
    outcome = rules.application_outcome("single_person", h, STD, 1)
    assert outcome.eligible is eligible
    assert (outcome.monthly_amount is not None) is eligible


# --- dibao amounts and exact comparisons -------------------------------------------------


def test_dibao_amount_rounded_once_to_the_yuan():
    # 800 × 3 − 999.50 = 1400.50 → 1401.00 (rounding the per capita first gave 1400.00)
    assert rules.application_outcome("dibao", net(3, "999.50"), STD).monthly_amount == D("1401.00")
    assert rules.dibao_amount(net(3, "999.50"), STD) == D("1401.00")


def test_dibao_amount_fen_rounding():
    # 800 × 3 − 1000 = 1400.00 (rounding the per capita 333.33 first gave 1400.01)
    std = StandardValues(D("800"), rounding="fen")
    assert rules.application_outcome("dibao", net(3, "1000"), std).monthly_amount == D("1400.00")
    assert rules.assess(net(3, "1000"), std).dibao_amount == D("1400.00")


def test_exact_per_capita_below_the_standard():
    # 3599.99 ÷ 3 = 1199.9967 (1200.00 rounded): below 1200 → eligible
    std = StandardValues(D("1200"), rounding="fen")
    outcome = rules.application_outcome("dibao", net(3, "3599.99"), std)
    assert outcome.eligible is True and outcome.monthly_amount == D("0.01")
    assert rules.is_dibao_eligible(net(3, "3599.99"), std)
    assert "1,199.9967 元" in outcome.reasons[1]


def test_exact_per_capita_below_the_marginal_line():
    # 800 × 1.5 = 1200; 3599.99 ÷ 3 = 1199.9967 is below it
    assert rules.application_outcome("marginal", net(3, "3599.99"), STD).eligible is True
    assert rules.is_marginal(net(3, "3599.99"), STD)
    assert rules.application_outcome("marginal", net(3, "3600"), STD).eligible is False


@pytest.mark.parametrize("income, dibao, marginal", [("799.99", True, False), ("800.00", False, True), ("1199.99", False, True), ("1200.00", False, False)])
def test_dibao_and_marginal_boundaries(income, dibao, marginal):
    h = net(1, income)
    assert rules.application_outcome("dibao", h, STD).eligible is dibao
    outcome = rules.application_outcome("marginal", h, STD)
    assert outcome.eligible is marginal
    assert outcome.monthly_amount is None  # marginal households are recognised, not paid


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="未知的申请类别"):
        rules.application_outcome("relief", net(1, "0"), STD)


# --- property ---------------------------------------------------------------------------


def test_two_million_in_deposits_is_refused():
    h = HouseholdFacts(members=people(3), assets=(AssetFacts("deposit", D("2000000")),))
    for kind in ("dibao", "marginal"):
        outcome = rules.application_outcome(kind, h, STD)
        assert outcome.eligible is False
        assert any("2,000,000.00 元" in r and "超过限额" in r for r in outcome.reasons)
    assert not rules.application_outcome("tekun", HouseholdFacts(members=(MemberFacts(age=70),), assets=h.assets), STD).eligible
    assert rules.assess(h, STD).dibao_eligible is False


@pytest.mark.parametrize("deposits, within", [(D("57600.00"), True), (D("57600.01"), False)])
def test_financial_assets_at_and_over_the_limit(deposits, within):
    # 24 months × 800 × 3 members = 57,600: "以内" includes the limit itself
    h = HouseholdFacts(members=people(3), assets=(AssetFacts("deposit", deposits - 100), AssetFacts("securities", D("100"))))
    assert rules.property_check(h, STD).within is within
    assert rules.application_outcome("dibao", h, STD).eligible is within


def test_property_limits_are_local():
    std = StandardValues(D("800"), financial_assets_months=6, vehicle_value_limit=D("30000"), extra_houses_allowed=1)
    h = HouseholdFacts(members=people(1), assets=(AssetFacts("deposit", D("4800")), AssetFacts("vehicle", D("30000")), AssetFacts("house", D("1"))))
    assert rules.property_check(h, std).within
    h = HouseholdFacts(members=people(1), assets=(AssetFacts("deposit", D("4800.01")),))
    assert not rules.property_check(h, std).within


@pytest.mark.parametrize(
    "asset, within",
    [
        (AssetFacts("vehicle", D("30000")), False),
        (AssetFacts("vehicle", D("30000"), exempt_use=True), True),  # needed for a disability or work
        (AssetFacts("house", D("300000"), exempt_use=True), True),  # the house lived in
        (AssetFacts("house", D("300000")), False),  # a second house
        (AssetFacts("business", D("50000")), False),
    ],
)
def test_vehicles_houses_business(asset, within):
    assert rules.property_check(HouseholdFacts(members=people(2), assets=(asset,)), STD).within is within


def test_clerk_override_with_a_written_reason_is_shown():
    h = HouseholdFacts(members=people(1), assets=(AssetFacts("vehicle", D("8000")),), property_override="车辆为报废待处置车辆，已无使用价值")
    check = rules.property_check(h, STD)
    assert check.within is True
    assert "报废待处置" in check.reasons[0] and "8,000.00 元" in check.reasons[0]
    assert rules.application_outcome("dibao", h, STD).eligible


def test_investigation_verdict_still_counts():
    h = HouseholdFacts(members=people(1), assets_within_limits=False)
    assert rules.application_outcome("dibao", h, STD).reasons == ("经入户调查认定家庭财产状况不符合当地规定",)


# --- rigid costs ------------------------------------------------------------------------


@pytest.mark.parametrize("cap, per_capita, amount", [(None, D("800.00"), D("0.00")), (D("300"), D("850.00"), None), (D("0"), D("1000.00"), None)])
def test_rigid_costs_deducted_up_to_the_local_cap(cap, per_capita, amount):
    # 2 members, income 2000, rigid medical costs 400 a month
    h = HouseholdFacts(members=people(2), incomes=(IncomeFacts("other", D("2000")),), rigid_costs=D("400"))
    std = StandardValues(D("850"), rigid_cost_cap=cap)
    assert rules.per_capita_income(h, std) == per_capita
    outcome = rules.application_outcome("dibao", h, std)
    assert outcome.monthly_amount == (D("100.00") if cap is None else None)


# --- steps ------------------------------------------------------------------------------


def test_steps_and_reasons_come_from_the_same_computation():
    outcome = rules.application_outcome("dibao", net(3, "999.50"), STD)
    steps = dict(outcome.steps)
    assert steps["保障金计算"] == "800.00 元 × 3 人 − 家庭月净收入 999.50 元 = 1,400.50 元，四舍五入到元得 1,401.00 元"
    assert steps["结论"] == "符合最低生活保障条件，月保障金 1,401.00 元"
    assert outcome.reasons[-1] == "月保障金：" + steps["保障金计算"]
