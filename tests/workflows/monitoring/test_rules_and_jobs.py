"""The rule table (pure), its SQL twin, a run killed halfway, the retention job, the delivery
reminders and the escalation of an overdue placing task."""

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from workflows.discovery.models import Lead
from workflows.engine.escalation import escalate_overdue
from workflows.monitoring import actions, delivery, importing, services, tasks
from workflows.monitoring.models import Feed, FeedRow, MonitoringProcess, Signal, SignalState
from workflows.policy import monitoring as rules
from workflows.policy.calendar import add_working_days
from workflows.recheck.models import Recheck

from .conftest import TODAY, csv_bytes, member_id, stranger_id, take

# --- the rule table, from docs/policy.md "Low-income monitoring" -----------------------------


@pytest.mark.parametrize(
    "event, beneficiary, amount, action",
    [
        ("death", True, None, rules.RECHECK),
        ("hukou_out", True, None, rules.RECHECK),
        ("employment", True, None, rules.RECHECK),
        ("property", True, None, rules.RECHECK),
        ("vehicle", True, None, rules.RECHECK),
        ("business", True, None, rules.RECHECK),
        ("social_insurance", True, None, rules.RECHECK),
        ("death", False, None, rules.NONE),  # not ours to recheck
        ("employment", False, None, rules.NONE),
        ("serious_illness", False, None, rules.LEAD),
        ("disaster", False, None, rules.LEAD),
        ("disability", False, None, rules.LEAD),
        ("medical_cost", False, Decimal("10000"), rules.LEAD),  # "以上" includes the line
        ("medical_cost", False, Decimal("9999.99"), rules.NONE),
        ("medical_cost", False, None, rules.NONE),
        ("serious_illness", True, None, rules.NONE),  # a beneficiary's illness: care and relief
        ("poverty_watch", False, None, rules.NONE),  # the register, no visit by itself
    ],
)
def test_the_rule_table(event, beneficiary, amount, action):
    assert rules.action_for(event, beneficiary, amount) == action


def test_the_medical_cost_line_is_configurable():
    table = rules.rules(Decimal("5000"))
    assert rules.action_for("medical_cost", False, Decimal("5000"), table) == rules.LEAD


def test_the_sql_classification_agrees_with_the_rule_table_for_every_event(world):
    """Every event, for a beneficiary's member and a stranger, at and below the cost line."""
    rows, expected = [], {}
    beneficiary_member = member_id(world["beneficiary_home"])
    for k, event in enumerate(rules.EVENTS):
        for who, on_benefits in ((beneficiary_member, True), (stranger_id(), False)):
            for amount in ("10000", "9999"):
                day = f"2026-11-{1 + (k % 28):02d}"
                line = f"{who},某,{event},{day},{amount},"
                if (who, event, day) in expected:
                    continue
                rows.append(line)
                expected[(who, event, day)] = rules.action_for(event, on_benefits, Decimal(amount))
    take(world, csv_bytes(*rows))
    got = {(s.id_number, s.event, f"{s.event_date:%Y-%m-%d}"): s.action for s in Signal.objects.all()}
    assert got == expected


# --- faults --------------------------------------------------------------------------------------


def test_a_run_killed_halfway_then_run_again_opens_each_action_once(world, monkeypatch):
    data = csv_bytes(
        f"{member_id(world['beneficiary_home'], 1)},李秀英家属1,death,2026-11-03,,",
        f"{member_id(world['other_home'])},王大山,serious_illness,2026-11-10,,",
        f"{stranger_id()},陌生人,disaster,2026-11-12,,",
    )
    result = take(world, data)
    real, calls = actions.open_action, {"n": 0}

    def dies_on_the_second(pk, today):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(pk, today)

    monkeypatch.setattr(actions, "open_action", dies_on_the_second)
    with pytest.raises(SystemExit):
        actions.open_actions(result.feed.pk, TODAY)
    monkeypatch.setattr(actions, "open_action", real)
    # The first action was opened before the kill; the run again opens the other two.
    assert sum(actions.open_actions(result.feed.pk, TODAY).values()) == 2
    assert Recheck.objects.count() == 1 and Lead.objects.count() == 1 and MonitoringProcess.objects.count() == 1
    assert not Signal.objects.filter(state=SignalState.PENDING).exists()


def test_a_second_death_report_of_the_same_person_adds_no_recheck(world):
    person = member_id(world["beneficiary_home"], 1)
    for k, day in enumerate(("2026-11-03", "2026-11-04")):
        result = take(world, csv_bytes(f"{person},李秀英家属1,death,{day},,"), department="police" if k == 0 else "health")
        actions.open_actions(result.feed.pk, TODAY)
    assert Signal.objects.count() == 2 and Recheck.objects.count() == 1
    assert set(Signal.objects.values_list("recheck", flat=True)) == {Recheck.objects.get().pk}


