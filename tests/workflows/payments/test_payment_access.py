"""Who sees which payment data: county staff their county, the bank its counties' files,
township clerks only their township's totals (DESIGN §4.3: outside scope is 404)."""

import warnings
from datetime import date

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from workflows.payments import services
from workflows.payments.flows import PaymentFlow

from .conftest import OTHER_COUNTY, OTHER_VILLAGE, enroll, open_cycle

# A cycle's roster is built by a job that runs once the cycle's opening commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def disbursing(county):
    process = open_cycle()
    services.submit_roster(process, date(2026, 4, 28))
    services.allocate_funds(process, day=date(2026, 5, 8), reference="长财社〔2026〕31号", amount=process.cycle.total_amount)
    services.start_disbursing(process)
    process.refresh_from_db()
    return process


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_county_staff_see_only_their_county(client, county, disbursing):
    cycle = disbursing.cycle
    detail = PaymentFlow.instance.reverse("process_detail", args=[disbursing.pk])
    assert status(client, county["officer"], detail) == 200
    assert status(client, county["other_officer"], detail) == 404
    assert status(client, county["other_officer"], reverse("payments:roster_xlsx", args=[cycle.pk])) == 404
    assert status(client, county["other_officer"], reverse("payments:report", args=[cycle.pk])) == 404
    client.force_login(county["other_officer"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)  # pages in a stable order
        listing = client.get(PaymentFlow.instance.reverse("process_list")).content.decode()
    assert str(cycle) not in listing


def test_a_bank_gets_only_the_files_of_the_counties_it_serves(client, county, disbursing):
    enroll(OTHER_VILLAGE, "外县户", "500", 1)
    other = open_cycle(county_code=OTHER_COUNTY)
    url = reverse("payments:bank_file", args=[disbursing.cycle.pk])
    assert status(client, county["bank"], url) == 200
    assert status(client, county["other_bank"], url) == 404
    assert status(client, county["bank"], reverse("payments:roster_xlsx", args=[other.cycle.pk])) == 404
    # finance allocates but does not receive account and ID numbers in full
    assert status(client, county["finance"], url) == 403
    # before the allocation there is no bank file
    assert status(client, county["other_bank"], reverse("payments:bank_file", args=[other.cycle.pk])) == 404


def test_township_clerks_see_only_their_township_totals(client, county, disbursing):
    cycle = disbursing.cycle
    for url in (
        reverse("payments:bank_file", args=[cycle.pk]),
        reverse("payments:roster_xlsx", args=[cycle.pk]),
        PaymentFlow.instance.reverse("process_detail", args=[disbursing.pk]),
    ):
        assert status(client, county["clerk_a"], url) == 404
    client.force_login(county["clerk_a"])
    page = client.get(reverse("payments:township_totals")).content.decode()
    assert "水湖镇" in page and "1420.00" in page and "庄墓镇" not in page
    client.force_login(county["clerk_b"])
    page = client.get(reverse("payments:township_totals")).content.decode()
    assert "庄墓镇" in page and "水湖镇" not in page
    assert status(client, county["bank"], reverse("payments:township_totals")) == 403
