"""Overdue petitions escalate like every clock, but never to the leader an accusation names."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from workflows.engine.escalation import escalate_overdue

from .conftest import receive

pytestmark = pytest.mark.django_db


def test_an_overdue_petition_is_escalated_to_the_principal(world):
    receive()
    late = timezone.localdate() + timedelta(days=30)
    assert escalate_overdue(late) == 1
    assert Notification.objects.filter(user=world["principal"], kind="overdue_escalation").count() == 1


def test_an_accusation_against_the_principal_is_not_escalated_to_them(world):
    receive(kind="accusation", category="conduct", accused=world["principal"], matter="反映乡镇主要负责同志优亲厚友")
    assert escalate_overdue(timezone.localdate() + timedelta(days=30)) == 0
    assert not Notification.objects.filter(user=world["principal"]).exists()
