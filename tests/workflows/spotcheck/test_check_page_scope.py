"""A spot check's page answers the same for another region's check as for a missing id."""

from datetime import date

import pytest

from tests.factories import COUNTY, OTHER_COUNTY, TOWNSHIP_A, VILLAGE_A, make_user
from workflows.spotcheck.models import SpotCheck

pytestmark = pytest.mark.django_db


@pytest.fixture
def check(other_county):
    return SpotCheck.objects.create(county_id=COUNTY, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), seed="s")


@pytest.mark.parametrize(
    "role,region", [("county_officer", OTHER_COUNTY), ("finance_officer", OTHER_COUNTY), ("caseworker", VILLAGE_A), ("township_clerk", TOWNSHIP_A)]
)
def test_hidden_and_missing_checks_both_answer_404(client, check, role, region):
    client.force_login(make_user("u", role, region))
    hidden = client.get(f"/spotcheck/{check.pk}/")
    missing = client.get(f"/spotcheck/{check.pk + 1000}/")
    assert (hidden.status_code, missing.status_code) == (404, 404)


def test_in_scope_without_the_role_is_403_and_the_officer_sees_it(client, check):
    client.force_login(make_user("fin", "finance_officer", COUNTY))
    assert client.get(f"/spotcheck/{check.pk}/").status_code == 403
    client.force_login(make_user("officer", "county_officer", COUNTY))
    assert client.get(f"/spotcheck/{check.pk}/").status_code == 200
