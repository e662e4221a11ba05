"""A county with beneficiaries in two townships, the staff who recheck them, and helpers."""

from datetime import date

import pytest

from tests.documents.notice_helpers import use_small_pdfs
from tests.factories import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, make_issuers, make_regions, make_user
from tests.workflows.payments.conftest import enroll
from workflows.core.models import Beneficiary, Region
from workflows.recheck import services
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import RecheckProcess

OTHER_COUNTY = "340122000000"
TODAY = date(2026, 12, 1)  # a Tuesday, the month's first working day


@pytest.fixture
def world(monkeypatch, eager_celery):
    use_small_pdfs(monkeypatch)
    make_regions()
    Region.objects.get_or_create(code=OTHER_COUNTY, defaults={"name": "肥东县", "level": "county", "parent_id": "340100000000"})
    make_issuers()
    return {
        "caseworker": make_user("cw_a", "caseworker", VILLAGE_A),
        "clerk": make_user("clerk_a", "township_clerk", TOWNSHIP_A),
        "principal": make_user("principal_a", "township_principal", TOWNSHIP_A),
        "other_clerk": make_user("clerk_b", "township_clerk", TOWNSHIP_B),
        "head": make_user("head", "county_head", COUNTY),
        "other_head": make_user("head_fd", "county_head", OTHER_COUNTY),
        "officer": make_user("officer", "county_officer", COUNTY),
    }


def due(beneficiary: Beneficiary, on: date) -> Beneficiary:
    Beneficiary.objects.filter(pk=beneficiary.pk).update(next_recheck_on=on)
    beneficiary.refresh_from_db()
    return beneficiary


def start(beneficiary: Beneficiary, today: date = TODAY) -> RecheckProcess:
    process = RecheckFlow.scheduled.run(beneficiary=beneficiary, today=today)
    process.refresh_from_db()
    return process


def visit(recheck, user, on: date = TODAY, **over):
    data = {
        "investigator_1": "王强",
        "investigator_2": "李娟",
        "visited_on": on,
        "living_conditions": "住房自有，户主务工",
        "findings": "家庭人口无变化",
        "user": user,
        "today": on,
    }
    return services.record_visit(recheck, **{**data, **over})


__all__ = ["enroll", "due", "start", "visit", "TODAY", "COUNTY", "TOWNSHIP_A", "VILLAGE_A"]
