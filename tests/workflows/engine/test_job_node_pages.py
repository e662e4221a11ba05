"""A Celery job step has a task page, so the pages that link to it render."""

import pytest
from viewflow.workflow.status import STATUS

from tests.factories import VILLAGE_A, make_regions, make_user
from workflows.changes.flows import HouseholdChangeFlow

pytestmark = pytest.mark.django_db


def test_task_list_process_page_and_job_page_render(client):
    make_regions()
    process = HouseholdChangeFlow.process_class.objects.create(flow_class=HouseholdChangeFlow, region_code=VILLAGE_A)
    tasks = {
        node.name: HouseholdChangeFlow.task_class.objects.create(process=process, flow_task=node, status=STATUS.DONE)
        for node in HouseholdChangeFlow.instance.nodes()
    }
    client.force_login(make_user("cw", "caseworker", VILLAGE_A))
    flow = HouseholdChangeFlow.instance
    assert client.get(flow.reverse("task_list")).status_code == 200
    assert client.get(flow.reverse("process_detail", args=[process.pk])).status_code == 200
    job = tasks["recompute"]
    assert client.get(job.flow_task.reverse("index", args=[process.pk, job.pk])).status_code in (200, 302)
    assert client.get(job.flow_task.reverse("detail", args=[process.pk, job.pk])).status_code == 200
