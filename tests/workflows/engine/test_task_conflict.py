"""Two people on one task: exactly one succeeds, the other is told who has it."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from tests.factories import VILLAGE_A, make_household
from tests.workflows.changes.test_change_flow import propose, review_task
from workflows.changes.models import ChangeRequest, HouseholdChangeProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(caseworker, clerk_a, clerk_a2):
    return {
        "household": make_household(VILLAGE_A, head_name="吴大", wage=Decimal("900")),
        "caseworker": caseworker,
        "clerk_1": clerk_a,
        "clerk_2": clerk_a2,
    }


def test_second_submission_gets_a_clear_message(client, world):
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    task = review_task(process)
    client.force_login(world["clerk_1"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    url = task.flow_task.reverse("execute", args=[process.pk, task.pk])
    assert client.post(url, {"decision": "1", "comment": "同意"}).status_code == 302
    again = client.post(url, {"decision": "0", "comment": "重复提交"})
    assert again.status_code == 409
    assert "已由clerk_a办结" in again.content.decode()
    assert ChangeRequest.objects.get().state == "applied"


def test_task_taken_by_a_colleague(client, world):
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    task = review_task(process)
    client.force_login(world["clerk_1"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    client.force_login(world["clerk_2"])
    response = client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), {"decision": "0", "comment": "不同意"})
    assert response.status_code == 409 and "已由clerk_a认领办理" in response.content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # two threads, each on its own connection, lock the committed task row
def test_two_clerks_take_the_same_task_at_once_on_postgresql(client, world):
    """Both press 认领 at the same moment: the row lock lets exactly one through."""
    assert connection.vendor == "postgresql"
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    task = review_task(process)
    url = task.flow_task.reverse("assign", args=[process.pk, task.pk])
    barrier, results = threading.Barrier(2), {}

    def take(user):
        c = Client()
        c.force_login(user)
        barrier.wait()
        results[user.username] = c.post(url).status_code
        connection.close()

    threads = [threading.Thread(target=take, args=(world[k],)) for k in ("clerk_1", "clerk_2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [302, 409], results
    task.refresh_from_db()
    assert task.owner.username in results and results[task.owner.username] == 302
