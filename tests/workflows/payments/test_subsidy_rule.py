"""A city's dated price-subsidy rule (M9, 发改价格〔2021〕1553号) in the roster and the admin.

POLICY.md: trigger CPI ≥ 3.5% or food CPI ≥ 6%, decided at city or province level, stop in any
month with no trigger; recipients dibao, 特困 … (a place may widen the list, e.g. 低保边缘);
amount the local monthly dibao standard × the triggering rise, whole yuan. The county's
standards (tests.factories): rural 750, urban 850 a person and month. The fixture's households:
a1 dibao, 2 people; a2 特困 (dispersed), 1 person; b1 a 低保边缘 household of 3 that (unusually)
draws 940 a month, all rural.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CITY, COUNTY, VILLAGE_A, VILLAGE_B, make_user
from workflows.core.models import Member
from workflows.payments import roster
from workflows.payments.models import CpiFigure, SubsidyRule

from .conftest import MAY, OTHER_VILLAGE, enroll, open_cycle

# A cycle's roster is built by a job that runs once the cycle's opening commits.
pytestmark = pytest.mark.django_db(transaction=True)

APRIL, JUNE = date(2026, 4, 1), date(2026, 6, 1)
SOURCE = "合肥市发展改革委 合肥市民政局关于阶段性调整价格临时补贴启动条件的通知（测试用）"


def rule(**values) -> SubsidyRule:
    """A rule of the county's city, checked the way the admin checks it, then saved."""
    found = SubsidyRule(city_id=CITY, **{"valid_from": date(2026, 1, 1), "source": SOURCE, **values})
    found.full_clean()
    found.save()
    return found


def figures(month, cpi, food="2"):
    CpiFigure.objects.update_or_create(city_id=CITY, month=month, defaults={"cpi_yoy": Decimal(cpi), "food_cpi_yoy": Decimal(food)})


def subsidies(cycle) -> dict:
    return {line.beneficiary_id: line.amount for line in cycle.lines.filter(kind="price_subsidy")}


def test_a_temporary_lowering_applies_only_inside_its_period(county):
    """May only: CPI threshold lowered to 3.0%. CPI rises 3.2% in April, May and June; only May
    triggers: 750 × 3.2% = 24 a person."""
    rule(valid_from=MAY, valid_to=date(2026, 5, 31), cpi_threshold=Decimal("3.0"))
    for month in (APRIL, MAY, JUNE):
        figures(month, "3.2")
    a1, a2, b1 = county["a1"].pk, county["a2"].pk, county["b1"].pk
    april, may, june = (open_cycle(month).cycle for month in (APRIL, MAY, JUNE))
    assert subsidies(may) == {a1: Decimal("48"), a2: Decimal("24"), b1: Decimal("72")}
    assert subsidies(april) == {} and subsidies(june) == {}
    # benefits 800 + 620 + 940 = 2360; May adds 48 + 24 + 72 = 144
    assert (april.total_amount, may.total_amount, june.total_amount) == (Decimal("2360"), Decimal("2504"), Decimal("2360"))
    assert roster.subsidy_rule(COUNTY, MAY).cpi_threshold == Decimal("3.0")
    assert roster.subsidy_rule(COUNTY, JUNE).cpi_threshold == Decimal("3.5")  # the defaults again


def test_a_rule_from_mid_month_applies_from_the_next_month(county):
    rule(valid_from=date(2026, 5, 15), cpi_threshold=Decimal("3.0"))
    figures(MAY, "3.2")
    figures(JUNE, "3.2")
    assert subsidies(open_cycle(MAY).cycle) == {}
    assert subsidies(open_cycle(JUNE).cycle) == {county["a1"].pk: Decimal("48"), county["a2"].pk: Decimal("24"), county["b1"].pk: Decimal("72")}


