"""Deadline reminders on real viewflow tasks of the household-change flow, around National
Day 2026 (chinesecalendar: 1–7 Oct off, Sat 10 Oct a make-up working day)."""

from datetime import date

import pytest
from django.conf import settings as django_settings

from notifications.models import Notification
from tests.factories import VILLAGE_A, make_household
from tests.workflows.changes.test_change_flow import propose
from workflows.changes.flows import HouseholdChangeFlow
from workflows.changes.models import HouseholdChangeProcess
from workflows.engine.links import task_link
from workflows.engine.models import CaseProcess
from workflows.engine.tasks import send_deadline_reminders
from workflows.policy import calendar

pytestmark = pytest.mark.django_db

EVE, HOLIDAY = date(2026, 9, 30), date(2026, 10, 2)


@pytest.fixture
def world(caseworker, clerk_a, clerk_a2, clerk_b):
    return {
        "household": make_household(VILLAGE_A, head_name="赵大"),
        "caseworker": caseworker,
        "clerk_a": clerk_a,
        "clerk_a2": clerk_a2,
        "clerk_b": clerk_b,
    }


def reminders():
    """Deadline reminders only: each new task also tells its clerks (task_assigned)."""
    return Notification.objects.filter(kind="deadline_reminder")


def review_task_due(client, world, due: date):
    """Start a household change (its review task waits for a township clerk) due on ``due``."""
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.latest("pk")
    CaseProcess.objects.filter(pk=process.pk).update(due_date=due)
    return process.task_set.get(flow_task=HouseholdChangeFlow.review)


def test_calendar_around_national_day_2026():
    # what the assertions below rest on
    assert calendar.is_working_day(EVE)
    assert not any(calendar.is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert calendar.add_working_days(EVE, 3) == date(2026, 10, 10)
    assert django_settings.REMINDER_WORKING_DAYS == 3


def test_reminders_on_the_eve_of_national_day(client, world, mailoutbox):
    due_in = review_task_due(client, world, date(2026, 10, 9))  # 2nd working day after the eve
    due_edge = review_task_due(client, world, date(2026, 10, 10))  # 3rd (make-up Saturday)
    due_later = review_task_due(client, world, date(2026, 10, 12))  # 4th: not yet
    overdue = review_task_due(client, world, date(2026, 9, 29))  # for escalation, not a reminder
    assigned = review_task_due(client, world, EVE)  # due today, taken by clerk_a2
    client.force_login(world["clerk_a2"])
    assert client.post(assigned.flow_task.reverse("assign", args=[assigned.process_id, assigned.pk])).status_code == 302

    assert send_deadline_reminders(EVE) == 2 + 2 + 1

    def link(task):
        return task_link(task.pk)

    def notified(task):
        return set(reminders().filter(link=link(task)).values_list("user__username", flat=True))

    # unassigned: the clerks of the case's township, not the other township's, not the caseworker
    assert notified(due_in) == notified(due_edge) == {"clerk_a", "clerk_a2"}
    assert notified(due_later) == notified(overdue) == set()
    assert notified(assigned) == {"clerk_a2"}
    first = reminders().get(user=world["clerk_a"], link=link(due_in))
    assert first.kind == "deadline_reminder"
    assert first.title == "期限提醒：审核变更"
    assert "办理期限为 2026年10月9日，还剩 2 个工作日" in first.body and "尚无人认领" in first.body
    today_one = reminders().get(user=world["clerk_a2"], link=link(assigned))
    assert today_one.title == "期限提醒：审核变更（今日到期）" and "尚无人认领" not in today_one.body

    # beat may fire twice (restart): one reminder per task, user and day
    send_deadline_reminders(EVE.isoformat())
    assert reminders().count() == 5


def test_nothing_on_a_holiday(client, world):
    review_task_due(client, world, date(2026, 10, 9))
    assert send_deadline_reminders(HOLIDAY) == 0
    assert not reminders().exists()


def test_finished_tasks_are_not_reminded(client, world):
    task = review_task_due(client, world, date(2026, 10, 9))
    task.process.task_set.update(finished="2026-09-29T10:00:00+08:00")
    assert send_deadline_reminders(EVE) == 0


def test_beat_schedule_is_registered():
    entry = django_settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert entry["task"] == send_deadline_reminders.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({8}, {30})