# --- jobs ---------------------------------------------------------------------------------------


def test_raw_rows_and_files_go_after_the_retention_period_and_the_signals_stay(world, settings):
    settings.MONITORING_RAW_RETENTION_DAYS = 30
    result = take(world, csv_bytes(f"{stranger_id()},某,disaster,2026-11-12,,"))
    feed = result.feed
    path = feed.raw_file.path
    assert services.delete_expired_raw(TODAY + timedelta(days=29)) == 0
    Feed.objects.filter(pk=feed.pk).update(created=timezone.now() - timedelta(days=31))
    assert services.delete_expired_raw(timezone.localdate()) == 1
    feed.refresh_from_db()
    assert not FeedRow.objects.exists() and not feed.raw_file and feed.raw_deleted_on is not None
    assert not os.path.exists(path)
    assert Signal.objects.count() == 1
    assert services.delete_expired_raw(timezone.localdate()) == 0  # idempotent


def test_missing_deliveries_are_reminded_before_month_end_and_escalated_after(world):
    # December 2026: November's data are due by 31 December.
    take(world, csv_bytes(f"{stranger_id()},某,disaster,2026-11-12,,"))
    assert delivery.remind(date(2026, 12, 20)) == 0  # too early
    assert delivery.remind(date(2026, 12, 27)) >= 1
    note = Notification.objects.get(user=world["officer"], kind="monitoring_delivery_missing")
    assert "长丰县2026年11月" in note.title and "卫生健康" in note.body and "公安" not in note.body
    assert delivery.remind(date(2026, 12, 28)) >= 1 and Notification.objects.filter(user=world["officer"]).count() == 1  # once
    delivery.remind(date(2027, 1, 4))
    escalated = Notification.objects.get(user=world["head"], kind="monitoring_delivery_missing")
    assert "本月已结束" in escalated.body
    assert Notification.objects.filter(user=world["supervisor"], kind="monitoring_delivery_missing").exists()


def test_an_overdue_placing_task_is_escalated_to_the_county_head(world):
    result = take(world, csv_bytes(f"{stranger_id()},陌生人,disaster,2026-11-12,,"))
    actions.open_actions(result.feed.pk, TODAY)
    process = MonitoringProcess.objects.get()
    assert process.due_date == rules_due(TODAY)
    assert escalate_overdue(process.due_date + timedelta(days=1)) >= 1
    assert Notification.objects.filter(user=world["head"], kind="overdue_escalation").exists()


def rules_due(today):
    return add_working_days(today, rules.ACTION_WORKING_DAYS)


def test_a_comparison_killed_halfway_keeps_nothing_and_the_rerun_gives_the_same_result(world, monkeypatch):
    """The comparison is one transaction: killed after the raw rows are written, nothing of it
    stays, and the same file then compares as if for the first time."""
    data = csv_bytes(f"{member_id(world['beneficiary_home'], 1)},李秀英家属1,death,2026-11-03,,", f"{stranger_id()},陌生人,disaster,2026-11-12,,")
    real = importing.compare

    def killed(feed, *args, **kwargs):
        real(feed, *args, **kwargs)
        raise SystemExit("worker killed")

    monkeypatch.setattr(importing, "compare", killed)
    with pytest.raises(SystemExit), transaction.atomic():
        take(world, data)
    assert not Feed.objects.exists() and not FeedRow.objects.exists() and not Signal.objects.exists()
    monkeypatch.setattr(importing, "compare", real)
    world["police"].refresh_from_db()  # the department's account went with the rollback
    result = take(world, data)
    assert (result.applied, result.rows, result.matched, result.signals, result.actions) == (True, 2, 1, 2, 2)


def test_a_feeds_actions_fan_out_one_job_per_township_and_open_everything_once(world):
    data = csv_bytes(
        f"{member_id(world['beneficiary_home'], 1)},李秀英家属1,death,2026-11-03,,",  # 水湖镇
        f"{member_id(world['other_home'])},王大山,serious_illness,2026-11-10,,",  # 庄墓镇
        f"{stranger_id()},陌生人,disaster,2026-11-12,,",  # the county, to place
    )
    feed = take(world, data).feed
    assert actions.pending_areas(feed.pk) == ["340121000", "340121100", "340121101"]
    assert tasks.open_feed_actions.apply(args=[feed.pk, TODAY.isoformat()]).get() == {"jobs": 3}
    assert not Signal.objects.filter(state=SignalState.PENDING).exists()
    assert Recheck.objects.count() == 1 and Lead.objects.count() == 1 and MonitoringProcess.objects.count() == 1
    assert tasks.open_feed_actions.apply(args=[feed.pk, TODAY.isoformat()]).get() == {"recheck": 0, "lead": 0, "place": 0}
