"""Rechecks opened on schedule and on events: once each, never two open for one beneficiary;
bad dates refused in Chinese with nothing saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workflows.core.models import Member
from workflows.recheck import services, tasks
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import Recheck, RecheckProcess

from .conftest import TODAY, VILLAGE_A, due, enroll, start

pytestmark = pytest.mark.django_db

VILLAGE_B = "340121101201"


def test_the_monthly_opener_opens_what_is_due_by_the_end_of_next_month_once(world):
    soon = due(enroll(VILLAGE_A, "甲一", "800", 2), date(2027, 1, 31))  # due next month: opened
    overdue = due(enroll(VILLAGE_B, "乙一", "700", 1), date(2026, 10, 1))  # overdue: opened
    later = due(enroll(VILLAGE_A, "甲二", "900", 2), date(2027, 2, 1))  # the month after: not yet
    assert tasks.open_due_rechecks(TODAY.isoformat()) == 2  # one job per township
    assert set(Recheck.objects.values_list("beneficiary_id", flat=True)) == {soon.pk, overdue.pk}
    assert tasks.open_due_rechecks(TODAY.isoformat()) == 0 and Recheck.objects.count() == 2
    assert not Recheck.objects.filter(beneficiary=later).exists()
    # Not the first working day of the month: nothing runs.
    assert tasks.open_due_rechecks("2026-12-02") == 0
    recheck = Recheck.objects.get(beneficiary=overdue)
    assert recheck.due_on == date(2026, 10, 1) and recheck.recheckprocess.region_code == overdue.region_code


def test_a_beneficiary_never_has_two_open_rechecks(world):
    beneficiary = due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY)
    start(beneficiary)
    with pytest.raises(services.AlreadyOpen):
        RecheckFlow.scheduled.run(beneficiary=beneficiary, today=TODAY)
    assert Recheck.objects.count() == 1 and RecheckProcess.objects.count() == 1


def report(beneficiary, member, event="death", day=None, today=None):
    today = today or timezone.localdate()
    process = RecheckProcess(flow_class=RecheckFlow)
    process.save()
    return services.report_event(process, beneficiary, event=event, event_date=day or today, member=member, detail="村委会报告", user=None, today=today)


def test_a_death_reported_twice_opens_one_recheck_due_within_three_months(world):
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    member = beneficiary.household.members.exclude(relation="head").get()
    today = timezone.localdate()
    recheck = report(beneficiary, member, day=today - timedelta(days=3))
    assert recheck.trigger == "death" and recheck.event_member == member
    assert recheck.due_on == services.rules.event_deadline("death", today)
    assert Member.objects.get(pk=member.pk).died_on == today - timedelta(days=3)
    with pytest.raises(services.AlreadyOpen) as again:
        report(beneficiary, member, day=today - timedelta(days=3))
    services.report_event_on_open(
        again.value.recheck, event="death", event_date=today - timedelta(days=3), member=member, detail="重复", user=None, today=today
    )
    assert Recheck.objects.count() == 1 and Recheck.objects.get().event_detail.count("村委会报告") == 1


def test_an_event_joins_the_open_scheduled_recheck_with_the_earlier_deadline(world):
    beneficiary = due(enroll(VILLAGE_A, "甲一", "800", 2), date(2027, 6, 30))
    start(beneficiary, timezone.localdate())
    member = beneficiary.household.members.exclude(relation="head").get()
    with pytest.raises(services.AlreadyOpen) as already:
        report(beneficiary, member, event="hukou_out")
    today = timezone.localdate()
    recheck = services.report_event_on_open(
        already.value.recheck, event="hukou_out", event_date=today, member=member, detail="迁往合肥市", user=None, today=today
    )
    assert recheck.trigger == "hukou_out" and recheck.due_on == services.rules.event_deadline("hukou_out", today)
    assert "户籍迁出本县" in recheck.event_detail and Recheck.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "message"),
    [(timedelta(days=1), "不能晚于今天"), (None, "不能早于出生日期")],
)
def test_a_death_in_the_future_or_before_birth_is_refused_and_nothing_saved(world, day, message):
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    member = beneficiary.household.members.exclude(relation="head").get()
    today = timezone.localdate()
    when = today + day if day is not None else member.birth_date - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        report(beneficiary, member, day=when)
    assert message in str(error.value.message_dict["event_date"])
    assert Member.objects.get(pk=member.pk).died_on is None
    assert not Recheck.objects.exists()


def test_the_report_page_refuses_a_future_date_on_its_field(client, world):
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    member = beneficiary.household.members.exclude(relation="head").get()
    client.force_login(world["clerk"])
    url = RecheckFlow.report.reverse("execute")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = client.post(url, {"beneficiary": beneficiary.pk, "event": "death", "event_date": tomorrow, "member": member.pk, "detail": "报告"})
    assert page.status_code == 200 and "不能晚于今天" in page.content.decode()
    assert not Recheck.objects.exists() and Member.objects.get(pk=member.pk).died_on is None
    # Another township's beneficiary is not offered, and cannot be chosen.
    other = enroll(VILLAGE_B, "乙一", "700", 1)
    page = client.post(url, {"beneficiary": other.pk, "event": "reported_change", "event_date": timezone.localdate().isoformat(), "detail": "报告"})
    assert "不在您的辖区内" in page.content.decode() and not Recheck.objects.exists()
    ok = client.post(
        url, {"beneficiary": beneficiary.pk, "event": "death", "event_date": timezone.localdate().isoformat(), "member": member.pk, "detail": "报告"}
    )
    assert ok.status_code == 302 and Recheck.objects.get().trigger == "death"


def test_an_events_deadline_is_configurable(world, settings):
    settings.RECHECK_EVENT_MONTHS = {"reported_change": 2}
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    today = timezone.localdate()
    recheck = report(beneficiary, None, event="reported_change", today=today)
    assert recheck.due_on == services.rules.next_recheck_date(today, 2)
