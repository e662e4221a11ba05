"""A recheck decided while its county's roster is being built waits for the build: the roster
is built before the decision or after it, never across it (both take the county's lock)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from workflows.core.locks import lock_county
from workflows.core.models import Beneficiary
from workflows.recheck import services

from .conftest import COUNTY, TODAY, VILLAGE_A, due, enroll, start, visit

pytestmark = pytest.mark.django_db(transaction=True)  # two connections: each must see the other's commits


@pytest.mark.services
def test_a_decision_waits_for_the_roster_being_built_on_postgresql(world):
    assert connection.vendor == "postgresql"
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    recheck = start(due(beneficiary, TODAY)).recheck
    visit(recheck, world["caseworker"])
    recheck = services.propose(recheck, user=world["clerk"], outcome="change_amount", new_amount=Decimal("700"), reason="收入增加", today=TODAY)
    done = threading.Event()

    def decide():
        try:
            services.decide(recheck, user=world["principal"], approve=True, comment="", today=TODAY)
            done.set()
        finally:
            close_old_connections()

    with transaction.atomic():
        lock_county(COUNTY)  # as build_roster does
        worker = threading.Thread(target=decide)
        worker.start()
        worker.join(timeout=1.5)
        # The decision is held while the "roster" transaction runs.
        assert worker.is_alive() and not done.is_set()
        assert Beneficiary.objects.get(pk=beneficiary.pk).next_amount is None
    worker.join(timeout=30)
    assert done.is_set() and Beneficiary.objects.get(pk=beneficiary.pk).next_amount == Decimal("700.00")
