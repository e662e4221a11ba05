import pytest
from viewflow.workflow.status import STATUS

from tests.factories import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_regions, make_user
from workflows.core.models import Region
from workflows.discovery.flows import DiscoveryFlow


@pytest.fixture
def world():
    make_regions()
    return {
        "household": make_household(VILLAGE_A, head_name="钱多"),
        "caseworker": make_user("caseworker_a", "caseworker", VILLAGE_A),
        "caseworker_b": make_user("caseworker_b", "caseworker", VILLAGE_B),
        "clerk": make_user("clerk_a", "township_clerk", TOWNSHIP_A),
        "clerk_b": make_user("clerk_b", "township_clerk", TOWNSHIP_B),
        "officer": make_user("officer", "county_officer", COUNTY),
    }


def open_task(process, node):
    return process.task_set.filter(flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def do(client, user, process, node, data):
    """Assign the task to `user`, then execute it (as a person would in the inbox)."""
    client.force_login(user)
    task = open_task(process, node)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    return client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), data)


def referral(world, village=VILLAGE_A, **over):
    """A lead arriving from code, as the API starts it."""
    lead = {
        "village": Region.objects.get(pk=village),
        "source": "hotline",
        "external_id": f"GD{village}{over.get('person_name', '')}",
        "person_name": "赵四",
        "situation": "独居，腿脚不便，无固定收入",
    }
    lead.update(over)
    return DiscoveryFlow.referral.run(user=world["officer"], **lead)
