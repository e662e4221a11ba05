"""A task's notifications are read once nobody needs to act on them any more."""

from decimal import Decimal

import pytest
from viewflow.workflow.status import STATUS

from notifications.models import Notification
from tests.factories import VILLAGE_A, make_household
from tests.workflows.application.test_application_flow import file, open_task
from workflows.application.flows import ApplicationFlow
from workflows.application.models import ApplicationProcess
from workflows.engine.links import task_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(issuers, clerk_a, clerk_a2):
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_2": clerk_a2,
    }


def unread(user, **filters):
    return Notification.objects.filter(user=user, read_at__isnull=True, **filters)


def bell(client, user) -> str:
    client.force_login(user)
    return client.get("/", follow=True).content.decode()


def test_done_task_is_read_for_everyone_and_taking_it_reads_it_for_colleagues(client, world):
    clerk, colleague = world["clerk"], world["clerk_2"]
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)
    link = task_link(task.pk)
    assert unread(clerk, link=link).count() == unread(colleague, link=link).count() == 1
    # the clerk takes it: the colleague no longer needs to act; the clerk still does
    client.force_login(clerk)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    assert not unread(colleague, link=link).exists()
    assert unread(clerk, link=link).exists()
    # done: read for the clerk too
    assert client.post(task.flow_task.reverse("execute", args=[process.pk, task.pk]), {"decision": "accept"}).status_code == 302
    task.refresh_from_db()
    assert task.status == STATUS.DONE
    assert not unread(clerk, link=link).exists()
    # the next task's notification is unread and counted
    nxt = open_task(process, ApplicationFlow.investigate)
    assert unread(clerk, link=task_link(nxt.pk)).count() == 1


def test_cancelled_task_is_read_for_everyone(client, world):
    from django.contrib.auth import get_user_model

    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)
    link = task_link(task.pk)
    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(root)
    response = client.post(ApplicationFlow.instance.reverse("process_cancel", args=[process.pk]), {"_cancel_process": "1"})
    assert response.status_code in (200, 302)
    task.refresh_from_db()
    assert task.status == STATUS.CANCELED, response.content.decode()[:500]
    assert not Notification.objects.filter(link=link, read_at__isnull=True).exists()
