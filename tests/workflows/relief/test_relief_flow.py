"""Interim relief (M6): reserve fund, caps, small-amount-first, approval first, emergency periods."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from viewflow.workflow.status import STATUS

from tests.documents.pki import PASSWORD, pki  # noqa: F401 - fixture
from tests.factories import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_issuers, make_user
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.policy.calendar import add_working_days
from workflows.relief import services
from workflows.relief.flows import ReliefFlow
from workflows.relief.models import EmergencyPeriod, FundEntry, ReliefCase, ReliefProcess, ReserveFund

pytestmark = pytest.mark.django_db

# tests.factories: rural dibao standard 750 → interim cap 7,500; small-amount cap 1,000.
FIRE = "该户于近日因房屋失火，衣被、粮食等生活必需品损毁，基本生活暂时出现严重困难。"


@pytest.fixture
def world(pki, principal, clerk_a, clerk_b):
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    services.top_up(TOWNSHIP_A, Decimal("5000"), "长财社〔2026〕8号", clerk_a)
    return {
        "household": make_household(VILLAGE_A, head_name="刘小燕", members=2),
        "clerk": clerk_a,
        "clerk_b": clerk_b,
        "principal": principal,
    }


def fund():
    return ReserveFund.objects.get(township_id=TOWNSHIP_A)


def propose(client, user, household, amount, **over):
    client.force_login(user)
    data = {
        "id_number": household.members.get(relation="head").id_number,
        "kind": "emergency",
        "reason": FIRE,
        "amount": str(amount),
        "payment_method": "account",
    }
    data.update(over)
    return client.post(ReliefFlow.start.reverse("execute"), data)


def test_small_amount_is_paid_at_once_then_approved_and_explained(client, world):
    today = timezone.localdate()
    assert propose(client, world["clerk"], world["household"], "800").status_code == 302
    process = ReliefProcess.objects.get()
    case = ReliefCase.objects.get()
    assert case.state == "paid" and case.paid_on == today and case.small_amount_first
    assert fund().balance == Decimal("4200.00")
    payment = FundEntry.objects.get(kind="payment")
    assert payment.amount == Decimal("-800.00") and payment.relief == case and payment.balance_after == Decimal("4200.00")

    # approval and explanation follow as tracked tasks with working-day deadlines
    assert case.approval_due == add_working_days(today, 5)
    assert case.explanation_due == add_working_days(today, 10)
    assert open_task(process, ReliefFlow.approve_after) and open_task(process, ReliefFlow.explain_after)
    assert ReliefProcess.objects.get(pk=process.pk).due_date == case.approval_due

    task = open_task(process, ReliefFlow.explain_after)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    # the task page: fund balance, the cap computation, the deadline
    assert "4200.00 元" in page and "7500.00 元" in page and case.explanation_due.isoformat() in page
    assert do(client, process, ReliefFlow.explain_after, {"explanation": "经入户核实，火灾属实，已先行发放800元。"}).status_code == 302
    assert ReliefProcess.objects.get(pk=process.pk).due_date == case.approval_due

    client.force_login(world["principal"])
    assert "密码不正确" in do(client, process, ReliefFlow.approve_after, {"password": "wrong"}).content.decode()
    assert do(client, process, ReliefFlow.approve_after, {"password": PASSWORD}).status_code == 302
    case.refresh_from_db()
    assert case.state == "documented" and case.approved_by == world["principal"]
    assert case.notice.state == "signed"
    assert ReliefProcess.objects.get(pk=process.pk).status == STATUS.DONE
    assert FundEntry.objects.filter(kind="payment").count() == 1


def test_above_small_cap_is_approved_before_payment(client, world):
    assert propose(client, world["clerk"], world["household"], "3000", kind="expenditure").status_code == 302
    process = ReliefProcess.objects.get()
    case = ReliefCase.objects.get()
    assert case.state == "proposed" and not case.small_amount_first
    assert fund().balance == Decimal("5000.00") and not FundEntry.objects.filter(kind="payment").exists()
    assert case.approval_due == add_working_days(timezone.localdate(), 5)

    client.force_login(world["principal"])
    assert do(client, process, ReliefFlow.approve, {"password": PASSWORD}).status_code == 302
    case.refresh_from_db()
    assert case.state == "paid" and case.approved_on == case.paid_on
    assert fund().balance == Decimal("2000.00")
    client.force_login(world["clerk"])
    assert do(client, process, ReliefFlow.explain, {"explanation": "已发放至一卡通账户。"}).status_code == 302
    case.refresh_from_db()
    assert case.state == "documented"


def test_above_the_fund_balance_is_refused_and_nothing_paid(client, world):
    response = propose(client, world["clerk"], world["household"], "6000")
    assert "乡镇备用金余额不足（余额 5000.00 元），不能支付" in response.content.decode()
    assert not ReliefCase.objects.exists()
    assert fund().balance == Decimal("5000.00") and not FundEntry.objects.filter(kind="payment").exists()


def test_fund_running_dry_before_payment_is_refused_and_rolled_back(client, world):
    """Approved above the small cap, but another payment emptied the fund meanwhile."""
    assert propose(client, world["clerk"], world["household"], "3000").status_code == 302
    process = ReliefProcess.objects.get()
    case = ReliefCase.objects.get()
    ReserveFund.objects.update(balance=Decimal("100"))
    client.force_login(world["principal"])
    response = do(client, process, ReliefFlow.approve, {"password": PASSWORD})
    assert "乡镇备用金余额不足（余额 100.00 元），不能支付" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "proposed" and case.paid_on is None
    assert open_task(process, ReliefFlow.approve).status != STATUS.DONE


def test_database_refuses_a_negative_balance(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReserveFund.objects.filter(pk=fund().pk).update(balance=F("balance") - Decimal("5000.01"))
    assert fund().balance == Decimal("5000.00")


def test_emergency_period_lets_the_place_of_the_emergency_handle_it(client, world):
    outsider = make_household(VILLAGE_B, head_name="赵外乡", members=1)
    response = propose(client, world["clerk"], outsider, "500")
    assert "不在您的辖区内" in response.content.decode()
    assert not ReliefCase.objects.exists()

    today = timezone.localdate()
    EmergencyPeriod.objects.create(region_id=TOWNSHIP_A, starts=today - timedelta(days=3), ends=today, reason="洪涝灾害", declared_by=world["principal"])
    assert propose(client, world["clerk"], outsider, "500").status_code == 302
    case = ReliefCase.objects.get()
    assert case.region_code == TOWNSHIP_A and case.emergency_period.reason == "洪涝灾害"
    assert ReliefProcess.objects.get().region_code == TOWNSHIP_A
    assert fund().balance == Decimal("4500.00")
    assert "急难发生地" in pdf_text(case.notice.pdf, layout=True)


def test_other_township_gets_404(client, world):
    propose(client, world["clerk"], world["household"], "800")
    process = ReliefProcess.objects.get()
    task = open_task(process, ReliefFlow.explain_after)
    client.force_login(world["clerk_b"])
    assert client.get(ReliefFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[process.pk, task.pk])).status_code == 404
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404


def test_decision_notice_states_amount_rule_and_rights(client, world):
    propose(client, world["clerk"], world["household"], "800")
    notice = ReliefCase.objects.get().notice
    text = pdf_text(notice.pdf, layout=True).replace(" ", "").replace("\n", "")
    assert notice.kind == "interim_relief" and notice.addressee_name == "刘小燕"
    assert "800.00元" in text and "水湖镇临时救助备用金" in text
    assert "皖民社救字〔2022〕46号）第六条" in text
    assert "60日" in text and "6个月" in text and "长丰县人民政府" in text


def _in_threads(count, work):
    barrier, results = threading.Barrier(count), [None] * count

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except ValidationError as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # threads, each on its own connection, see only committed rows
def test_concurrent_payments_never_overdraw(client, world):
    """Two 3,000 元 cases, both approved, a fund of 5,000: exactly one is paid."""
    other = make_household(VILLAGE_A, head_name="钱二", members=1)
    for household in (world["household"], other):
        assert propose(client, world["clerk"], household, "3000").status_code == 302
    cases = list(ReliefCase.objects.order_by("pk"))
    ReliefCase.objects.update(state="approved", approved_on=timezone.localdate())
    results = _in_threads(2, lambda i: services.pay(ReliefCase.objects.get(pk=cases[i].pk), world["clerk"], timezone.localdate()))
    assert sum(isinstance(r, ReliefCase) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert fund().balance == Decimal("2000.00")
    assert FundEntry.objects.filter(kind="payment").count() == 1


def test_the_same_proposal_posted_twice_pays_once_and_shows_the_first(client, world):
    first = propose(client, world["clerk"], world["household"], "800")
    assert first.status_code == 302
    process = ReliefProcess.objects.get()
    # a double click, a retried request, even with the amount retyped: the same event
    for amount, reason in (("800", FIRE), ("900", "  " + FIRE.replace("，", "， ") + "\n")):
        again = propose(client, world["clerk"], world["household"], amount, reason=reason)
        assert again.status_code == 302 and again["Location"] == ReliefFlow.instance.reverse("process_detail", args=[process.pk])
    page = client.get(again["Location"]).content.decode()
    assert "该家庭的同一困难情形已提出临时救助" in page and "800.00 元" in page
    assert ReliefCase.objects.count() == 1 and ReliefProcess.objects.count() == 1
    assert FundEntry.objects.filter(kind="payment").count() == 1 and fund().balance == Decimal("4200.00")
    # other facts are another event, paid on their own
    assert propose(client, world["clerk"], world["household"], "300", reason="该户成员突发重病住院，医疗费用支出较大，基本生活出现困难。").status_code == 302
    assert FundEntry.objects.filter(kind="payment").count() == 2 and fund().balance == Decimal("3900.00")


def test_the_database_refuses_a_second_case_for_one_event(client, world):
    propose(client, world["clerk"], world["household"], "800")
    case = ReliefCase.objects.get()
    case.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save(force_insert=True)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # threads, each on its own connection, see only committed rows
def test_eight_concurrent_identical_posts_pay_once(world):
    from django.test import Client

    clients = [Client() for _ in range(8)]
    for c in clients:
        c.force_login(world["clerk"])
    data = {
        "id_number": world["household"].members.get(relation="head").id_number,
        "kind": "emergency",
        "reason": FIRE,
        "amount": "800",
        "payment_method": "account",
    }
    url = ReliefFlow.start.reverse("execute")
    results = _in_threads(8, lambda i: clients[i].post(url, data).status_code)
    assert results == [302] * 8
    assert ReliefCase.objects.count() == 1 and ReliefProcess.objects.count() == 1
    assert FundEntry.objects.filter(kind="payment").count() == 1
    assert fund().balance == Decimal("4200.00")


def test_top_up_through_the_admin_writes_the_ledger(client, world):
    admin = make_user("county_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    response = client.post(
        "/admin/relief/reservefund/add/",
        {"township": TOWNSHIP_B, "top_up_amount": "2000", "top_up_reference": "长财社〔2026〕9号", "entries-TOTAL_FORMS": "0", "entries-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = FundEntry.objects.get(fund_id=TOWNSHIP_B)
    assert entry.kind == "top_up" and entry.amount == entry.balance_after == Decimal("2000.00") and entry.reference == "长财社〔2026〕9号"
    with pytest.raises(ValueError, match="只能追加"):
        entry.save()
