"""Pure policy rules (workflows/policy/rules.py): no database."""

from datetime import date
from decimal import Decimal as D

import pytest

from workflows.policy import defaults, rules
from workflows.policy.rules import (
    HouseholdFacts,
    IncomeFacts,
    MemberFacts,
    StandardValues,
)

STD = StandardValues(dibao_standard=D("800"))


def adult(**kw):
    return MemberFacts(age=kw.pop("age", 40), **kw)


def household(*members, incomes=(), **kw):
    return HouseholdFacts(members=tuple(members), incomes=tuple(incomes), **kw)


def income(kind, amount, member=None):
    return IncomeFacts(kind=kind, monthly_amount=D(amount), member_index=member)


# --- M11 caseworkers --------------------------------------------------------------------


@pytest.mark.parametrize(
    "population, expected",
    [(0, 0), (2999, 0), (3000, 1), (5999, 1), (6000, 2), (8999, 2), (9000, 3), (12000, 3), (50000, 3)],
)
def test_caseworkers_required(population, expected):
    assert rules.caseworkers_required(population) == expected


def test_caseworkers_negative_population():
    with pytest.raises(ValueError, match="户籍人口"):
        rules.caseworkers_required(-1)


# --- M12 service stations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "area, recipients, expected",
    [
        ("north", 49, False),
        ("north", 50, False),
        ("north", 99, False),
        ("north", 100, True),
        ("south", 49, False),
        ("south", 50, True),
        ("south", 99, True),
        ("south", 100, True),
    ],
)
def test_needs_service_station(area, recipients, expected):
    assert rules.needs_service_station(area, recipients) is expected


def test_service_station_unknown_area():
    with pytest.raises(ValueError, match="片区"):
        rules.needs_service_station("east", 100)


@pytest.mark.parametrize(
    "code, area",
    [("3406", "north"), ("3404", "north"), ("3412", "north"), ("3401", "south"), ("3410", "south"), ("3414", "south"), ("340603001001", "north")],
)
def test_area_of_city(code, area):
    assert rules.area_of_city(code) == area


def test_area_of_city_configurable_and_invalid():
    assert rules.area_of_city("3401", north_codes=("3401",)) == "north"
    for bad in ("3409", "3201", "34", "abcd"):
        with pytest.raises(ValueError, match="设区市代码"):
            rules.area_of_city(bad)


# --- M8 spot checks ---------------------------------------------------------------------


@pytest.mark.parametrize("count, expected", [(0, 0), (1, 1), (3, 1), (4, 2), (10, 3), (11, 4), (100, 30)])
def test_spot_check_size(count, expected):
    assert rules.spot_check_size(count) == expected


def test_spot_check_other_ratio():
    assert rules.spot_check_size(10, D("0.5")) == 5
    assert rules.spot_check_size(7, D("1")) == 7
    assert rules.spot_check_size(3, D("0.35")) == 2  # 1.05 → 2


@pytest.mark.parametrize("ratio, expected", [(D("0.30"), 3), (D("0.31"), 4), (D("1"), 10)])
def test_spot_check_at_and_above_the_floor(ratio, expected):
    assert rules.spot_check_size(10, ratio) == expected


@pytest.mark.parametrize("ratio", [D("0.2"), D("0.1"), D("0.29"), D("0.2999")])
def test_spot_check_below_30_percent_is_refused(ratio):
    # M8: 抽查比例不低于30% — a lower ratio would sample 2 (or 1) of 10 instead of 3
    with pytest.raises(ValueError, match="不得低于30%"):
        rules.spot_check_size(10, ratio)
    with pytest.raises(ValueError, match="不得低于30%"):
        rules.draw_spot_check_sample([(i, "T", False) for i in range(10)], seed=1, ratio=ratio)


@pytest.mark.parametrize("count, ratio", [(10, D("0")), (10, D("-0.1")), (10, D("1.01")), (-1, D("0.3"))])
def test_spot_check_invalid(count, ratio):
    with pytest.raises(ValueError):
        rules.spot_check_size(count, ratio)


# --- per-capita income ------------------------------------------------------------------


def test_exempt_kinds():
    assert {"pension_basic", "allowance", "family_planning", "award", "assistance"} == rules.EXEMPT_INCOME_KINDS


