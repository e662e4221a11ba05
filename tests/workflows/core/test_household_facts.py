"""Property, rigid costs and supporters in the registry reach the rules (household_facts), and
the dated local values of the Standard are configurable within the policy's bounds."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import COUNTY, VILLAGE_A, make_household, make_regions
from workflows.core.models import Asset, IncomeItem, Member, RigidCost, Supporter
from workflows.core.services import assess_household, household_facts
from workflows.policy import rules
from workflows.policy.models import Standard

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 1)


@pytest.fixture
def household():
    make_regions()  # rural standard 750
    # head employed, wage 500 (− 200 deduction), 3 members: per capita 100, dibao-eligible
    return make_household(VILLAGE_A, wage=Decimal("500"), members=3)


def test_two_million_in_deposits_is_not_eligible(household):
    assert assess_household(household, DAY).dibao_eligible is True
    Asset.objects.create(household=household, kind="deposit", description="定期存款", value=Decimal("2000000"))
    assessment = assess_household(household, DAY)
    assert assessment.dibao_eligible is False and assessment.marginal is False and assessment.dibao_amount == 0
    steps = dict(assessment.steps)
    assert "2,000,000.00 元" in steps["家庭财产"] and "超过限额" in steps["家庭财产"]


@pytest.mark.parametrize("value, eligible", [(Decimal("54000.00"), True), (Decimal("54000.01"), False)])
def test_financial_assets_at_and_over_the_local_limit(household, value, eligible):
    # 24 months × 750 × 3 members = 54,000 (以内 includes the limit)
    Asset.objects.create(household=household, kind="securities", value=value)
    assert assess_household(household, DAY).dibao_eligible is eligible


def test_the_house_lived_in_is_left_out_a_second_house_is_not(household):
    Asset.objects.create(household=household, kind="house", description="自住房", value=Decimal("300000"), exempt_use=True)
    assert assess_household(household, DAY).dibao_eligible is True
    Asset.objects.create(household=household, kind="house", description="县城商品房", value=Decimal("500000"))
    assert assess_household(household, DAY).dibao_eligible is False


def test_local_limits_come_from_the_standard_in_force(household):
    Asset.objects.create(household=household, kind="vehicle", description="面包车", value=Decimal("20000"))
    assert assess_household(household, DAY).dibao_eligible is False
    Standard.objects.create(
        county_id=COUNTY, area_type="rural", valid_from=date(2026, 7, 1), dibao_standard=Decimal("780"), vehicle_value_limit=Decimal("30000")
    )
    assert assess_household(household, DAY).dibao_eligible is True
    assert assess_household(household, date(2026, 6, 30)).dibao_eligible is False


def test_rigid_costs_are_deducted_up_to_the_local_cap(household):
    IncomeItem.objects.filter(household=household).update(monthly_amount=Decimal("2700"))  # (2700 − 200) ÷ 3 = 833.33
    member = household.members.first()
    RigidCost.objects.create(household=household, member=member, kind="medical", monthly_amount=Decimal("250"), note="尿毒症透析自付")
    RigidCost.objects.create(household=household, kind="disability_care", monthly_amount=Decimal("50"))
    facts = household_facts(household, DAY)
    assert facts.rigid_costs == Decimal("300")
    assessment = assess_household(household, DAY)
    assert assessment.per_capita_income == Decimal("733.33") and assessment.dibao_eligible  # (2500 − 300) ÷ 3
    Standard.objects.filter(county_id=COUNTY, area_type="rural").update(rigid_cost_cap=Decimal("100"))
    assessment = assess_household(household, DAY)
    assert assessment.per_capita_income == Decimal("800.00") and not assessment.dibao_eligible  # (2500 − 100) ÷ 3
    assert "最多扣减 100.00 元" in dict(assessment.steps)["刚性支出扣减"]


def test_supporters_feed_has_able_supporter(household):
    std = Standard.in_force(COUNTY, "rural", DAY).values(DAY)  # ability line 2 × 750 = 1500
    Supporter.objects.create(household=household, name="外嫁女儿", duty="elder", monthly_income=Decimal("1499.99"))
    assert rules.has_able_supporter(household_facts(household, DAY), std) is False
    Supporter.objects.create(household=household, name="在外工作的儿子", duty="elder", monthly_income=Decimal("1500"), unable=True, note="本人为重度残疾人")
    assert rules.has_able_supporter(household_facts(household, DAY), std) is False
    Supporter.objects.create(household=household, name="长子", duty="elder", monthly_income=Decimal("1500"))
    facts = household_facts(household, DAY)
    assert rules.has_able_supporter(facts, std) is True
    assert rules.able_supporters(facts, std) == [2]


def test_basic_pension_exemption_is_dated(household):
    elder = Member.objects.filter(household=household).last()
    IncomeItem.objects.create(household=household, member=elder, kind="pension_basic", monthly_amount=Decimal("300"))
    standard = Standard.in_force(COUNTY, "rural", DAY)
    assert assess_household(household, DAY).per_capita_income == Decimal("100.00")  # not counted
    standard.pension_exemption_until = date(2026, 11, 30)
    standard.save()
    assert assess_household(household, DAY).per_capita_income == Decimal("200.00")  # (300 + 300) ÷ 3
    assert assess_household(household, date(2026, 11, 30)).per_capita_income == Decimal("100.00")


@pytest.mark.parametrize("months, message", [(7, "原则上不超过6个月"), (0, "至少1个月")])
def test_gradual_exit_length_is_1_to_6_months(household, months, message):
    standard = Standard.in_force(COUNTY, "rural", DAY)
    standard.gradual_exit_months = months
    with pytest.raises(ValidationError, match=message):
        standard.full_clean()
    standard.gradual_exit_months = 6
    standard.full_clean()


def test_admin_refuses_a_gradual_exit_above_6_months_and_keeps_the_input(client, household, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw-12345")
    client.force_login(admin)
    standard = Standard.in_force(COUNTY, "rural", DAY)
    url = f"/admin/policy/standard/{standard.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "家庭财产限额" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"gradual_exit_months": "7", "valid_from": "2024-01-01", "care_standard_partial": "321.00"})
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "渐退期原则上不超过6个月" in body and "321.00" in body
    standard.refresh_from_db()
    assert standard.gradual_exit_months == 6 and standard.care_standard_partial == 0
