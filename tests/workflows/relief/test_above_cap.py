"""Above the interim cap (docs/policy.md "Temporary relief": one payment up to 10× the monthly dibao
standard; larger amounts are not refused but decided by the county): the township principal
reviews, the county head decides and signs; approved, it is paid once from the reserve fund;
refused, nothing is paid and the decision states the reason."""

from decimal import Decimal

import pytest
from viewflow.workflow.status import STATUS

from tests.documents.pki import PASSWORD, pki  # noqa: F401 - fixture
from tests.factories import COUNTY, OTHER_COUNTY, TOWNSHIP_A, VILLAGE_A, make_household, make_issuers, make_user
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.engine.assignment import recipients
from workflows.engine.models import ScopedTask
from workflows.relief import services
from workflows.relief.flows import ReliefFlow
from workflows.relief.models import FundEntry, ReliefCase, ReliefProcess, ReserveFund

from .test_relief_flow import FIRE, propose

pytestmark = pytest.mark.django_db

# tests.factories: rural dibao standard 750 元, the default multiplier 10 → cap 7,500.00 元,
# "以内" including the cap itself.
CAP = Decimal("7500.00")
ABOVE = CAP + Decimal("0.01")
REASON = "经县级复核，该户已获保险理赔，基本生活困难程度不需超过单次上限救助，请乡镇在上限以内救助。"


@pytest.fixture
def world(pki, principal, other_county, clerk_a, county_head, county_officer):
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    services.top_up(TOWNSHIP_A, Decimal("20000"), "长财社〔2026〕8号", clerk_a)
    county_head.first_name = "陈县长"
    county_head.save()
    return {
        "household": make_household(VILLAGE_A, head_name="刘小燕", members=2),
        "clerk": clerk_a,
        "principal": principal,
        "head": county_head,
        "other_head": make_user("head_fd", "county_head", OTHER_COUNTY),
        "officer": county_officer,
    }


def balance():
    return ReserveFund.objects.get(township_id=TOWNSHIP_A).balance


def reported(client, world, amount=ABOVE):
    """Proposed above the cap and reviewed by the principal: the county head's task is open."""
    assert propose(client, world["clerk"], world["household"], str(amount)).status_code == 302
    process = ReliefProcess.objects.get()
    client.force_login(world["principal"])
    assert do(client, process, ReliefFlow.report, {"password": PASSWORD}).status_code == 302
    return process


def county_decides(client, world, process, data):
    client.force_login(world["head"])
    return do(client, process, ReliefFlow.county_decide, {"password": PASSWORD, **data})


def test_exactly_the_cap_is_the_townships_own_decision(client, world):
    assert propose(client, world["clerk"], world["household"], str(CAP)).status_code == 302
    process = ReliefProcess.objects.get()
    case = ReliefCase.objects.get()
    assert not case.above_cap and case.notice.issuer.region_id == TOWNSHIP_A
    assert open_task(process, ReliefFlow.approve)
    client.force_login(world["principal"])
    assert do(client, process, ReliefFlow.approve, {"password": PASSWORD}).status_code == 302
    case.refresh_from_db()
    assert case.state == "paid" and balance() == Decimal("20000") - CAP
    assert not process.task_set.filter(flow_task__in=[ReliefFlow.report, ReliefFlow.county_decide]).exists()