def test_per_capita_excludes_exempt_income_and_deducts_employment_costs():
    h = household(
        adult(employed=True),
        adult(age=70),
        adult(age=12, in_school=True),
        incomes=[
            income("wage", "2000.00", 0),
            income("pension_basic", "150.00", 1),  # not counted
            income("award", "500.00", 2),  # not counted
            income("assistance", "300.00"),  # not counted
            income("support", "100.00"),
        ],
    )
    # (2000 + 100 − 200) ÷ 3 = 633.333… → 633.33
    assert rules.per_capita_income(h, STD) == D("633.33")


def test_employment_deduction_capped_at_members_earned_income():
    h = household(
        adult(employed=True),
        adult(employed=True),
        incomes=[income("wage", "150.00", 0), income("property", "400.00", 1), income("other", "300.00")],
    )
    # member 0: 150 deducted (not 200); member 1 has no wage/business income: nothing deducted
    # (150 + 400 + 300 − 150 − 0) ÷ 2 = 350
    assert rules.per_capita_income(h, STD) == D("350.00")


def test_employment_deduction_configurable_and_unemployed_not_deducted():
    h = household(adult(employed=False), incomes=[income("wage", "1000", 0)])
    assert rules.per_capita_income(h, STD) == D("1000.00")
    h = household(adult(employed=True), incomes=[income("wage", "1000", 0)])
    assert rules.per_capita_income(h, STD) == D("800.00")
    assert rules.per_capita_income(h, StandardValues(D("800"), employment_deduction=D("350"))) == D("650.00")


def test_rigid_costs_deducted_and_floor_at_zero():
    h = household(adult(), adult(), incomes=[income("wage", "1000", 0)], rigid_costs=D("400"))
    assert rules.per_capita_income(h, STD) == D("300.00")
    h = household(adult(), incomes=[income("wage", "100", 0)], rigid_costs=D("400"))
    assert rules.per_capita_income(h, STD) == D("0.00")


def test_per_capita_rounds_half_up():
    h = household(adult(), adult(), incomes=[income("other", "0.01")])  # 0.005 → 0.01
    assert rules.per_capita_income(h, STD) == D("0.01")


def test_empty_household_is_an_error():
    with pytest.raises(ValueError, match="家庭成员为空"):
        rules.per_capita_income(household(), STD)


def test_facts_validation():
    with pytest.raises(ValueError, match="Decimal"):
        IncomeFacts("wage", 100.5)
    with pytest.raises(ValueError, match="不存在的家庭成员"):
        household(adult(), incomes=[income("wage", "1", 3)])
    with pytest.raises(ValueError, match="残疾类别"):
        MemberFacts(age=30, disability_type="unknown", disability_grade=1)
    with pytest.raises(ValueError, match="取整"):
        StandardValues(D("800"), rounding="cent")


# --- dibao / marginal -------------------------------------------------------------------


def test_dibao_eligibility_is_strictly_below_standard():
    at = household(adult(), incomes=[income("other", "800.00")])
    below = household(adult(), incomes=[income("other", "799.99")])
    assert not rules.is_dibao_eligible(at, STD)
    assert rules.is_dibao_eligible(below, STD)


def test_assets_over_limit_blocks_dibao_and_marginal():
    h = household(adult(), incomes=[income("other", "100")], assets_within_limits=False)
    assert not rules.is_dibao_eligible(h, STD)
    assert not rules.is_marginal(h, STD)
    assert rules.dibao_amount(h, STD) == 0


@pytest.mark.parametrize(
    "amount, marginal",
    [("799.99", False), ("800.00", True), ("1199.99", True), ("1200.00", False), ("1500.00", False)],
)
def test_marginal_boundary(amount, marginal):
    # marginal line: 1.5 × 800 = 1200; exactly 1.5× is not "below"
    h = household(adult(), incomes=[income("other", amount)])
    assert rules.is_marginal(h, STD) is marginal


@pytest.mark.parametrize("rounding, expected", [("yuan", D("1397.00")), ("jiao", D("1397.00")), ("fen", D("1397.01"))])
def test_dibao_amount_rounding_down(rounding, expected):
    # per capita 1002.99 ÷ 3 = 334.33; (800 − 334.33) × 3 = 1397.01
    std = StandardValues(D("800.00"), rounding=rounding)
    h = household(adult(), adult(), adult(), incomes=[income("other", "1002.99")])
    assert rules.per_capita_income(h, std) == D("334.33")
    assert rules.dibao_amount(h, std) == expected


