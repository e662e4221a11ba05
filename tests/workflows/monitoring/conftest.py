"""A county with a beneficiary household and one without benefits, the staff who act on
signals, and helpers that write a department's feed."""

import io
from datetime import date

import pytest
from openpyxl import Workbook

from tests.documents.notice_helpers import use_small_pdfs
from tests.factories import CITY, COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_id, make_issuers, make_regions, make_user
from tests.workflows.payments.conftest import enroll
from workflows.core.models import Region
from workflows.monitoring import services
from workflows.monitoring.models import Department, Via

OTHER_COUNTY = "340122000000"
OTHER_VILLAGE = "340122100201"
TODAY = date(2026, 12, 1)  # the first working day of December: November's data are compared
MONTH = date(2026, 11, 1)
HEADER = "id_number,name,event,event_date,amount,detail"


@pytest.fixture
def world(db, monkeypatch, eager_celery, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    use_small_pdfs(monkeypatch)
    make_regions()
    Region.objects.get_or_create(code=OTHER_COUNTY, defaults={"name": "肥东县", "level": "county", "parent_id": CITY})
    Region.objects.get_or_create(code="340122100000", defaults={"name": "店埠镇", "level": "township", "parent_id": OTHER_COUNTY})
    Region.objects.get_or_create(code=OTHER_VILLAGE, defaults={"name": "店埠村", "level": "village", "parent_id": "340122100000"})
    make_issuers()
    beneficiary = enroll(VILLAGE_A, "李秀英", members=2)
    beneficiary_home = beneficiary.household
    other_home = make_household(VILLAGE_B, "王大山", members=1)
    elsewhere = make_household(OTHER_VILLAGE, "赵外县", members=1)
    return {
        "beneficiary": beneficiary,
        "beneficiary_home": beneficiary_home,
        "other_home": other_home,
        "elsewhere": elsewhere,
        "county": Region.objects.get(code=COUNTY),
        "police": Department.objects.get(code="police"),
        "health": Department.objects.get(code="health"),
        "medical": Department.objects.get(code="medical_insurance"),
        "officer": make_user("officer", "county_officer", COUNTY),
        "other_officer": make_user("officer_fd", "county_officer", OTHER_COUNTY),
        "head": make_user("head", "county_head", COUNTY),
        "caseworker": make_user("cw_a", "caseworker", VILLAGE_A),
        "caseworker_b": make_user("cw_b", "caseworker", VILLAGE_B),
        "clerk": make_user("clerk_a", "township_clerk", TOWNSHIP_A),
        "clerk_b": make_user("clerk_b", "township_clerk", TOWNSHIP_B),
        "principal": make_user("principal_a", "township_principal", TOWNSHIP_A),
        "supervisor": make_user("sup_city", "supervisor", CITY),
    }


def member_id(household, index: int = 0) -> str:
    return list(household.members.order_by("pk"))[index].id_number


def stranger_id() -> str:
    return make_id(date(1961, 8, 9), area="340121")


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def take(world, data: bytes, department: str = "police", month=MONTH, county=None, user=None, via=Via.COMMAND):
    """One department's feed for 长丰县 (unless told), compared on TODAY."""
    return services.import_feed(
        department=world[department], county=county or world["county"], month=month, data=data, filename="feed.csv", user=user, via=via, today=TODAY
    )