def test_a_widened_city_pays_marginal_households_for_their_members(county):
    """CPI 3.5%: 750 × 3.5% = 26.25 → 26 a rural person, 850 × 3.5% = 29.75 → 30 an urban one.
    A recognised 低保边缘 household draws no benefit, so its subsidy line stands alone, for its
    members, to the household's account."""
    rural = enroll(VILLAGE_A, "边缘甲", "0", 4, kind="marginal")
    urban = enroll(VILLAGE_B, "边缘乙", "0", 2, kind="marginal", area_type="urban", account=False)
    not_paid = [
        enroll(VILLAGE_B, "边缘暂停", "0", 2, kind="marginal", state="suspended"),
        enroll(VILLAGE_B, "边缘下月", "0", 2, kind="marginal", first=JUNE),
        enroll(OTHER_VILLAGE, "边缘外县", "0", 2, kind="marginal"),
    ]
    figures(MAY, "3.5")
    a1, a2, b1 = county["a1"].pk, county["a2"].pk, county["b1"].pk
    cycle = open_cycle().cycle
    # 1553号's own groups only, before the city widens them: no marginal household is paid
    assert subsidies(cycle) == {a1: Decimal("52"), a2: Decimal("26"), b1: Decimal("78")}

    rule(include_marginal=True)
    cycle = roster.build_roster(cycle)
    assert subsidies(cycle) == {a1: Decimal("52"), a2: Decimal("26"), b1: Decimal("78"), rural.pk: Decimal("104"), urban.pk: Decimal("60")}
    assert not cycle.lines.filter(beneficiary__in=not_paid).exists()
    assert list(cycle.lines.filter(beneficiary=rural).values_list("kind", flat=True)) == ["price_subsidy"]

    line = cycle.lines.get(beneficiary=rural)
    head = Member.objects.get(household=rural.household, relation="head")
    account = rural.household.bank_accounts.get()
    assert (line.name, line.id_number, line.covered_members) == ("边缘甲", head.id_number, 4)
    assert (line.account_name, line.card_number, line.bank_name) == ("边缘甲", account.card_number, "长丰农商银行")
    assert line.reference == f"340121-202605-{rural.pk}-P"
    assert (line.gross_amount, line.offset_amount, line.amount) == (Decimal("104"), Decimal("0"), Decimal("104"))
    no_account = cycle.lines.get(beneficiary=urban)
    assert (no_account.covered_members, no_account.card_number, no_account.masked_card) == (2, "", "（无有效账户）")
    # benefits 2360 + subsidies 52 + 26 + 78 + 104 + 60 = 2680
    assert cycle.total_amount == Decimal("2680") and cycle.line_count == 3 + 5

    before = sorted(cycle.lines.values_list("beneficiary_id", "kind", "amount", "card_number", "reference"))
    roster.build_roster(cycle)
    assert sorted(cycle.lines.values_list("beneficiary_id", "kind", "amount", "card_number", "reference")) == before


def test_a_fixed_amount_and_a_minimum_through_the_roster(county):
    figures(MAY, "3.5")
    fixed = rule(formula="fixed", fixed_amount=Decimal("30"))
    cycle = open_cycle().cycle
    a1, a2, b1 = county["a1"].pk, county["a2"].pk, county["b1"].pk
    assert subsidies(cycle) == {a1: Decimal("60"), a2: Decimal("30"), b1: Decimal("90")}
    # standard × rise with a minimum of 30: 26 a person is lifted to 30
    SubsidyRule.objects.filter(pk=fixed.pk).update(formula="standard_x_rise", fixed_amount=None, minimum_amount=Decimal("30"))
    roster.build_roster(cycle)
    assert subsidies(cycle) == {a1: Decimal("60"), a2: Decimal("30"), b1: Decimal("90")}
    # a minimum below the formula's 26 changes nothing
    SubsidyRule.objects.filter(pk=fixed.pk).update(minimum_amount=Decimal("20"))
    roster.build_roster(cycle)
    assert subsidies(cycle) == {a1: Decimal("52"), a2: Decimal("26"), b1: Decimal("78")}


def test_a_month_with_no_trigger_pays_nothing(county):
    """1553号: stop in any month with no trigger; neither a fixed amount, nor a minimum, nor the
    widened groups are paid then."""
    enroll(VILLAGE_A, "边缘甲", "0", 4, kind="marginal")
    rule(
        formula="fixed",
        fixed_amount=Decimal("30"),
        minimum_amount=Decimal("40"),
        include_marginal=True,
        cpi_threshold=Decimal("3.0"),
        food_threshold=Decimal("5.5"),
    )
    cycle = open_cycle().cycle
    assert subsidies(cycle) == {}  # no figures for May at all
    figures(MAY, "2.99", "5.49")
    cycle = roster.build_roster(cycle)
    assert subsidies(cycle) == {} and cycle.total_amount == Decimal("2360")
    figures(MAY, "2.99", "5.5")  # food reaches the lowered 5.5%
    roster.build_roster(cycle)
    assert len(subsidies(cycle)) == 4  # a1, a2, b1 and 边缘甲, 40 a person each
    assert set(subsidies(cycle).values()) == {Decimal("80"), Decimal("40"), Decimal("120"), Decimal("160")}


