"""The Celery job node: scheduled on commit, idempotent on redelivery, ERROR after retries."""

from decimal import Decimal

import pytest
from django.conf import settings
from viewflow.workflow.status import STATUS

from tests.factories import VILLAGE_A, make_household
from tests.workflows.changes.test_change_flow import propose, review_task
from workflows.changes.flows import HouseholdChangeFlow
from workflows.changes.models import HouseholdChangeProcess
from workflows.core.models import Assessment
from workflows.engine.tasks import run_flow_job
from workflows.policy.models import Standard

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(caseworker, clerk_a):
    return {
        "household": make_household(VILLAGE_A, head_name="钱二", wage=Decimal("900")),
        "caseworker": caseworker,
        "clerk_a": clerk_a,
    }


def approve(client, world):
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    task = review_task(process)
    client.force_login(world["clerk_a"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    response = client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), {"decision": "1", "comment": "同意"})
    assert response.status_code == 302
    return process


def test_failing_job_ends_in_error_with_the_reason(client, world, wait_until, monkeypatch):
    monkeypatch.setattr(HouseholdChangeFlow.recompute, "retry_delay", 0)
    Standard.objects.all().delete()
    process = approve(client, world)
    job = process.task_set.get(flow_task=HouseholdChangeFlow.recompute)
    wait_until(lambda: type(job).objects.get(pk=job.pk).status == STATUS.ERROR, timeout=60, message="失败的任务应停在 ERROR 状态")
    job.refresh_from_db()
    assert "没有有效的农村救助标准" in job.data["_exception"]["title"]
    assert HouseholdChangeProcess.objects.get(pk=process.pk).status != "DONE"
    assert not Assessment.objects.exists()
    # the error is visible to the township's staff on the process page
    page = client.get(HouseholdChangeFlow.instance.reverse("process_detail", args=[process.pk])).content.decode()
    assert "出错" in page


def test_redelivered_job_runs_once(client, world, wait_until):
    process = approve(client, world)
    wait_until(lambda: HouseholdChangeProcess.objects.get(pk=process.pk).status == "DONE")
    job = process.task_set.get(flow_task=HouseholdChangeFlow.recompute)
    assert run_flow_job.apply(args=[job.pk]).get() == "skipped"
    assert Assessment.objects.count() == 1


@pytest.mark.services
def test_real_worker_and_postgres_are_used(client, world, wait_until):
    """In the services run the job really goes through Redis to a separate worker process."""
    assert settings.IS_POSTGRES and not settings.CELERY_TASK_ALWAYS_EAGER
    process = approve(client, world)
    job = process.task_set.get(flow_task=HouseholdChangeFlow.recompute)
    assert job.status in (STATUS.SCHEDULED, STATUS.STARTED, STATUS.DONE)
    wait_until(lambda: type(job).objects.get(pk=job.pk).status == STATUS.DONE, timeout=60)
    assert Assessment.objects.filter(household=world["household"]).count() == 1
