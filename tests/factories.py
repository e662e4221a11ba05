"""Small, explicit test data: two townships of one county, staff in each, valid ID numbers."""

import functools
import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from stdnum.cn import ric

from workflows.core.models import Household, IncomeItem, Member, Region, StaffRole
from workflows.policy.models import HolidayYear, Standard

PROVINCE, CITY, COUNTY = "340000000000", "340100000000", "340121000000"
TOWNSHIP_A, TOWNSHIP_B = "340121100000", "340121101000"
VILLAGE_A, VILLAGE_A2, VILLAGE_B = "340121100201", "340121100202", "340121101201"
OTHER_COUNTY = "340122000000"  # 肥东县, not made by make_regions (tests.personas other_county)

_seq = itertools.count(1)


def make_id(birth: date, male: bool = True, area: str = "340121") -> str:
    """A valid 18-character ID number (GB 11643-1999), unique per call."""
    n = next(_seq) % 500
    seq = f"{n * 2 + (1 if male else 0):03d}"[-3:]
    body = f"{area}{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")


def make_regions():
    rows = [
        (PROVINCE, "安徽省", "province", None, ""),
        (CITY, "合肥市", "city", PROVINCE, "south"),
        (COUNTY, "长丰县", "county", CITY, ""),
        (TOWNSHIP_A, "水湖镇", "township", COUNTY, ""),
        (TOWNSHIP_B, "庄墓镇", "township", COUNTY, ""),
        (VILLAGE_A, "长丰村", "village", TOWNSHIP_A, ""),
        (VILLAGE_A2, "新城社区", "village", TOWNSHIP_A, ""),
        (VILLAGE_B, "庄墓村", "village", TOWNSHIP_B, ""),
    ]
    for code, name, level, parent, area in rows:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent, "area": area, "registered_population": 3200 if level == "village" else None}
        )
    Standard.objects.get_or_create(county_id=COUNTY, area_type="rural", valid_from=date(2024, 1, 1), defaults={"dibao_standard": Decimal("750")})
    Standard.objects.get_or_create(county_id=COUNTY, area_type="urban", valid_from=date(2024, 1, 1), defaults={"dibao_standard": Decimal("850")})


PASSWORD = "pw-12345"  # every user make_user makes signs in and signs with it


@functools.cache
def password_hash() -> str:
    """PASSWORD hashed once per run, by the configured hasher: PBKDF2's million iterations take a
    quarter of a second, which every user the tests make would otherwise spend."""
    return make_password(PASSWORD)


def make_user(username: str, role: str | None = None, region: str | None = None):
    user = get_user_model().objects.create(username=username, password=password_hash(), first_name=username)
    if role:
        StaffRole.objects.create(user=user, role=role, region_id=region)
    return get_user_model().objects.get(pk=user.pk)


def make_household(village: str = VILLAGE_A, head_name: str = "张三", wage: Decimal = Decimal("500"), members: int = 2) -> Household:
    household = Household.objects.create(hukou_region_id=village, residence_region_id=village, area_type="rural", head_name=head_name, address="长丰村3组")
    head = Member.objects.create(household=household, name=head_name, id_number=make_id(date(1970, 5, 4)), relation="head", employment="employed")
    for i in range(members - 1):
        Member.objects.create(
            household=household, name=f"{head_name}家属{i + 1}", id_number=make_id(date(1975 + i, 3, 2), male=False), relation="spouse" if i == 0 else "child"
        )
    IncomeItem.objects.create(household=household, member=head, kind="wage", monthly_amount=wage)
    return household


def make_issuers():
    """The township governments (delegated confirmation) and the county bureau."""
    from documents.models import Issuer

    for region, name, prefix, phone in [
        (TOWNSHIP_A, "长丰县水湖镇人民政府", "皖长水", "0551-66710002"),
        (TOWNSHIP_B, "长丰县庄墓镇人民政府", "皖长庄", "0551-66710003"),
        (COUNTY, "长丰县民政局", "皖长民", "0551-66710001"),
    ]:
        Issuer.objects.get_or_create(number_prefix=prefix, defaults={"region_id": region, "name": name, "phone": phone})


STAND_IN_SOURCE = "测试替身：仅周末休息（非正式安排）"


def make_stand_in_calendar(today: date, years_ahead: int = 2) -> list[int]:
    """Mark the years from ``today`` on that have no calendar at all as loaded with no
    holidays (weekends only), so that tests whose deadlines cross into such a year still run.
    The year right after the last official one is provisional (the statutory holidays) and
    is left as it is; only the years after it are stood in for. The product itself refuses
    them (DESIGN §4.4), which tests marked official_calendar_only check. Returns the years
    stood in for."""
    from workflows.policy import calendar

    missing = calendar.missing_years(today, days_ahead=366 * years_ahead)
    HolidayYear.objects.bulk_create([HolidayYear(year=year, source=STAND_IN_SOURCE) for year in missing])
    calendar.clear_cache()
    return missing
