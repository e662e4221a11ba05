"""The people the tests act as, on the region tree of tests.factories (长丰县: 水湖镇 and 庄墓镇).

Fixtures, exposed to every test module through tests/conftest.py. Each persona is one user with
one StaffRole; a module's `world` composes the ones it needs with its own households, so that
only the staff a test names exist (who is notified and who may act depends on who exists).

    regions          the tree: province, city, 长丰县, 水湖镇 (A) with two villages, 庄墓镇 (B)
    issuers          the two township governments and the county bureau (documents.Issuer)
    other_county     肥东县, a second county of the same city
    caseworker       cw_a, caseworker of village A (长丰村)
    clerk_a          clerk_a, township clerk of A: in scope of village A's cases
    clerk_a2         clerk_a2, A's second clerk (a colleague on the same queue)
    clerk_b          clerk_b, township clerk of B: another township, out of A's scope
    principal        principal_a, township principal of A (王建国), who signs A's notices
    principal_b      principal_b, township principal of B
    county_officer   officer, county officer of 长丰县
    county_head      head, county head of 长丰县
"""

from dataclasses import dataclass

import pytest

from tests.factories import (
    CITY,
    COUNTY,
    OTHER_COUNTY,
    PROVINCE,
    TOWNSHIP_A,
    TOWNSHIP_B,
    VILLAGE_A,
    VILLAGE_A2,
    VILLAGE_B,
    make_issuers,
    make_regions,
    make_user,
)
from workflows.core.models import Region


@dataclass(frozen=True)
class RegionTree:
    province: Region
    city: Region
    county: Region
    township_a: Region
    township_b: Region
    village_a: Region
    village_a2: Region
    village_b: Region


@pytest.fixture
def regions(db) -> RegionTree:
    make_regions()
    by_code = Region.objects.in_bulk([PROVINCE, CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2, VILLAGE_B])
    return RegionTree(*(by_code[code] for code in (PROVINCE, CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_A2, VILLAGE_B)))


@pytest.fixture
def issuers(regions):
    make_issuers()


@pytest.fixture
def other_county(regions) -> Region:
    return Region.objects.get_or_create(code=OTHER_COUNTY, defaults={"name": "肥东县", "level": "county", "parent_id": CITY})[0]


@pytest.fixture
def caseworker(regions):
    return make_user("cw_a", "caseworker", VILLAGE_A)


@pytest.fixture
def clerk_a(regions):
    return make_user("clerk_a", "township_clerk", TOWNSHIP_A)


@pytest.fixture
def clerk_a2(regions):
    return make_user("clerk_a2", "township_clerk", TOWNSHIP_A)


@pytest.fixture
def clerk_b(regions):
    return make_user("clerk_b", "township_clerk", TOWNSHIP_B)


@pytest.fixture
def principal(regions):
    user = make_user("principal_a", "township_principal", TOWNSHIP_A)
    user.first_name, user.last_name = "王建国", ""  # as seed_demo stores Chinese names
    user.save()
    return user


@pytest.fixture
def principal_b(regions):
    return make_user("principal_b", "township_principal", TOWNSHIP_B)


@pytest.fixture
def county_officer(regions):
    return make_user("officer", "county_officer", COUNTY)


@pytest.fixture
def county_head(regions):
    return make_user("head", "county_head", COUNTY)