@pytest.mark.parametrize(
    "values, field, words",
    [
        ({"cpi_threshold": Decimal("4")}, "cpi_threshold", "只能调低，不能调高"),
        ({"food_threshold": Decimal("6.5")}, "food_threshold", "只能调低，不能调高"),
        ({"valid_from": MAY, "valid_to": APRIL}, "valid_to", "不能早于执行日期"),
        ({"formula": "fixed"}, "fixed_amount", "应填写大于0的固定金额"),
        ({"minimum_amount": Decimal("-5")}, "minimum_amount", "不能为负数"),
        ({"source": "  "}, "source", "请填写依据"),
    ],
)
def test_bad_rules_are_refused_in_chinese(county, values, field, words):
    with pytest.raises(ValidationError) as refused:
        rule(**values)
    assert words in " ".join(refused.value.message_dict[field])
    assert not SubsidyRule.objects.exists()


def test_overlapping_periods_of_one_city_are_refused(county):
    standing = rule()  # from 1 January 2026, no end
    with pytest.raises(ValidationError) as refused:
        rule(valid_from=MAY, valid_to=date(2026, 5, 31), cpi_threshold=Decimal("3"))
    assert "与已有规则的执行期间重叠：2026-01-01至长期" in refused.value.message_dict["valid_from"][0]
    # ending the standing rule first makes room for the temporary one and a new standing one
    standing.valid_to = APRIL
    standing.full_clean()
    standing.save()
    rule(valid_from=MAY, valid_to=date(2026, 5, 31), cpi_threshold=Decimal("3"))
    rule(valid_from=JUNE)
    with pytest.raises(ValidationError, match="执行期间重叠"):
        rule(valid_from=date(2026, 3, 1), valid_to=date(2026, 3, 31))
    assert SubsidyRule.objects.count() == 3


def test_the_admin_keeps_a_citys_rules_for_its_administrators(client, county):
    url = "/admin/payments/subsidyrule/"
    form = {
        "city": CITY,
        "valid_from": "2026-05-01",
        "valid_to": "2026-04-30",
        "cpi_threshold": "3.8",
        "food_threshold": "6",
        "formula": "fixed",
        "fixed_amount": "",
        "minimum_amount": "-1",
        "source": SOURCE,
    }
    client.force_login(make_user("admin_hefei", "administrator", CITY))
    page = client.post(url + "add/", form).content.decode()
    for words in ("不能早于执行日期", "只能调低，不能调高", "应填写大于0的固定金额", "最低补贴金额不能为负数"):
        assert words in page
    assert not SubsidyRule.objects.exists()
    response = client.post(
        url + "add/", {**form, "valid_to": "2026-05-31", "cpi_threshold": "3", "fixed_amount": "30", "minimum_amount": "", "include_marginal": "on"}
    )
    assert response.status_code == 302
    saved = SubsidyRule.objects.get()
    assert (saved.valid_to, saved.cpi_threshold, saved.fixed_amount, saved.include_marginal, saved.source) == (
        date(2026, 5, 31),
        Decimal("3"),
        Decimal("30"),
        True,
        SOURCE,
    )
    assert "合肥市" in client.get(url).content.decode()
    # a county's administrator neither sees the city's rule nor may set one for the city
    client.force_login(make_user("admin_changfeng", "administrator", COUNTY))
    assert client.get(f"{url}{saved.pk}/change/").status_code == 404
    client.post(url + "add/", {**form, "valid_from": "2026-07-01", "valid_to": "", "cpi_threshold": "3", "fixed_amount": "30", "minimum_amount": ""})
    assert SubsidyRule.objects.count() == 1
    # ...and is not offered an add form in which no city could be chosen
    assert client.get(url + "add/").status_code == 403
    assert "价格临时补贴规则" not in client.get("/admin/").content.decode()
