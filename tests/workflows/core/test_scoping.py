"""Region scoping: a user sees their region and below; anything else answers 404."""

import pytest
from django.urls import reverse

from tests.factories import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_user
from workflows.core.models import AuditLog, Household
from workflows.core.scoping import covering_codes, in_scope, scope_prefixes, scoped

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(clerk_a, clerk_b, county_officer, caseworker):
    return {
        "a": make_household(VILLAGE_A, head_name="甲户主"),
        "b": make_household(VILLAGE_B, head_name="乙户主"),
        "clerk_a": clerk_a,
        "clerk_b": clerk_b,
        "county": county_officer,
        "caseworker_a": caseworker,
    }


def detail_url(household):
    return f"/registry/household/{household.pk}/detail/"


def test_prefixes_follow_the_role_region(world):
    assert scope_prefixes(world["clerk_a"]) == {"340121100"}
    assert scope_prefixes(world["county"]) == {"340121"}
    assert scope_prefixes(world["caseworker_a"]) == {VILLAGE_A}
    assert list(scoped(Household.objects.all(), world["clerk_a"])) == [world["a"]]
    assert set(scoped(Household.objects.all(), world["county"])) == {world["a"], world["b"]}


def test_covering_codes_are_the_regions_whose_users_see_the_record(world):
    assert covering_codes(VILLAGE_A) == ["340000000000", "340100000000", COUNTY, TOWNSHIP_A, VILLAGE_A]
    assert covering_codes(TOWNSHIP_B) == ["340000000000", "340100000000", COUNTY, TOWNSHIP_B]
    assert covering_codes("") == []
    for user in world.values():
        if hasattr(user, "staff_roles"):
            roles = set(user.staff_roles.values_list("region_id", flat=True))
            assert bool(roles & set(covering_codes(VILLAGE_A))) == in_scope(user, VILLAGE_A), user


def test_user_without_role_sees_nothing(world):
    nobody = make_user("nobody")
    assert scoped(Household.objects.all(), nobody).count() == 0


def test_clerk_gets_404_on_other_township_detail(client, world):
    client.force_login(world["clerk_a"])
    assert client.get(detail_url(world["b"])).status_code == 404
    response = client.get(detail_url(world["a"]))
    assert response.status_code == 200
    assert "甲户主" in response.content.decode()


def test_list_rows_only_in_scope_and_ids_masked(client, world):
    client.force_login(world["clerk_a"])
    page = client.get("/registry/household/").content.decode()
    assert "甲户主" in page
    assert "乙户主" not in page
    head_id = world["a"].members.get(relation="head").id_number
    assert head_id not in page
    assert head_id[:4] + "*" * 10 + head_id[-4:] in page


def test_detail_shows_full_id_and_is_audited(client, world):
    client.force_login(world["clerk_a"])
    head_id = world["a"].members.get(relation="head").id_number
    assert head_id in client.get(detail_url(world["a"])).content.decode()
    log = AuditLog.objects.get(object_type="household", object_id=str(world["a"].pk))
    assert log.user == world["clerk_a"]
    assert log.action == "view"
    client.get(detail_url(world["b"]))
    assert not AuditLog.objects.filter(object_id=str(world["b"].pk)).exists()


def test_county_sees_both_townships(client, world):
    client.force_login(world["county"])
    assert client.get(detail_url(world["b"])).status_code == 200
    page = client.get("/registry/household/").content.decode()
    assert "甲户主" in page and "乙户主" in page


def test_list_query_count_independent_of_page_size(client, world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(30):
        make_household(VILLAGE_A, head_name=f"户主{i}")
    client.force_login(world["clerk_a"])
    counts = []
    for size in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/registry/household/?page_size={size}").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(detail_url(world["a"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not AuditLog.objects.exists()


def test_anonymous_following_a_task_link_gets_the_login_page_then_the_task(client, world):
    from workflows.changes.flows import HouseholdChangeFlow

    # any process and task URL, existing or not: the login page, never a 404 that says nothing
    url = HouseholdChangeFlow.review.reverse("index", args=[123, 456])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    process_url = HouseholdChangeFlow.instance.reverse("process_detail", args=[123])
    assert client.get(process_url)["Location"] == f"{reverse('login')}?next={process_url}"
    # logged in, outside the scope: still 404
    client.force_login(world["clerk_b"])
    assert client.get(url).status_code == 404
