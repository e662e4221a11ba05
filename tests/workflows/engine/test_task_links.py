"""Notifications name a task (or a case) by its number alone: the engine's stable links lead,
at request time, to its page in its flow, for whoever may see it and no one else."""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from notifications.models import Delivery, Notification
from tests.factories import VILLAGE_A, make_household
from tests.workflows.application.test_application_flow import file, open_task
from workflows.application.flows import ApplicationFlow
from workflows.application.models import ApplicationProcess
from workflows.engine.links import process_link, task_link
from workflows.engine.models import CaseProcess
from workflows.engine.tasks import escalate_overdue, send_deadline_reminders

pytestmark = pytest.mark.django_db

# A working day; 9 Oct 2026 is the 2nd working day after it (1–7 Oct are National Day).
EVE = date(2026, 9, 30)


@pytest.fixture
def world(issuers, clerk_a, clerk_a2, clerk_b, principal, principal_b):
    clerk_a.email = "clerk_a@example.cn"
    clerk_a.save()
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_2": clerk_a2,
        "clerk_b": clerk_b,
        "principal_a": principal,
        "principal_b": principal_b,
    }


@pytest.fixture
def task(client, world):
    """A filed application's acceptance task, waiting for the clerks of township A."""
    assert file(client, world).status_code == 302
    client.logout()
    return open_task(ApplicationProcess.objects.get(), ApplicationFlow.accept)


def test_the_task_link_leads_a_clerk_in_scope_to_the_task(client, world, task):
    client.force_login(world["clerk"])
    response = client.get(task_link(task.pk))
    assert response.status_code == 302
    assert response["Location"] == task.flow_task.reverse("index", args=[task.process_id, task.pk])
    page = client.get(task_link(task.pk), follow=True)
    assert page.status_code == 200 and "受理审查" in page.content.decode()


def test_the_task_link_is_404_to_another_townships_clerk(client, world, task):
    client.force_login(world["clerk_b"])
    assert client.get(task_link(task.pk)).status_code == 404
    # and a task that does not exist answers the same to anyone
    client.force_login(world["clerk"])
    assert client.get(task_link(task.pk + 1000)).status_code == 404


def test_the_task_link_sends_an_anonymous_visitor_to_login_and_back(client, task):
    link = task_link(task.pk)
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == f"{settings.LOGIN_URL}?next={link}"


def test_the_case_link_leads_to_the_case_in_scope_only(client, world, task):
    link = process_link(task.process_id)
    client.force_login(world["principal_a"])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == ApplicationFlow.instance.reverse("process_detail", args=[task.process_id])
    client.force_login(world["principal_b"])
    assert client.get(link).status_code == 404
    client.logout()
    assert client.get(link)["Location"] == f"{settings.LOGIN_URL}?next={link}"


def test_an_announcement_and_a_reminder_carry_the_task_link(world, task):
    link = task_link(task.pk)
    announced = Notification.objects.get(user=world["clerk"], kind="task_assigned")
    assert announced.link == link
    CaseProcess.objects.filter(pk=task.process_id).update(due_date=date(2026, 10, 9))
    assert send_deadline_reminders(EVE) == 2  # the two clerks of township A
    reminded = Notification.objects.get(user=world["clerk"], kind="deadline_reminder")
    assert reminded.link == link
    # the email gives the whole address
    assert Delivery.objects.get(notification=reminded, channel="email").text.endswith(settings.PUBLIC_BASE_URL.rstrip("/") + link)


def test_an_escalation_carries_the_case_link(world, task):
    # 27 Nov 2026 is a Friday, a working day; the case was due the day before.
    CaseProcess.objects.filter(pk=task.process_id).update(due_date=date(2026, 11, 26))
    assert escalate_overdue.apply(args=["2026-11-27"]).get() == 1
    note = Notification.objects.get(kind="overdue_escalation")
    assert note.user == world["principal_a"] and note.link == process_link(task.process_id)


def test_notifications_stored_with_the_flows_own_link_are_still_settled(client, world, task):
    """Notifications sent before the stable link hold the flow's task URL: taking and finishing
    the task reads them all the same."""
    clerk, colleague, principal = world["clerk"], world["clerk_2"], world["principal_a"]
    old = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    Notification.objects.filter(kind="task_assigned").update(link=old)

    def stored(user, kind, key, link=old):
        return Notification.objects.create(user=user, kind=kind, title="旧通知", link=link, idempotency_key=f"{user.pk}:{key}")

    case_page = ApplicationFlow.instance.reverse("process_detail", args=[task.process_id])
    reminder = stored(colleague, "deadline_reminder", f"deadline_reminder:{task.pk}:2026-09-30")
    escalation = stored(principal, "overdue_escalation", f"overdue:{task.process_id}:{task.pk}", case_page)
    # another task's, whose number begins with this one's: left alone
    others = [
        stored(colleague, "task_assigned", f"task_assigned:{task.pk}0", "/x/"),
        stored(colleague, "deadline_reminder", f"deadline_reminder:{task.pk}0:2026-09-30", "/x/"),
        stored(principal, "overdue_escalation", f"overdue:{task.process_id}:{task.pk}0", case_page),
    ]

    def read(note):
        note.refresh_from_db()
        return note.read_at is not None

    announced = {u: Notification.objects.get(user=u, kind="task_assigned", link=old) for u in (clerk, colleague)}
    client.force_login(clerk)
    assert client.post(task.flow_task.reverse("assign", args=[task.process_id, task.pk])).status_code == 302
    # taken: read for the colleague and the leader; the clerk's still asks the clerk to act
    assert read(announced[colleague]) and read(reminder) and read(escalation)
    assert not read(announced[clerk])
    assert client.post(task.flow_task.reverse("execute", args=[task.process_id, task.pk]), {"decision": "accept"}).status_code == 302
    assert read(announced[clerk])
    assert not any(read(note) for note in others)


def test_links_are_built_without_the_url_root_and_agree_with_it():
    """A beat job or a management command makes the links without loading config.urls (which
    imports every flow); the URL root, once loaded, answers them at the same address."""
    code = "\n".join(
        [
            "import sys, django",
            "django.setup()",
            "from workflows.engine import assignment, escalation, reminders, tasks",
            "from workflows.engine.links import process_link, task_link",
            "links = task_link(7), process_link(8)",
            "assert 'config.urls' not in sys.modules, 'the URL root was loaded'",
            "from django.urls import reverse",
            "assert links == (reverse('engine:task_open', args=[7]), reverse('engine:process_open', args=[8])), links",
            "print(*links)",
        ]
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/tasks/7/", "/cases/8/"]
