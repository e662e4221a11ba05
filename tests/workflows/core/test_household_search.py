"""Household search: by a full ID number, its last 4–6 digits, any member's name, the address;
only inside the user's region; a hint when nothing matches; the same queries for every kind."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import VILLAGE_A, VILLAGE_B, make_household

pytestmark = pytest.mark.django_db
URL = "/registry/household/"


@pytest.fixture
def world(clerk_a):
    a = make_household(VILLAGE_A, head_name="甲户主")
    a.address = "长丰村三组18号"
    a.save()
    other = make_household(VILLAGE_A, head_name="丙户主")
    b = make_household(VILLAGE_B, head_name="乙户主")
    b.address = "长丰村三组18号"  # the same words in another township
    b.save()
    return {"a": a, "other": other, "b": b, "clerk": clerk_a}


def found(client, user, term) -> set[str]:
    """The heads of the households listed (their links), not words echoed in the page."""
    client.force_login(user)
    page = client.get(URL, {"_search": term}).content.decode()
    return {name for name in ("甲户主", "乙户主", "丙户主") if f">{name}</a>" in page}


def test_finds_by_full_id_number(client, world):
    spouse = world["a"].members.exclude(relation="head").first()
    assert found(client, world["clerk"], spouse.id_number) == {"甲户主"}
    assert found(client, world["clerk"], " " + spouse.id_number.lower() + " ") == {"甲户主"}


@pytest.mark.parametrize("digits", [4, 5, 6])
def test_finds_by_the_last_digits(client, world, digits):
    head = world["a"].members.get(relation="head")
    tail = head.id_number[-digits:]
    expected = {n for n, h in (("甲户主", world["a"]), ("丙户主", world["other"])) if any(m.id_number.endswith(tail) for m in h.members.all())}
    assert found(client, world["clerk"], tail) == expected and "甲户主" in expected


def test_finds_by_any_members_name(client, world):
    spouse = world["a"].members.exclude(relation="head").first()
    spouse.name = "钱小红"
    spouse.save()
    assert found(client, world["clerk"], "钱小红") == {"甲户主"}
    assert found(client, world["clerk"], "钱小") == {"甲户主"}


def test_finds_by_address_in_scope_only(client, world):
    assert found(client, world["clerk"], "三组18号") == {"甲户主"}  # 乙户主 is in another township


def test_another_townships_household_is_never_found(client, world):
    head_b = world["b"].members.get(relation="head")
    assert found(client, world["clerk"], head_b.id_number) == set()
    assert found(client, world["clerk"], "乙户主") == set()


def test_no_rows_shows_what_can_be_searched(client, world):
    client.force_login(world["clerk"])
    page = client.get(URL, {"_search": "查无此人"}).content.decode()
    assert "没有与“查无此人”相符的家庭" in page and "身份证号后4至6位" in page and "详细地址" in page


def test_every_kind_of_search_costs_the_same_queries(client, world):
    client.force_login(world["clerk"])
    head = world["a"].members.get(relation="head")
    counts = {}
    for term in (head.id_number, head.id_number[-6:], head.id_number[-4:], "甲户主", "三组"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {"_search": term}).status_code == 200
        counts[term] = len(ctx.captured_queries)
    assert len(set(counts.values())) == 1, counts