def test_a_cent_above_the_cap_goes_to_the_county_head_not_refused(client, world):
    assert propose(client, world["clerk"], world["household"], str(ABOVE)).status_code == 302
    process = ReliefProcess.objects.get()
    case = ReliefCase.objects.get()
    assert case.state == "proposed" and case.amount == ABOVE and not case.small_amount_first
    assert case.notice is None  # the decision is the county's, made when it decides
    assert not process.task_set.filter(flow_task=ReliefFlow.approve).exists()

    # the principal reviews and reports; nothing is paid before the county decides
    client.force_login(world["principal"])
    task = open_task(process, ReliefFlow.report)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    assert "确认审核同意，报县级审批" in page and "超过单次上限 0.01 元，需报县级审批" in page
    assert do(client, process, ReliefFlow.report, {"password": PASSWORD}).status_code == 302
    case.refresh_from_db()
    assert case.state == "reported" and case.approved_by == world["principal"] and case.paid_on is None
    assert balance() == Decimal("20000") and not FundEntry.objects.filter(kind="payment").exists()

    task = open_task(process, ReliefFlow.county_decide)
    assert task.owner_permission == "relief.decide_above_cap"
    assert {u.username for u in recipients(task, process.region_code)} == {"head"}
    assert task in ScopedTask.objects.user_queue(world["head"])

    client.force_login(world["head"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    assert "750.00 元 × 10 倍 = 7500.00 元" in page
    assert "超过单次上限 0.01 元，需报县级审批" in page
    assert "待县级审批" in page


def test_another_countys_head_and_the_township_cannot_act_on_it(client, world):
    process = reported(client, world)
    task = open_task(process, ReliefFlow.county_decide)
    urls = [ReliefFlow.instance.reverse("process_detail", args=[process.pk]), task.flow_task.reverse("index", args=[process.pk, task.pk])]

    client.force_login(world["other_head"])
    assert task not in ScopedTask.objects.user_queue(world["other_head"])
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404

    # in scope but not the county head: the principal and the county officer may not take it
    for user in (world["principal"], world["officer"]):
        client.force_login(user)
        assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.status == STATUS.NEW and task.owner is None
    assert ReliefCase.objects.get().state == "reported"


def test_county_approval_pays_once_from_the_reserve_fund(client, world):
    process = reported(client, world)
    assert county_decides(client, world, process, {"decision": "1"}).status_code == 302
    case = ReliefCase.objects.get()
    assert case.state == "paid" and case.county_decided_by == world["head"] and case.paid_on == case.county_decided_on
    assert balance() == Decimal("20000") - ABOVE
    payment = FundEntry.objects.get(kind="payment")
    assert payment.amount == -ABOVE and payment.relief == case and payment.balance_after == Decimal("20000") - ABOVE

    notice = case.notice
    assert notice.state == "signed" and notice.signed_by == world["head"] and notice.issuer.region_id == COUNTY
    text = pdf_text(notice.pdf, layout=True).replace(" ", "").replace("\n", "")
    assert "长丰县民政局" in text and "7500.01元" in text and "超过当地临时救助单次上限7500.00元" in text
    assert "本机关决定：给予你户" in text and "县民政部门审批后" in text and "水湖镇临时救助备用金" in text

    # a retried payment pays nothing twice
    services.pay(case, world["clerk"], case.paid_on)
    assert FundEntry.objects.filter(kind="payment").count() == 1 and balance() == Decimal("20000") - ABOVE

    client.force_login(world["clerk"])
    assert do(client, process, ReliefFlow.explain, {"explanation": "经县级审批，已发放至一卡通账户。"}).status_code == 302
    assert ReliefCase.objects.get().state == "documented"
    assert ReliefProcess.objects.get().status == STATUS.DONE


def test_county_refusal_pays_nothing_and_the_decision_states_the_reason(client, world):
    process = reported(client, world)
    response = county_decides(client, world, process, {"decision": "0", "reason": "  "})
    assert "不予批准时必须填写理由" in response.content.decode()
    assert ReliefCase.objects.get().state == "reported"

    assert county_decides(client, world, process, {"decision": "0", "reason": REASON}).status_code == 302
    case = ReliefCase.objects.get()
    assert case.state == "refused" and case.refusal_reason == REASON and case.paid_on is None
    assert balance() == Decimal("20000") and not FundEntry.objects.filter(kind="payment").exists()
    assert ReliefProcess.objects.get().status == STATUS.DONE
    assert not process.task_set.filter(flow_task__in=[ReliefFlow.explain, ReliefFlow.pay_approved]).exists()

    notice = case.notice
    assert notice.state == "signed" and notice.signed_by == world["head"] and notice.issuer.region_id == COUNTY
    text = pdf_text(notice.pdf, layout=True).replace(" ", "").replace("\n", "")
    assert "不予批准给予你户急难型临时救助金7500.01元" in text and REASON in text
    assert "本机关决定：给予" not in text and "60日" in text and "6个月" in text


def test_a_refused_event_may_be_proposed_again_within_the_cap(client, world):
    process = reported(client, world)
    assert county_decides(client, world, process, {"decision": "0", "reason": REASON}).status_code == 302
    assert propose(client, world["clerk"], world["household"], str(CAP), reason=FIRE).status_code == 302
    again = ReliefCase.objects.exclude(state="refused").get()
    assert again.amount == CAP and again.state == "proposed" and not again.above_cap
    # and that one is the event's case now: posted once more, it pays nothing new
    response = propose(client, world["clerk"], world["household"], str(CAP), reason=FIRE)
    assert response.status_code == 302 and ReliefCase.objects.count() == 2


def test_the_fund_running_dry_before_the_county_approves_is_refused_and_rolled_back(client, world):
    process = reported(client, world)
    ReserveFund.objects.update(balance=Decimal("100"))
    response = county_decides(client, world, process, {"decision": "1"})
    assert "乡镇备用金余额不足（余额 100.00 元），不能支付" in response.content.decode()
    case = ReliefCase.objects.get()
    assert case.state == "reported" and case.notice is None and case.paid_on is None
    assert open_task(process, ReliefFlow.county_decide).status != STATUS.DONE
