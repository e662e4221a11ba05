"""Pages registered beside the staff Site carry its menu; a citizen's public page does not."""

import pytest
from django.urls import reverse

from tests.factories import COUNTY, TOWNSHIP_A, make_regions, make_user

MENU = "业务办理"  # the Site's process menu, in every staff page's drawer


@pytest.fixture
def staff(db):
    make_regions()
    return make_user("clerk", "township_clerk", TOWNSHIP_A), make_user("officer", "county_officer", COUNTY)


@pytest.mark.parametrize(
    "who, name",
    [
        (0, "documents:notice_list"),
        (0, "discovery:ledger"),
        (0, "notifications:list"),
        (0, "payments:township_totals"),
        (1, "spotcheck:coverage"),
    ],
)
def test_a_staff_page_outside_the_site_has_its_menu(client, staff, who, name):
    client.force_login(staff[who])
    page = client.get(reverse(name))
    assert page.status_code == 200
    assert MENU in page.content.decode()


def test_the_citizen_download_page_has_no_staff_menu(client, db):
    page = client.get(reverse("documents:citizen_download"))
    assert page.status_code == 200
    assert MENU not in page.content.decode()
