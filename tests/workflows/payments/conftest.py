"""A county with beneficiaries in two townships, its payment staff, and helpers."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from stdnum import luhn

from tests.documents.notice_helpers import use_small_pdfs
from tests.factories import COUNTY, OTHER_COUNTY, VILLAGE_A, VILLAGE_B, make_household, make_user
from workflows.core.models import BankAccount, Beneficiary, Region

OTHER_TOWNSHIP, OTHER_VILLAGE = "340122100000", "340122100201"  # 店埠镇, 店埠村 of OTHER_COUNTY (肥东县)
MAY = date(2026, 5, 1)
_cards = itertools.count(1000)


def card() -> str:
    body = f"62284804025{next(_cards):07d}"
    return body + luhn.calc_check_digit(body)


def enroll(
    village=VILLAGE_A, name="张三", amount="800", members=2, kind="dibao", first=date(2026, 1, 1), state="active", until=None, account=True, area_type="rural"
):
    household = make_household(village, head_name=name, members=members)
    household.area_type = area_type
    household.save()
    if account:
        BankAccount.objects.create(household=household, member=household.members.first(), account_name=name, card_number=card(), bank_name="长丰农商银行")
    beneficiary = Beneficiary.objects.create(household=household, kind=kind, monthly_amount=Decimal(amount), covered_members=members, first_paid_month=first)
    if state != "active" or until:
        # The FSM field is protected; tests set the state the way the services would leave it.
        Beneficiary.objects.filter(pk=beneficiary.pk).update(state=state, gradual_exit_until=until)
    return beneficiary


@pytest.fixture
def county(monkeypatch, issuers, other_county, county_officer, county_head, clerk_a, clerk_b):
    use_small_pdfs(monkeypatch)
    for code, name, level, parent in [(OTHER_TOWNSHIP, "店埠镇", "township", OTHER_COUNTY), (OTHER_VILLAGE, "店埠村", "village", OTHER_TOWNSHIP)]:
        Region.objects.get_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    return {
        "officer": county_officer,
        "head": county_head,
        "finance": make_user("finance", "finance_officer", COUNTY),
        "bank": make_user("bank", "bank_agent", COUNTY),
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
        "other_officer": make_user("other_officer", "county_officer", OTHER_COUNTY),
        "other_bank": make_user("other_bank", "bank_agent", OTHER_COUNTY),
        "a1": enroll(VILLAGE_A, "甲一", "800", 2),
        "a2": enroll(VILLAGE_A, "甲二", "620", 1, kind="tekun_dispersed"),
        "b1": enroll(VILLAGE_B, "乙一", "940", 3),
    }


def open_cycle(month=MAY, county_code=COUNTY):
    """Open (and, with eager Celery, build) a cycle the way beat does."""
    from workflows.payments.flows import PaymentFlow

    process = PaymentFlow.monthly.run(county=Region.objects.get(code=county_code), month=month)
    process.refresh_from_db()
    return process


def task_of(process, node):
    return process.task_set.filter(flow_task=node).order_by("-pk").first()


def do(client, user, process, node, data):
    client.force_login(user)
    task = task_of(process, node)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    return client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), data)


def lines_snapshot(cycle):
    return sorted(cycle.lines.values_list("beneficiary_id", "kind", "gross_amount", "offset_amount", "amount", "card_number", "reference"))


@pytest.fixture(autouse=True)
def _jobs_in_process(eager_celery):
    """These tests follow a job's result inside the test process (its files under tmp MEDIA_ROOT,
    its notices signed with tmp certificates): run Celery in-process even in the services run."""