@pytest.mark.parametrize(
    "rounding, expected",
    [("yuan", D("1333.00")), ("jiao", D("1332.60")), ("fen", D("1332.55"))],
)
def test_dibao_amount_rounding_half_up(rounding, expected):
    # per capita 2667.45 ÷ 5 = 533.49; (800 − 533.49) × 5 = 1332.55 → 1333 / 1332.6 / 1332.55
    std = StandardValues(D("800.00"), rounding=rounding)
    h = household(adult(), adult(), adult(), adult(), adult(), incomes=[income("other", "2667.45")])
    assert rules.per_capita_income(h, std) == D("533.49")
    amount = rules.dibao_amount(h, std)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


def test_dibao_amount_zero_when_not_eligible():
    h = household(adult(), incomes=[income("other", "900")])
    assert rules.dibao_amount(h, STD) == D("0.00")


def test_single_person_amount():
    assert rules.single_person_amount(STD) == D("800.00")
    assert rules.single_person_amount(STD, D("250.55")) == D("549.00")  # 549.45 → 549
    assert rules.single_person_amount(StandardValues(D("800"), rounding="fen"), D("250.55")) == D("549.45")
    assert rules.single_person_amount(STD, D("900")) == D("0.00")


# --- 单人户 -------------------------------------------------------------------------------


def marginal_household(*members):
    # per-capita 1000: not eligible for 800, below 1200 → marginal
    return household(*members, incomes=[income("other", str(1000 * len(members)))])


@pytest.mark.parametrize(
    "member, candidate",
    [
        (adult(disability_type="physical", disability_grade=2), True),
        (adult(disability_type="physical", disability_grade=3), False),
        (adult(disability_type="mental", disability_grade=3), True),
        (adult(disability_type="intellectual", disability_grade=3), True),
        (adult(disability_type="hearing", disability_grade=1), True),
        (adult(disability_type="intellectual", disability_grade=4), False),
        (adult(serious_illness=True), True),
        (adult(), False),
    ],
)
def test_single_person_candidates(member, candidate):
    h = marginal_household(adult(), member)
    assert rules.is_marginal(h, STD)
    assert rules.single_person_candidates(h, STD) == ([1] if candidate else [])


def test_single_person_candidates_only_in_marginal_households():
    ill = adult(serious_illness=True)
    rich = household(adult(), ill, incomes=[income("other", "5000")])
    poor = household(adult(), ill, incomes=[income("other", "100")])
    assert rules.single_person_candidates(rich, STD) == []
    assert rules.single_person_candidates(poor, STD) == []  # the whole household is eligible


# --- 特困 -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "member, unable",
    [
        (MemberFacts(age=60), True),
        (MemberFacts(age=59), False),
        (MemberFacts(age=15), True),
        (MemberFacts(age=16), False),
        (MemberFacts(age=30, disability_type="intellectual", disability_grade=3), True),
        (MemberFacts(age=30, disability_type="mental", disability_grade=4), False),
        (MemberFacts(age=30, disability_type="physical", disability_grade=2), True),
        (MemberFacts(age=30, disability_type="physical", disability_grade=3), False),
        (MemberFacts(age=30, disability_type="visual", disability_grade=1), True),
        (MemberFacts(age=30, disability_type="visual", disability_grade=2), False),
    ],
)
def test_unable_to_work(member, unable):
    assert rules.unable_to_work(member) is unable


@pytest.mark.parametrize("age, eligible", [(60, True), (59, False), (15, True), (16, False)])
def test_tekun_eligible_by_age(age, eligible):
    h = household(MemberFacts(age=age), incomes=[income("other", "300")])
    assert rules.tekun_eligible(h, STD, 0) is eligible


def test_tekun_blocked_by_supporter_income_and_assets():
    base = {"incomes": [income("other", "300")]}
    assert not rules.tekun_eligible(household(MemberFacts(age=70), has_able_supporter=True, **base), STD, 0)
    assert not rules.tekun_eligible(household(MemberFacts(age=70), assets_within_limits=False, **base), STD, 0)
    assert not rules.tekun_eligible(household(MemberFacts(age=70), incomes=[income("other", "800")]), STD, 0)
    assert rules.tekun_eligible(household(MemberFacts(age=70), incomes=[income("pension_basic", "900")]), STD, 0)


def test_tekun_minor_support_continues_to_18_and_while_in_school():
    def h(age, in_school=False):
        return household(MemberFacts(age=age, in_school=in_school))

    assert rules.tekun_eligible(h(17), STD, 0, continuing=True)
    assert not rules.tekun_eligible(h(18), STD, 0, continuing=True)
    assert rules.tekun_eligible(h(19, in_school=True), STD, 0, continuing=True)
    assert not rules.tekun_eligible(h(17), STD, 0)


