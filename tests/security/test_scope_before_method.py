"""A record outside the user's regions answers 404 whatever the method or role (DESIGN §4.3).

A view that refuses GET, or a role without the right permission, must not tell an outsider
that the record exists: the scope check comes first, the method or permission check after.
"""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from documents.models import Issuer, Notice
from notifications.models import Notification
from tests.factories import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, make_household, make_issuers, make_regions, make_user
from tests.security.crawl import COUNTY_2, _regions
from workflows.application.models import Application
from workflows.core.models import StaffRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice():
    make_regions()
    make_issuers()
    household = make_household(VILLAGE_A)
    clerk = make_user("clerk_a", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_A)
    application = Application.objects.create(
        household=household, applicant=household.members.first(), kind="dibao", filed_on=date(2026, 11, 2), created_by=clerk
    )
    return Notice.objects.create(
        kind="acceptance",
        issuer=Issuer.objects.get(number_prefix="皖长水"),
        region_code=VILLAGE_A,
        word="受",
        year=2026,
        seq=1,
        number="皖长水受〔2026〕1号",
        title="受理通知书",
        addressee_name=household.head_name,
        case_key="scope-1",
        issued_on=date(2026, 11, 3),
        case_type=ContentType.objects.get_for_model(Application),
        case_id=application.pk,
    )


@pytest.mark.parametrize("action", ["deliver", "acknowledge"])
def test_get_on_a_notice_action_out_of_scope_is_404(client, notice, action):
    client.force_login(make_user("clerk_b", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_B))
    assert client.get(f"/notices/{notice.pk}/{action}/").status_code == 404
    assert client.get(f"/notices/{notice.pk + 1000}/{action}/").status_code == 404


@pytest.mark.parametrize("action", ["deliver", "acknowledge"])
def test_get_on_a_notice_action_in_scope_is_405(client, notice, action):
    client.force_login(make_user("clerk_a2", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_A))
    assert client.get(f"/notices/{notice.pk}/{action}/").status_code == 405


def test_get_on_someone_elses_notification_read_is_404(client):
    owner, other = make_user("owner"), make_user("other")
    note = Notification.objects.create(user=owner, kind="task", title="待办", link="/", idempotency_key="scope-note")
    client.force_login(other)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 404
    client.force_login(owner)
    assert client.get(f"/notifications/{note.pk}/read/").status_code == 405
    assert Notification.objects.get(pk=note.pk).read_at is None


def test_objection_out_of_scope_is_404_even_without_the_permission(client, notice):
    # A finance officer of the neighbouring county may not handle applications (403 in scope),
    # but an application outside their county does not exist for them.
    application = Application.objects.get(pk=notice.case_id)
    _regions()
    client.force_login(make_user("finance_2", StaffRole.FINANCE_OFFICER, COUNTY_2))
    assert client.get(f"/applications/{application.pk}/objection/").status_code == 404
    client.force_login(make_user("clerk_b2", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_B))
    assert client.get(f"/applications/{application.pk}/objection/").status_code == 404


def test_objection_in_scope_without_the_permission_is_403(client, notice):
    application = Application.objects.get(pk=notice.case_id)
    client.force_login(make_user("finance_1", StaffRole.FINANCE_OFFICER, COUNTY))
    assert client.get(f"/applications/{application.pk}/objection/").status_code == 403
