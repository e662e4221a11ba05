"""The household-change process end to end: propose → review → recompute job → end.

Runs with eager Celery in the embedded suite and against the real worker in the services
run (transactional test so the worker sees committed data).
"""

from decimal import Decimal

import pytest
from viewflow.workflow.status import STATUS

from tests.factories import VILLAGE_A, make_household
from workflows.changes.flows import HouseholdChangeFlow
from workflows.changes.models import ChangeRequest, HouseholdChangeProcess
from workflows.core.models import Assessment, IncomeItem

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(caseworker, clerk_a, clerk_b):
    return {
        "household": make_household(VILLAGE_A, head_name="赵大", wage=Decimal("1200"), members=2),
        "caseworker": caseworker,
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
    }


def propose(client, world, **over):
    household = world["household"]
    head = household.members.get(relation="head")
    client.force_login(world["caseworker"])
    url = HouseholdChangeFlow.start.reverse("execute")
    assert client.get(url, {"household": household.pk}).status_code == 200
    data = {
        "household": household.pk,
        "address": "长丰村5组8号",
        "phone": "0551-66668888",
        "area_type": "rural",
        "residence_region": VILLAGE_A,
        "income_member": head.pk,
        "income_kind": "wage",
        "income_amount": "300",
        "reason": "户主失业，收入下降",
        "_viewflow_activation-started": "2026-11-28T10:00:00+08:00",
    }
    data.update(over)
    response = client.post(url, data)
    return response


def review_task(process):
    return process.task_set.get(flow_task=HouseholdChangeFlow.review)


def test_full_cycle_recomputes_assessment(client, world, wait_until):
    response = propose(client, world)
    assert response.status_code == 302, response.content.decode()[:2000]
    process = HouseholdChangeProcess.objects.get()
    assert process.region_code == VILLAGE_A
    assert process.due_date is not None
    assert process.change.state == "submitted"
    task = review_task(process)

    # the other township's clerk cannot see or reach it
    client.force_login(world["clerk_b"])
    assert client.get(HouseholdChangeFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[process.pk, task.pk])).status_code == 404
    queue = client.get("/workflow/queue/").content.decode()
    assert f"/{process.pk}/review/{task.pk}/" not in queue

    # the caseworker cannot approve their own proposal
    client.force_login(world["caseworker"])
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code in (403, 404)

    # the clerk of the township takes and approves it
    client.force_login(world["clerk_a"])
    assert f"/{process.pk}/review/{task.pk}/" in client.get("/workflow/queue/").content.decode()
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 302
    inbox = client.get("/workflow/inbox/").content.decode()
    assert process.due_date.isoformat() in inbox
    review_page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    assert "长丰村5组8号" in review_page and "赵大的工资性收入（元/月）" in review_page
    assert "1200.00" in review_page and "300.00" in review_page
    response = client.post(
        task.flow_task.reverse("execute", args=[process.pk, task.pk]),
        {"decision": "1", "comment": "情况属实", "_viewflow_activation-started": "2026-11-28T10:00:00+08:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    wait_until(lambda: HouseholdChangeProcess.objects.get(pk=process.pk).status == "DONE", message="流程未在时限内结束")
    household = world["household"]
    household.refresh_from_db()
    assert household.address == "长丰村5组8号"
    assert IncomeItem.objects.get(household=household, kind="wage").monthly_amount == Decimal("300.00")
    assert ChangeRequest.objects.get().state == "applied"
    assessment = Assessment.objects.get(household=household)
    # rural standard 750; wage 300 minus the employment deduction, over 2 members
    assert assessment.dibao_eligible is True
    assert assessment.per_capita_income < Decimal("750")
    job = process.task_set.get(flow_task=HouseholdChangeFlow.recompute)
    assert job.status == STATUS.DONE


def test_rejection_needs_a_reason_and_skips_recompute(client, world, wait_until):
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    task = review_task(process)
    client.force_login(world["clerk_a"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    url = task.flow_task.reverse("execute", args=[process.pk, task.pk])
    response = client.post(url, {"decision": "0", "comment": "", "_viewflow_activation-started": "2026-11-28T10:00:00+08:00"})
    assert response.status_code == 200
    assert "不予批准时必须填写理由" in response.content.decode()
    response = client.post(url, {"decision": "0", "comment": "材料不实", "_viewflow_activation-started": "2026-11-28T10:00:00+08:00"})
    assert response.status_code == 302
    wait_until(lambda: HouseholdChangeProcess.objects.get(pk=process.pk).status == "DONE")
    assert ChangeRequest.objects.get().state == "rejected"
    assert not Assessment.objects.exists()
    world["household"].refresh_from_db()
    assert world["household"].address == "长丰村3组"


def test_bad_proposal_saves_nothing(client, world):
    response = propose(client, world, income_amount="-5")
    assert response.status_code == 200
    assert "不能为负数" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert not HouseholdChangeProcess.objects.exists()


def test_household_outside_scope_cannot_be_chosen(client, world):
    from tests.factories import VILLAGE_B

    other = make_household(VILLAGE_B, head_name="外乡户")
    response = propose(client, world, household=other.pk)
    assert response.status_code == 200
    assert "不在您的辖区内" in response.content.decode()
    assert not ChangeRequest.objects.exists()
