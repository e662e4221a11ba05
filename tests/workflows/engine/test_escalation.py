"""Overdue cases are escalated to the township principal, once."""

from datetime import date
from decimal import Decimal

import pytest

from notifications.models import Notification
from tests.factories import VILLAGE_A, make_household
from tests.workflows.changes.test_change_flow import propose
from workflows.changes.models import HouseholdChangeProcess
from workflows.engine.tasks import escalate_overdue

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(caseworker, principal, principal_b):
    return {
        "household": make_household(VILLAGE_A, head_name="周大", wage=Decimal("900")),
        "caseworker": caseworker,
        "principal_a": principal,
        "principal_b": principal_b,
    }


def test_overdue_case_goes_to_its_principal_once(client, world):
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    # 2026-11-27 is a Friday (a working day); make the case due the day before.
    HouseholdChangeProcess.objects.filter(pk=process.pk).update(due_date=date(2026, 11, 26))
    assert escalate_overdue.apply(args=["2026-11-27"]).get() == 1
    note = Notification.objects.get(user=world["principal_a"])
    assert note.kind == "overdue_escalation" and "逾期督办" in note.title and "周大" in note.body
    assert not Notification.objects.filter(user=world["principal_b"]).exists()
    escalate_overdue.apply(args=["2026-11-27"]).get()
    assert Notification.objects.filter(user=world["principal_a"]).count() == 1
    # nothing is escalated on a non-working day, nor before the deadline passes
    HouseholdChangeProcess.objects.filter(pk=process.pk).update(due_date=date(2026, 11, 27))
    assert escalate_overdue.apply(args=["2026-11-28"]).get() == 0
    assert escalate_overdue.apply(args=["2026-11-27"]).get() == 0


@pytest.mark.services
@pytest.mark.django_db(transaction=True)  # the worker reads the case from its own connection: it must be committed
def test_a_real_worker_escalates_with_a_link(client, world, wait_until):
    """The beat task runs in a Celery worker, which never serves a request: the case link in
    its notification needs the URL tree the worker builds at start (config.celery)."""
    from django.conf import settings

    assert not settings.CELERY_TASK_ALWAYS_EAGER
    assert propose(client, world).status_code == 302
    process = HouseholdChangeProcess.objects.get()
    HouseholdChangeProcess.objects.filter(pk=process.pk).update(due_date=date(2026, 11, 26))
    escalate_overdue.delay("2026-11-27")
    wait_until(lambda: Notification.objects.filter(user=world["principal_a"]).exists(), timeout=60, message="worker 未发出督办通知")
    note = Notification.objects.get(user=world["principal_a"])
    assert note.link.endswith(f"/{process.pk}/")
