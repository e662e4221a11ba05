"""Bad input to the registry: each a form error naming the field, in Chinese; nothing saved."""

from datetime import date

import pytest

from forms.registry import HouseholdForm, IncomeItemForm, MemberForm
from tests.factories import COUNTY, TOWNSHIP_A, VILLAGE_A, VILLAGE_B, make_household, make_id, make_regions, make_user
from workflows.core.models import Household, IncomeItem, Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    make_regions()
    return make_household()


def member_data(household, **over):
    data = {
        "household": household.pk,
        "name": "李四",
        "id_number": make_id(date(1980, 1, 2)),
        "relation": "child",
        "employment": "employed",
        "disability_type": "",
    }
    data.update(over)
    return data


def test_valid_member_derives_birth_date_and_sex(household):
    number = make_id(date(1988, 2, 29), male=False)
    form = MemberForm(member_data(household, id_number=number))
    assert form.is_valid(), form.errors
    member = form.save()
    assert member.birth_date == date(1988, 2, 29)
    assert member.sex == "F"


@pytest.mark.parametrize(
    "number, message",
    [
        ("34012119800102123", "应为18位"),
        ("340121198001021230", "校验码错误"),  # last character deliberately wrong below
        ("340121198002301234", "出生日期不存在"),
        ("999999198001021234", "地址码999999不是有效的行政区划代码"),
    ],
)
def test_bad_id_numbers_are_refused_with_a_chinese_message(household, number, message):
    from stdnum.cn import ric

    if "校验码" in message:
        good = ric.calc_check_digit(number[:17] + "0")
        number = number[:17] + ("1" if good != "1" else "2")
    elif "出生日期" in message or "地址码" in message:
        number = number[:17] + ric.calc_check_digit(number[:17] + "0")
    before = Member.objects.count()
    form = MemberForm(member_data(household, id_number=number))
    assert not form.is_valid()
    assert message in " ".join(form.errors["id_number"])
    assert Member.objects.count() == before


def test_future_birth_date_refused(household):
    form = MemberForm(member_data(household, id_number=make_id(date(date.today().year + 1, 1, 1))))
    assert not form.is_valid()
    assert "晚于今天" in form.errors["id_number"][0]


def test_same_id_in_another_household_is_refused(household):
    existing = household.members.first().id_number
    other = make_household(VILLAGE_B, head_name="王五")
    form = MemberForm(member_data(other, id_number=existing))
    assert not form.is_valid()
    assert f"已登记在家庭（编号 {household.pk}）" in form.errors["id_number"][0]
    assert Member.objects.filter(id_number=existing).count() == 1


def test_unknown_region_code_is_refused(household):
    user = make_user("clerk", "township_clerk", TOWNSHIP_A)
    before = Household.objects.count()
    form = HouseholdForm({"hukou_region": "340121199299", "residence_region": VILLAGE_A, "area_type": "rural"}, user=user)
    assert not form.is_valid()
    assert form.errors["hukou_region"] == ["区划代码 340121199299 不存在"]
    form = HouseholdForm({"hukou_region": COUNTY, "residence_region": VILLAGE_A, "area_type": "rural"}, user=user)
    assert not form.is_valid()
    assert "不是村（社区）" in form.errors["hukou_region"][0]
    assert Household.objects.count() == before


def test_region_outside_scope_is_unknown_to_the_user(household):
    user = make_user("clerk", "township_clerk", TOWNSHIP_A)
    form = HouseholdForm({"hukou_region": VILLAGE_B, "residence_region": VILLAGE_A, "area_type": "rural"}, user=user)
    assert not form.is_valid()
    assert "不存在" in form.errors["hukou_region"][0]
    form = HouseholdForm({"hukou_region": VILLAGE_A, "residence_region": VILLAGE_B, "area_type": "rural"}, user=user)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.region_code == VILLAGE_A


@pytest.mark.parametrize("amount, message", [("-1", "不能为负数"), ("1000000.01", "超过每月100万元")])
def test_absurd_incomes_refused(household, amount, message):
    before = IncomeItem.objects.count()
    form = IncomeItemForm({"household": household.pk, "kind": "wage", "monthly_amount": amount})
    assert not form.is_valid()
    assert message in form.errors["monthly_amount"][0]
    assert IncomeItem.objects.count() == before


def test_exempt_income_kinds_are_marked(household):
    form = IncomeItemForm({"household": household.pk, "kind": "pension_basic", "monthly_amount": "150"})
    assert form.is_valid(), form.errors
    assert form.save().exempt is True
    assert household.incomes.get(kind="wage").exempt is False


def test_bank_card_luhn(household):
    from stdnum import luhn

    from forms.registry import BankAccountForm

    good = "622848040256489001" + luhn.calc_check_digit("622848040256489001")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    data = {"household": household.pk, "account_name": "张三", "bank_name": "中国农业银行", "active": True}
    assert BankAccountForm({**data, "card_number": good}).is_valid()
    form = BankAccountForm({**data, "card_number": bad})
    assert not form.is_valid()
    assert "校验失败" in form.errors["card_number"][0]
