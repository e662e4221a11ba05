"""Application process from filing to the review meeting's queue."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.models import Notice
from tests.factories import VILLAGE_A, make_household
from tests.helpers import pdf_text
from workflows.application import services
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application, ApplicationProcess
from workflows.engine.tasks import fire_timers
from workflows.policy import procedure

# The verification job runs once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(issuers, clerk_a, clerk_b):
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_b": clerk_b,
    }


def file(client, world, **over):
    household = world["household"]
    client.force_login(world["clerk"])
    url = ApplicationFlow.start.reverse("execute")
    assert client.get(url, {"household": household.pk}).status_code == 200
    data = {"household": household.pk, "applicant": household.members.get(relation="head").pk, "kind": "dibao", "channel": "window", "delegated": "on"}
    data.update(over)
    return client.post(url, data)


def open_task(process, node):
    return process.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def do(client, process, node, data):
    task = open_task(process, node)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    return client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), data)


def investigation_data(**over):
    data = {
        "investigator_1": "王强",
        "investigator_2": "李娟",
        "visited_on": timezone.localdate().isoformat(),
        "living_conditions": "住房简陋，户主务工收入不稳定",
        "findings": "情况属实",
    }
    data.update(over)
    return data


def run_to_publicity(client, world, wait_until):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    assert do(client, process, ApplicationFlow.accept, {"decision": "accept"}).status_code == 302
    assert do(client, process, ApplicationFlow.investigate, investigation_data()).status_code == 302
    wait_until(lambda: process.task_set.filter(flow_task=ApplicationFlow.assess).exists(), message="核对任务未完成")
    assert do(client, process, ApplicationFlow.assess, {}).status_code == 302
    return process


def fire_publicity_timer(process):
    Task.objects.filter(process=process, flow_task=ApplicationFlow.publicity, status=STATUS.SCHEDULED).update(scheduled=timezone.now() - timedelta(seconds=1))
    return fire_timers.apply().get()


def test_happy_path_reaches_the_review_queue(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    application = Application.objects.get()
    assert application.state == "publicized"
    assert application.accepted_on == timezone.localdate()
    # delegated: 20 working days from acceptance
    assert process.__class__.objects.get(pk=process.pk).deadline_note.startswith("受理后20个工作日")
    assert application.verifications.get().source == "家庭档案登记信息"
    # rural standard 750; wage 600 minus the employment deduction, 3 people: eligible
    assert application.eligible is True
    assert application.proposed_amount == application.assessment.dibao_amount > 0
    assert application.publicity_ends == timezone.localdate() + timedelta(days=7)
    assert fire_publicity_timer(process) == 1
    assert fire_timers.apply().get() == 0  # a second sweep fires nothing
    application.refresh_from_db()
    assert application.state == "awaiting_review"
    assert open_task(process, ApplicationFlow.await_review).status == STATUS.NEW


def test_correction_lists_every_item_then_accepts(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    response = do(client, process, ApplicationFlow.accept, {"decision": "correct", "missing_items": ""})
    assert "逐项列明" in response.content.decode()
    response = do(client, process, ApplicationFlow.accept, {"decision": "correct", "missing_items": "户口簿复印件\n残疾证复印件\n"})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == "correction"
    assert application.missing_items == ["户口簿复印件", "残疾证复印件"]
    notice = Notice.objects.get(kind="correction")
    text = pdf_text(notice.pdf, layout=True)
    assert notice.number.startswith("皖长水救补字〔") and notice.number in text
    assert "户口簿复印件" in text and "残疾证复印件" in text
    assert do(client, process, ApplicationFlow.await_correction, {"received": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "accepted"
    assert application.missing_items == []
    acceptance = Notice.objects.get(kind="acceptance")
    assert acceptance.addressee_name == "孙大" and "20个工作日" in pdf_text(acceptance.pdf, layout=True)


def test_objection_in_window_reopens_investigation(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    application = Application.objects.get()
    services.record_objection(application, user=world["clerk"], content="该户有经营性收入未申报", raised_by="村民", today=timezone.localdate())
    fire_publicity_timer(process)
    application.refresh_from_db()
    assert application.state == "accepted"
    assert open_task(process, ApplicationFlow.reinvestigate)


def test_objection_after_window_is_refused(client, world, wait_until):
    from django.core.exceptions import ValidationError

    run_to_publicity(client, world, wait_until)
    application = Application.objects.get()
    late = application.publicity_ends + timedelta(days=1)
    with pytest.raises(ValidationError, match="公示期已结束"):
        services.record_objection(application, user=world["clerk"], content="迟到的异议", raised_by="村民", today=late)
    assert not application.objections.exists()


def test_two_investigators_must_differ(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    do(client, process, ApplicationFlow.accept, {"decision": "accept"})
    response = do(client, process, ApplicationFlow.investigate, investigation_data(investigator_2="王强"))
    assert response.status_code == 200
    assert "两名不同的工作人员" in response.content.decode()


def test_manual_amount_needs_a_reason(client, world, wait_until):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    do(client, process, ApplicationFlow.accept, {"decision": "accept"})
    do(client, process, ApplicationFlow.investigate, investigation_data())
    wait_until(lambda: process.task_set.filter(flow_task=ApplicationFlow.assess).exists())
    response = do(client, process, ApplicationFlow.assess, {"corrected_amount": "500"})
    assert "必须写明原因" in response.content.decode()
    page = client.get(
        open_task(process, ApplicationFlow.assess).flow_task.reverse("execute", args=[process.pk, open_task(process, ApplicationFlow.assess).pk])
    ).content.decode()
    assert "人均月收入" in page and "低保标准" in page
    assert "受理通知书" in page and Notice.objects.get(kind="acceptance").number in page
    assert f"/workflow/flows/relief/start/?application={process.application_id}" in page


def test_other_township_cannot_see_the_case(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)
    client.force_login(world["clerk_b"])
    assert client.get(ApplicationFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[process.pk, task.pk])).status_code == 404
    assert "孙大" not in client.get("/workflow/queue/").content.decode()


def test_duplicate_application_refused(client, world):
    assert file(client, world).status_code == 302
    response = file(client, world)
    assert response.status_code == 200
    assert "不能重复申请" in response.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.parametrize("decided, first", [("2026-01-31", "2026-02-01"), ("2026-12-01", "2027-01-01"), ("2026-02-28", "2026-03-01")])
def test_first_paid_month_is_the_month_after(decided, first):
    from datetime import date

    assert procedure.first_paid_month(date.fromisoformat(decided)) == date.fromisoformat(first)


def test_decision_enrolls_once(client, world, wait_until):
    from datetime import date

    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    application = Application.objects.get()
    decided = services.decide(application, approved=True, reason="联审会议同意", day=date(2026, 11, 30))
    assert decided.state == "approved"
    beneficiary = decided.beneficiary
    assert beneficiary.kind == "dibao" and beneficiary.state == "active"
    assert beneficiary.monthly_amount == application.proposed_amount
    assert beneficiary.covered_members == 3
    assert beneficiary.first_paid_month == date(2026, 12, 1)
    again = services.decide(application, approved=False, reason="重复提交", day=date(2026, 11, 30))
    assert again.state == "approved"
    from workflows.core.models import Beneficiary

    assert Beneficiary.objects.count() == 1


def test_refusal_needs_reasons(client, world, wait_until):
    from datetime import date

    from django.core.exceptions import ValidationError

    process = run_to_publicity(client, world, wait_until)
    fire_publicity_timer(process)
    application = Application.objects.get()
    with pytest.raises(ValidationError):
        services.decide(application, approved=False, reason=" ", day=date(2026, 11, 30))
    refused = services.decide(application, approved=False, reason="家庭人均收入高于当地低保标准", day=date(2026, 11, 30))
    assert refused.state == "refused" and refused.beneficiary is None


def test_objection_page_records_within_window_and_refuses_after(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    application = Application.objects.get()
    url = f"/applications/{application.pk}/objection/"
    detail = client.get(ApplicationFlow.instance.reverse("process_detail", args=[process.pk])).content.decode()
    assert "登记公示异议" in detail
    response = client.post(url, {"raised_by": "村民甲", "content": "该户有车辆未申报"})
    assert response.status_code == 302
    assert application.objections.get().content == "该户有车辆未申报"
    Application.objects.filter(pk=application.pk).update(publicity_ends=timezone.localdate() - timedelta(days=1))
    response = client.post(url, {"raised_by": "村民乙", "content": "迟到的异议"})
    assert response.status_code == 200 and "公示期已结束" in response.content.decode()
    assert application.objections.count() == 1
    client.force_login(world["clerk_b"])
    assert client.get(url).status_code == 404


def test_queue_filter_offers_only_processes_in_scope(client, world):
    """viewflow builds the queue's process filter from the list's rows: they must be scoped."""
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    client.force_login(world["clerk_b"])
    response = client.get("/workflow/queue/")
    choices = response.context["view"].filterset.form.fields["process"].queryset
    assert process.pk not in set(choices.values_list("pk", flat=True))
    client.force_login(world["clerk"])
    choices = client.get("/workflow/queue/").context["view"].filterset.form.fields["process"].queryset
    assert process.pk in set(choices.values_list("pk", flat=True))
