"""The 不予批准决定书 is delivered within 3 working days of the decision, as a tracked task."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from viewflow.workflow.status import STATUS

from documents.models import Notice
from documents.services import sign_under_authority
from notifications.models import Notification
from tests.documents.pki import pki  # noqa: F401 - fixture
from tests.factories import VILLAGE_A, make_household, make_issuers
from tests.workflows.application.test_application_flow import fire_publicity_timer, open_task, run_to_publicity
from workflows.application import handlers, notices, services
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application, ApplicationProcess
from workflows.engine.tasks import escalate_overdue

# The verification job, and finishing the delivery task from the notice page, run on commit.
pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(pki, principal, clerk_a, clerk_b, principal_b):
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_b": clerk_b,
        "principal": principal,
        "principal_b": principal_b,
    }


def refuse(process, day):
    """What the review meeting does for a refused case (workflows/review/services.py)."""
    services.decide(Application.objects.get(), approved=False, reason="家庭成员名下有未申报的经营性收入", day=day)
    ApplicationFlow.await_review.run(process.task_set.get(flow_task=ApplicationFlow.await_review, status=STATUS.NEW))
    return ApplicationProcess.objects.get(pk=process.pk)


def signed_refusal(world):
    notice = notices.decision(Application.objects.get(), world["principal"])
    return sign_under_authority(notice, world["principal"], "会议纪要（测试）")


@pytest.fixture
def refused(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    return refuse(process, timezone.localdate())


def execute_url(task):
    return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


def deliver(client, process, data):
    task = open_task(process, ApplicationFlow.deliver_refusal)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    return client.post(execute_url(task), data)


def test_due_date_counts_working_days_across_the_national_day_holiday(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    # Decided on Wednesday 2026-09-30; 10-01..07 are holidays, 10-08 and 10-09 working days and
    # Saturday 10-10 a make-up working day: the third working day is 10-10 (not 10-03).
    process = refuse(process, date(2026, 9, 30))
    assert process.due_date == date(2026, 10, 10)
    assert process.deadline_note == "决定后3个工作日内送达不予批准决定书"
    task = open_task(process, ApplicationFlow.deliver_refusal)
    assert task.status == STATUS.NEW and task.owner_permission == "application.handle_application"


def test_the_task_is_in_the_queue_with_its_deadline(client, world, refused):
    client.force_login(world["clerk"])
    page = client.get("/workflow/queue/").content.decode()
    assert "送达不予批准决定书" in page and refused.due_date.isoformat() in page
    ApplicationProcess.objects.filter(pk=refused.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    assert "已逾期" in client.get("/workflow/queue/").content.decode()


def test_delivery_needs_a_signed_notice_a_method_and_a_date(client, world, refused):
    client.force_login(world["clerk"])
    response = deliver(client, refused, {"method": "direct", "day": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "尚未签发" in response.content.decode()
    notice = signed_refusal(world)
    for data, message in [
        ({}, "该字段是必填项"),
        ({"method": "direct"}, "该字段是必填项"),
        ({"day": timezone.localdate().isoformat()}, "该字段是必填项"),
        ({"method": "pigeon", "day": timezone.localdate().isoformat()}, "选择一个有效的选项"),
        ({"method": "direct", "day": "2026-02-30"}, "输入一个有效的日期"),
        ({"method": "direct", "day": (timezone.localdate() + timedelta(days=1)).isoformat()}, "不能晚于今天"),
        ({"method": "post", "day": timezone.localdate().isoformat(), "proof": SimpleUploadedFile("回证.pdf", b"<html>not a pdf</html>")}, "内容与扩展名不符"),
    ]:
        response = deliver(client, refused, data)
        assert response.status_code == 200 and message in response.content.decode(), data
    notice.refresh_from_db()
    assert notice.state == "signed" and not notice.delivery_method
    assert open_task(refused, ApplicationFlow.deliver_refusal).status == STATUS.ASSIGNED


def test_completing_the_task_marks_the_notice_delivered(client, world, refused):
    notice = signed_refusal(world)
    client.force_login(world["clerk"])
    today = timezone.localdate()
    task = open_task(refused, ApplicationFlow.deliver_refusal)
    client.post(task.flow_task.reverse("assign", args=[refused.pk, task.pk]))
    page = client.get(execute_url(task)).content.decode()
    assert 'enctype="multipart/form-data"' in page and "送达方式" in page and "送达回证" in page and notice.number in page
    response = deliver(client, refused, {"method": "post", "day": today.isoformat(), "proof": SimpleUploadedFile("回证.pdf", PDF)})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "delivered" and notice.delivery_method == "post" and notice.delivered_on == today
    assert notice.delivery_proof.name.endswith(".pdf")
    task = refused.task_set.get(flow_task=ApplicationFlow.deliver_refusal)
    assert task.status == STATUS.DONE and task.owner == world["clerk"]
    assert ApplicationProcess.objects.get(pk=refused.pk).status == "DONE"


def test_delivery_recorded_on_the_notice_page_finishes_the_task(client, world, refused):
    notice = signed_refusal(world)
    client.force_login(world["clerk"])
    response = client.post(f"/notices/{notice.pk}/deliver/", {"method": "direct", "day": timezone.localdate().isoformat()})
    assert response.status_code == 302
    assert Notice.objects.get(pk=notice.pk).state == "delivered"
    task = refused.task_set.get(flow_task=ApplicationFlow.deliver_refusal)
    assert task.status == STATUS.DONE and task.owner == world["clerk"]
    assert ApplicationProcess.objects.get(pk=refused.pk).status == "DONE"


def test_a_task_left_open_after_delivery_on_the_notice_page_closes_without_new_input(client, world, refused, monkeypatch):
    notice = signed_refusal(world)
    client.force_login(world["clerk"])

    def broken(*args):
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(handlers, "_finish_delivery_task", broken)
    response = client.post(f"/notices/{notice.pk}/deliver/", {"method": "left", "day": timezone.localdate().isoformat()})
    assert response.status_code == 302  # the delivery stands; only closing the task failed
    assert open_task(refused, ApplicationFlow.deliver_refusal).status == STATUS.NEW
    response = deliver(client, refused, {})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "delivered" and notice.delivery_method == "left"
    assert ApplicationProcess.objects.get(pk=refused.pk).status == "DONE"


def test_other_township_gets_404(client, world, refused):
    signed_refusal(world)
    task = open_task(refused, ApplicationFlow.deliver_refusal)
    client.force_login(world["clerk_b"])
    for url in (task.flow_task.reverse("index", args=[refused.pk, task.pk]), task.flow_task.reverse("assign", args=[refused.pk, task.pk]), execute_url(task)):
        assert client.get(url).status_code == 404, url
    assert client.post(execute_url(task), {"method": "direct", "day": timezone.localdate().isoformat()}).status_code == 404
    assert "送达不予批准决定书" not in client.get("/workflow/queue/").content.decode()
    assert Notice.objects.get(kind="refusal").state == "signed"


def test_overdue_delivery_is_escalated_to_the_principal_once(client, world, refused):
    # 2026-11-27 is a Friday (a working day); the delivery was due the day before.
    ApplicationProcess.objects.filter(pk=refused.pk).update(due_date=date(2026, 11, 26))
    escalate_overdue.apply(args=["2026-11-27"]).get()
    escalate_overdue.apply(args=["2026-11-27"]).get()
    note = Notification.objects.get(user=world["principal"], kind="overdue_escalation")
    assert "送达不予批准决定书" in note.body and "孙大" in note.body
    assert not Notification.objects.filter(user=world["principal_b"], kind="overdue_escalation").exists()


def test_approval_ends_without_a_delivery_task(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    services.decide(Application.objects.get(), approved=True, reason="联审会议同意", day=timezone.localdate())
    ApplicationFlow.await_review.run(process.task_set.get(flow_task=ApplicationFlow.await_review, status=STATUS.NEW))
    assert ApplicationProcess.objects.get(pk=process.pk).status == "DONE"
    assert not process.task_set.filter(flow_task=ApplicationFlow.deliver_refusal).exists()
