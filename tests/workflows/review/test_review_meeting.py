"""The joint review meeting: agenda, quorum, votes, the principal's signature, decisions applied once."""

from decimal import Decimal

import pytest
from django.utils import timezone
from viewflow.workflow.status import STATUS

from documents.models import Notice
from tests.documents.pki import PASSWORD, pki  # noqa: F401 - fixture
from tests.factories import TOWNSHIP_A, VILLAGE_A, make_household, make_issuers, make_user
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, fire_publicity_timer, open_task, run_to_publicity
from workflows.application.models import Application, ApplicationProcess
from workflows.core.models import Beneficiary
from workflows.review import services
from workflows.review.flows import ReviewMeetingFlow
from workflows.review.models import ReviewMeeting, ReviewProcess

# The flows' jobs (verification, the meeting's notices) run once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)

MEMBERS = "刘建华 镇人民政府\n陈晓东 镇民政办\n许梅 镇财政所\n"


@pytest.fixture
def world(pki, principal, clerk_a):
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "principal": principal,
    }


def waiting_case(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    return process


def start_meeting(client, world):
    client.force_login(world["clerk"])
    url = ReviewMeetingFlow.start.reverse("execute")
    response = client.post(url, {"scheduled_on": timezone.localdate().isoformat(), "place": "镇政府二楼会议室", "members": MEMBERS})
    assert response.status_code == 302, response.content.decode()[:1500]
    return ReviewProcess.objects.get()


def record_data(decision_pk, present=("刘建华", "陈晓东", "许梅"), votes=(3, 0, 0), approved="1"):
    return {
        "held_on": timezone.localdate().isoformat(),
        "recorder": "陈晓东",
        "present": list(present),
        f"for_{decision_pk}": votes[0],
        f"against_{decision_pk}": votes[1],
        f"abstain_{decision_pk}": votes[2],
        f"approved_{decision_pk}": approved,
        f"reason_{decision_pk}": "家庭人均收入低于当地低保标准，同意纳入",
    }


def test_meeting_decides_signs_and_enrolls_once(client, world, wait_until):
    application_process = waiting_case(client, world, wait_until)
    process = start_meeting(client, world)
    assert do(client, process, ReviewMeetingFlow.agenda, {"cases": [Application.objects.get().pk]}).status_code == 302
    decision = ReviewMeeting.objects.get().decisions.get()
    assert do(client, process, ReviewMeetingFlow.record, record_data(decision.pk)).status_code == 302
    meeting = ReviewMeeting.objects.get()
    assert meeting.state == "held" and meeting.minutes.kind == "minutes"

    # the clerk cannot sign; the principal signs with their password
    sign_task = open_task(process, ReviewMeetingFlow.sign)
    assert client.post(sign_task.flow_task.reverse("assign", args=[process.pk, sign_task.pk])).status_code in (403, 404)
    client.force_login(world["principal"])
    response = do(client, process, ReviewMeetingFlow.sign, {"password": "wrong"})
    assert "密码不正确" in response.content.decode()
    assert ReviewMeeting.objects.get().state == "held"
    response = client.post(sign_task.flow_task.reverse("execute", args=[process.pk, sign_task.pk]), {"password": PASSWORD})
    assert response.status_code == 302

    wait_until(lambda: ReviewProcess.objects.get(pk=process.pk).status == "DONE", message="会议流程未结束")
    meeting.refresh_from_db()
    assert meeting.state == "concluded"
    assert meeting.minutes.state == "signed" and meeting.minutes.signed_by == world["principal"]
    application = Application.objects.get()
    assert application.state == "approved"
    assert Beneficiary.objects.filter(household=world["household"], state="active").count() == 1
    assert ApplicationProcess.objects.get(pk=application_process.pk).status == "DONE"
    approval = Notice.objects.get(kind="approval")
    assert approval.addressee_name == "孙大" and "〔" in approval.number
    assert approval.state == "signed" and approval.signed_by == world["principal"]
    from workflows.core.models import AuditLog

    assert meeting.minutes.number in AuditLog.objects.get(action="sign", object_id=str(approval.pk)).detail

    # a retried sign request or a second application of the decisions changes nothing
    again = client.post(sign_task.flow_task.reverse("execute", args=[process.pk, sign_task.pk]), {"password": PASSWORD})
    assert again.status_code == 409 and "已由" in again.content.decode()
    assert services.apply_decisions(meeting) == []
    assert Beneficiary.objects.count() == 1
    assert Notice.objects.filter(kind="approval").count() == 1


def test_quorum_and_majority_are_enforced(client, world, wait_until):
    waiting_case(client, world, wait_until)
    process = start_meeting(client, world)
    do(client, process, ReviewMeetingFlow.agenda, {"cases": [Application.objects.get().pk]})
    decision = ReviewMeeting.objects.get().decisions.get()
    response = do(client, process, ReviewMeetingFlow.record, record_data(decision.pk, present=("刘建华",), votes=(1, 0, 0)))
    assert "未超过应到3人的半数" in response.content.decode()
    response = do(client, process, ReviewMeetingFlow.record, record_data(decision.pk, votes=(1, 1, 1)))
    assert "同意票未过出席人数半数" in response.content.decode()
    response = do(client, process, ReviewMeetingFlow.record, record_data(decision.pk, votes=(2, 0, 0)))
    assert "应等于出席人数3" in response.content.decode()
    assert ReviewMeeting.objects.get().state == "planned"
    assert not Notice.objects.filter(kind="minutes").exists()


def test_members_must_come_from_several_departments(client, world):
    client.force_login(world["clerk"])
    response = client.post(
        ReviewMeetingFlow.start.reverse("execute"),
        {"scheduled_on": timezone.localdate().isoformat(), "place": "会议室", "members": "甲 镇政府\n乙 镇政府\n丙 镇政府"},
    )
    assert response.status_code == 200
    assert "多个部门" in response.content.decode()
    assert not ReviewMeeting.objects.exists()


def test_only_cases_after_publicity_are_eligible(client, world, wait_until):
    run_to_publicity(client, world, wait_until)  # still in 公示
    assert not services.eligible_cases(TOWNSHIP_A).exists()
    process = start_meeting(client, world)
    response = do(client, process, ReviewMeetingFlow.agenda, {"cases": [Application.objects.get().pk]})
    assert response.status_code == 200
    assert open_task(process, ReviewMeetingFlow.agenda).status != STATUS.DONE


def test_beat_opens_one_meeting_on_the_first_working_day(world):
    from workflows.review.tasks import ensure_monthly_meetings

    make_user("principal_b", "township_principal", TOWNSHIP_A)
    make_user("reviewer_a", "review_member", TOWNSHIP_A)
    # 2026-10-01..07 are National Day holidays: the first working day of October is the 8th.
    assert ensure_monthly_meetings.apply(args=["2026-10-07"]).get() == 0
    assert ensure_monthly_meetings.apply(args=["2026-10-08"]).get() == 1
    meeting = ReviewMeeting.objects.get()
    assert meeting.township_id == TOWNSHIP_A and meeting.scheduled_on.month == 10
    assert meeting.members.count() >= 3
    assert ensure_monthly_meetings.apply(args=["2026-10-08"]).get() == 0  # already opened this month
    process = ReviewProcess.objects.get()
    assert open_task(process, ReviewMeetingFlow.agenda)


def test_refusal_notice_states_income_standard_and_reason(client, world, wait_until):
    waiting_case(client, world, wait_until)
    process = start_meeting(client, world)
    do(client, process, ReviewMeetingFlow.agenda, {"cases": [Application.objects.get().pk]})
    decision = ReviewMeeting.objects.get().decisions.get()
    data = record_data(decision.pk, votes=(0, 3, 0), approved="0")
    data[f"reason_{decision.pk}"] = "家庭成员名下有未申报的经营性收入"
    assert do(client, process, ReviewMeetingFlow.record, data).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, ReviewMeetingFlow.sign, {"password": PASSWORD}).status_code == 302
    wait_until(lambda: Notice.objects.filter(kind="refusal", state="signed").exists(), message="不予批准决定书未生成")
    refusal = Notice.objects.get(kind="refusal")
    text = pdf_text(refusal.pdf).replace("\n", "")
    assert "不予批准决定书" in text and "未申报的经营性收入" in text
    assert "当地最低生活保障标准750.00元" in text
    assert "60日" in text and "6个月" in text
    assert Application.objects.get().state == "refused" and not Beneficiary.objects.exists()
