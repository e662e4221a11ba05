"""Deadlines counted on the provisional year (DESIGN §4.4): marked 暂定 wherever they are shown,
counted again when the State Council's notice is loaded, and escalated as usual when that makes
them overdue.

The dates are fixed, not today's: a case's clock is set to start on 2026-12-15, and "today" is
set where it matters. 20 working days after 2026-12-15 (provisional 2027: 01-01 off): 12-16..18,
12-21..25, 12-28..31, 01-04..08, 01-11..13 → 2027-01-13. The official file below makes Saturday
01-09 a working day (a made-up example), so the same count ends on Tuesday 2027-01-12.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.models import Notification
from tests.factories import VILLAGE_A, make_household
from tests.workflows.changes.test_change_flow import propose, review_task
from workflows.changes.models import HouseholdChangeProcess
from workflows.engine.tasks import escalate_overdue, send_deadline_reminders
from workflows.policy import calendar, holiday_import
from workflows.policy.models import HolidayCalendar, HolidayYear

# Loading the year escalates what it made overdue once the import commits (engine.tasks.on_holidays_loaded).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.official_calendar_only]

OFFICIAL_2027 = """year: 2027
source: 测试通知（虚构）
holiday 2027-01-01 元旦
workday 2027-01-09 元旦调休
holiday 2027-02-05..2027-02-11 春节
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def world(caseworker, clerk_a, principal):
    return {
        "household": make_household(VILLAGE_A, head_name="赵大", wage=Decimal("1200"), members=2),
        "caseworker": caseworker,
        "clerk_a": clerk_a,
        "principal_a": principal,
    }


@pytest.fixture
def on_day(monkeypatch):
    def set_today(day: date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


def open_case(client, world) -> HouseholdChangeProcess:
    # Proposed on a fixed day too: a day late in 2027 would count into a year with no calendar.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 15))
        assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    process.count_due(date(2026, 12, 15), 20, "提出后20个工作日内审核")
    process.save()
    return HouseholdChangeProcess.objects.get()


def test_a_provisional_deadline_is_marked_then_recounted_when_the_year_is_loaded(client, world, on_day):
    process = open_case(client, world)
    assert (process.due_date, process.due_provisional) == (date(2027, 1, 13), True)
    task = review_task(process)

    client.force_login(world["clerk_a"])
    assert "2027-01-13（暂定）" in client.get("/workflow/queue/").content.decode()
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    task_page = task.flow_task.reverse("execute", args=[process.pk, task.pk])
    assert "2027-01-13</b>（暂定）" in client.get(task_page).content.decode()
    assert "2027-01-13（暂定）" in client.get("/workflow/inbox/").content.decode()

    # A reminder two working days before speaks of the provisional date too.
    assert send_deadline_reminders(date(2027, 1, 11)) >= 1
    reminder = Notification.objects.filter(kind="deadline_reminder").first()
    assert "2027年1月13日（暂定）" in reminder.body

    # The notice is loaded on 2027-01-13: the deadline moves to 01-12, which has passed.
    on_day(date(2027, 1, 13))
    holiday_import.save(holiday_import.parse(OFFICIAL_2027))
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional) == (date(2027, 1, 12), False)
    page = client.get(task_page).content.decode()
    assert "2027-01-12</b>" in page and "暂定" not in page
    inbox = client.get("/workflow/inbox/").content.decode()
    assert "2027-01-12（已逾期）" in inbox and "暂定" not in inbox
    # ...and the principal hears of it the usual way, once.
    escalation = Notification.objects.get(kind="overdue_escalation", user=world["principal_a"])
    assert "2027年1月12日 已过" in escalation.body
    escalate_overdue.apply(args=["2027-01-13"]).get()
    assert Notification.objects.filter(kind="overdue_escalation").count() == 1


def test_the_load_holidays_command_recounts_too(client, world, tmp_path):
    process = open_case(client, world)
    path = tmp_path / "2027.txt"
    path.write_text(OFFICIAL_2027, encoding="utf-8")
    call_command("load_holidays", str(path))
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional, process.due_from) == (date(2027, 1, 12), False, date(2026, 12, 15))


def test_a_deadline_counted_after_another_process_loaded_the_year_is_recounted_daily(client, world):
    """Another process loaded the year (no signal here, and this process still had its cached
    provisional year): the daily escalation job counts the leftover again."""
    process = open_case(client, world)
    HolidayYear.objects.create(year=2027, source="另一进程导入")
    HolidayCalendar.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    HolidayCalendar.objects.create(day=date(2027, 1, 9), is_working_day=True, name="元旦调休")
    process.refresh_from_db()
    assert process.due_provisional  # nothing counted it again yet
    calendar.clear_cache()  # the cache time is over
    escalate_overdue.apply(args=["2027-01-08"]).get()
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional) == (date(2027, 1, 12), False)


def test_a_date_set_directly_is_marked_and_keeps_its_day(client, world):
    """A meeting day or a stage's frozen date has nothing to count again from: 暂定 while its
    year is provisional, the mark gone (the day kept) when the year is loaded."""
    process = open_case(client, world)
    process.due_date = date(2027, 3, 1)
    process.save(update_fields=["due_date"])
    process = HouseholdChangeProcess.objects.get()
    assert (process.due_provisional, process.due_from, process.due_working_days) == (True, None, None)
    holiday_import.save(holiday_import.parse(OFFICIAL_2027))
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional) == (date(2027, 3, 1), False)


def test_an_official_deadline_is_not_provisional(client, world):
    process = open_case(client, world)
    process.count_due(date(2026, 11, 2), 10)
    process.save()
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional) == (date(2026, 11, 16), False)


def test_a_finished_case_is_left_as_it_was(client, world):
    process = open_case(client, world)
    HouseholdChangeProcess.objects.filter(pk=process.pk).update(finished=timezone.now())
    holiday_import.save(holiday_import.parse(OFFICIAL_2027))
    process.refresh_from_db()
    assert (process.due_date, process.due_provisional) == (date(2027, 1, 13), True)