def test_tekun_basic_standard():
    assert STD.tekun_basic_standard == D("1040.00")
    assert StandardValues(D("777.77")).tekun_basic_standard == D("1011.10")  # 1011.101
    assert StandardValues(D("800"), tekun_standard=D("1100")).tekun_basic_standard == D("1100")


# --- self-care --------------------------------------------------------------------------


@pytest.mark.parametrize("failures, level", [(0, "full"), (1, "partial"), (3, "partial"), (4, "lost"), (6, "lost")])
def test_self_care_level(failures, level):
    able = {k: i >= failures for i, k in enumerate(rules.SELF_CARE_ACTIVITIES)}
    assert rules.self_care_level(able) == level


def test_self_care_bad_keys():
    full = dict.fromkeys(rules.SELF_CARE_ACTIVITIES, True)
    with pytest.raises(ValueError, match="未知"):
        rules.self_care_level({**full, "cook": True})
    missing = dict(full)
    del missing["bathe"]
    with pytest.raises(ValueError, match="缺少.*洗澡"):
        rules.self_care_level(missing)


# --- gradual exit -----------------------------------------------------------------------


def test_gradual_exit():
    assert rules.gradual_exit(D("800.01"), STD) == (True, defaults.GRADUAL_EXIT_MONTHS)
    assert rules.gradual_exit(D("800.00"), STD) == (False, 0)  # equal is not above
    assert rules.gradual_exit(D("500"), STD) == (False, 0)
    assert rules.gradual_exit(D("900"), StandardValues(D("800"), gradual_exit_months=3)).months == 3
    assert rules.gradual_exit(D("900"), StandardValues(D("800"), gradual_exit_months=0)).applies is False


@pytest.mark.parametrize("months", [7, 12])
def test_gradual_exit_above_6_months_is_refused(months):
    # 2022 notice: "原则上不超过6个月"
    with pytest.raises(ValueError, match="原则上不超过6个月"):
        StandardValues(D("800"), gradual_exit_months=months)
    assert StandardValues(D("800"), gradual_exit_months=6).gradual_exit_months == 6


def test_gradual_exit_end():
    assert rules.gradual_exit_end(date(2024, 11, 1), 6) == date(2025, 4, 1)
    assert rules.gradual_exit_end(date(2024, 3, 17), 1) == date(2024, 3, 1)
    assert rules.gradual_exit_end(date(2024, 1, 1), 12) == date(2024, 12, 1)
    with pytest.raises(ValueError):
        rules.gradual_exit_end(date(2024, 1, 1), 0)


# --- assess -----------------------------------------------------------------------------


def test_assess_eligible_with_steps():
    h = household(
        adult(employed=True),
        adult(age=70),
        incomes=[income("wage", "1000.00", 0), income("pension_basic", "150.00", 1)],
    )
    a = rules.assess(h, STD)
    assert a.per_capita == D("400.00")  # (1000 − 200) ÷ 2
    assert a.dibao_eligible and not a.marginal
    assert a.dibao_amount == D("800.00")
    assert a.single_person_candidates == []
    steps = dict(a.steps)
    assert steps["家庭月总收入"] == "1,150.00 元"
    assert "基础养老金 150.00 元" in steps["不计入收入"]
    assert "200.00 元" in steps["就业成本扣减"]
    assert steps["人均月收入"].endswith("400.00 元")
    assert steps["低保标准"].startswith("800.00 元")
    assert steps["结论"] == "符合低保条件，月保障金 800.00 元"


def test_assess_marginal_names_single_person_candidates():
    h = marginal_household(adult(), adult(disability_type="physical", disability_grade=1))
    a = rules.assess(h, STD)
    assert a.marginal and not a.dibao_eligible and a.dibao_amount == 0
    assert a.single_person_candidates == [1]
    steps = dict(a.steps)
    assert "低保边缘家庭" in steps["结论"]
    assert "第 2 名成员" in steps["单人户"]


def test_assess_matches_the_single_functions():
    h = household(adult(), adult(age=8), incomes=[income("business", "1234.56", 0)])
    a = rules.assess(h, STD)
    assert a.per_capita == rules.per_capita_income(h, STD)
    assert a.dibao_eligible == rules.is_dibao_eligible(h, STD)
    assert a.marginal == rules.is_marginal(h, STD)
    assert a.dibao_amount == rules.dibao_amount(h, STD)


def test_rules_module_has_no_django_import():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(rules))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django")]
