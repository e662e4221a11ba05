import pytest
from viewflow.workflow.status import STATUS

from tests.factories import VILLAGE_A, VILLAGE_B, make_household, make_user
from workflows.core.models import Region
from workflows.discovery.flows import DiscoveryFlow


@pytest.fixture
def world(caseworker, clerk_a, clerk_b, county_officer):
    return {
        "household": make_household(VILLAGE_A, head_name="钱多"),
        "caseworker": caseworker,
        "caseworker_b": make_user("caseworker_b", "caseworker", VILLAGE_B),
        "clerk": clerk_a,
        "clerk_b": clerk_b,
        "officer": county_officer,
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
