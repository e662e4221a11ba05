"""The Beneficiary state machine: allowed and refused transitions, optimistic locking."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from tests.factories import make_household, make_regions
from workflows.core.models import Beneficiary

pytestmark = pytest.mark.django_db


@pytest.fixture
def beneficiary():
    make_regions()
    household = make_household()
    return Beneficiary.objects.create(household=household, kind="dibao", monthly_amount=Decimal("420"), covered_members=2, first_paid_month=date(2026, 1, 1))


def test_region_code_follows_household(beneficiary):
    assert beneficiary.region_code == beneficiary.household.region_code


def test_gradual_exit_then_exit(beneficiary):
    beneficiary.start_gradual_exit(until=date(2026, 6, 1))
    beneficiary.save()
    assert beneficiary.state == "gradual_exit"
    with pytest.raises(TransitionNotAllowed):
        beneficiary.suspend("外出")
    beneficiary.finish_gradual_exit()
    beneficiary.save()
    assert Beneficiary.objects.get(pk=beneficiary.pk).state == "exited"


def test_suspend_and_resume(beneficiary):
    beneficiary.suspend("长期外出未联系")
    beneficiary.save()
    assert beneficiary.state == "suspended"
    with pytest.raises(TransitionNotAllowed):
        beneficiary.start_gradual_exit(until=date(2026, 6, 1))
    beneficiary.resume()
    beneficiary.save()
    assert beneficiary.state == "active"


@pytest.mark.parametrize("path", [[], ["suspend"], ["start_gradual_exit"]])
def test_terminate_from_any_state_needs_a_reason(beneficiary, path):
    for step in path:
        getattr(beneficiary, step)(**({"reason": "x"} if step == "suspend" else {"until": date(2026, 6, 1)}))
    with pytest.raises(ValueError):
        beneficiary.terminate("  ")
    beneficiary.terminate("死亡注销")
    beneficiary.save()
    assert beneficiary.state == "terminated"
    assert beneficiary.end_reason == "死亡注销"
    with pytest.raises(TransitionNotAllowed):
        beneficiary.terminate("重复")


def test_state_cannot_be_set_directly(beneficiary):
    with pytest.raises(AttributeError):
        beneficiary.state = "exited"


def test_concurrent_transition_detected(beneficiary):
    first = Beneficiary.objects.get(pk=beneficiary.pk)
    second = Beneficiary.objects.get(pk=beneficiary.pk)
    first.suspend("外出")
    first.save()
    second.terminate("死亡")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert Beneficiary.objects.get(pk=beneficiary.pk).state == "suspended"
