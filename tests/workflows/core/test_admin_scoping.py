"""The Django admin: administrators only, inside their region; the household page masks and audits."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from stdnum import luhn

from tests.factories import COUNTY, VILLAGE_A, make_household, make_id, make_user
from workflows.core.models import AuditLog, BankAccount, Household, Member, Region
from workflows.spotcheck.models import SpotCheck

pytestmark = pytest.mark.django_db

LINQUAN, LINQUAN_TOWNSHIP, LINQUAN_VILLAGE = "341221000000", "341221100000", "341221100201"


@pytest.fixture
def world(regions):
    Region.objects.create(code="341200000000", name="阜阳市", level="city", parent_id="340000000000", area="north")
    Region.objects.create(code=LINQUAN, name="临泉县", level="county", parent_id="341200000000")
    Region.objects.create(code=LINQUAN_TOWNSHIP, name="城关街道", level="township", parent_id=LINQUAN)
    Region.objects.create(code=LINQUAN_VILLAGE, name="城中社区", level="village", parent_id=LINQUAN_TOWNSHIP)
    ours = make_household(VILLAGE_A, head_name="刘长丰")
    theirs = make_household(LINQUAN_VILLAGE, head_name="王临泉")
    officer = make_user("countyofficer_341221", "county_officer", LINQUAN)
    officer.is_staff = True  # what every demo account used to be: no longer enough
    officer.save()
    return {
        "ours": ours,
        "theirs": theirs,
        "check_ours": SpotCheck.objects.create(county_id=COUNTY, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), seed="a"),
        "check_theirs": SpotCheck.objects.create(county_id=LINQUAN, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31), seed="b"),
        "officer": officer,
        "admin_cf": make_user("admin_340121", "administrator", COUNTY),
    }


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def changelist(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/"


def test_ordinary_staff_get_no_admin(client, world):
    client.force_login(world["officer"])
    for url in ("/admin/", changelist(world["check_theirs"]), change_url(world["check_theirs"]), change_url(world["check_ours"]), change_url(world["ours"])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    # nor does the admin's own login form let them in
    client.logout()
    page = client.post("/admin/login/", {"username": "countyofficer_341221", "password": "pw-12345"}).content.decode()
    assert "该账号不是系统管理员" in page


def test_county_administrator_sees_their_county_only(client, world):
    client.force_login(world["admin_cf"])
    assert client.get("/admin/").status_code == 200
    checks = client.get(changelist(world["check_ours"])).content.decode()
    assert "长丰县" in checks and "临泉县" not in checks
    assert client.get(change_url(world["check_ours"])).status_code == 200
    assert client.get(change_url(world["check_theirs"])).status_code == 404
    households = client.get(changelist(world["ours"])).content.decode()
    assert "刘长丰" in households and "王临泉" not in households
    assert client.get(change_url(world["ours"])).status_code == 200
    assert client.get(change_url(world["theirs"])).status_code == 404
    # a missing id answers the same as a hidden one
    assert client.get("/admin/core/household/999999/change/").status_code == 404
    assert client.post(f"/admin/core/household/{world['theirs'].pk}/delete/", {"post": "yes"}).status_code == 404
    assert Household.objects.filter(pk=world["theirs"].pk).exists()
    # the region lists offered by the admin stop at the county's border
    standards = client.get("/admin/policy/standard/").content.decode()
    assert "长丰县" in standards
    assert client.get("/admin/core/region/").content.decode().count("临泉县") == 0


def test_superuser_sees_every_county(client, world):
    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    client.force_login(root)
    assert client.get(change_url(world["check_theirs"])).status_code == 200
    assert client.get(change_url(world["theirs"])).status_code == 200


def test_household_page_masks_ids_and_is_audited(client, world):
    household = world["ours"]
    numbers = list(household.members.values_list("id_number", flat=True))
    card = "622202020011223344" + luhn.calc_check_digit("622202020011223344")
    BankAccount.objects.create(household=household, account_name="刘长丰", card_number=card, bank_name="长丰农商银行")
    client.force_login(world["admin_cf"])
    page = client.get(change_url(household)).content.decode()
    for number in numbers:
        assert number not in page
        assert number[:4] + "*" * 10 + number[-4:] in page
    assert card not in page and "6222 **** **** " + card[-4:] in page
    log = AuditLog.objects.get(object_type="household", object_id=str(household.pk))
    assert log.user == world["admin_cf"] and log.action == "view" and log.region_code == household.region_code


def _household_post(household=None, members=(), prefix_initial=0, **over):
    data = {
        "hukou_region": VILLAGE_A,
        "residence_region": VILLAGE_A,
        "address": "长丰村5组",
        "area_type": "rural",
        "phone": "",
        "members-TOTAL_FORMS": str(len(members)),
        "members-INITIAL_FORMS": str(prefix_initial),
        **{f"{inline}-{key}": "0" for inline in ("incomes", "assets", "bank_accounts") for key in ("TOTAL_FORMS", "INITIAL_FORMS")},
    }
    for i, member in enumerate(members):
        data.update({f"members-{i}-{k}": v for k, v in member.items()})
    data.update(over)
    return data


def test_household_created_in_the_admin_gets_its_head_name(client, world):
    client.force_login(world["admin_cf"])
    head = {"name": "周新户", "id_number": make_id(date(1980, 2, 3)), "relation": "head", "employment": "unemployed", "disability_type": ""}
    child = {"name": "周小新", "id_number": make_id(date(2012, 6, 1)), "relation": "child", "employment": "student", "disability_type": ""}
    response = client.post("/admin/core/household/add/", _household_post(members=[child, head]))
    assert response.status_code == 302, response.content.decode()[:3000]
    household = Household.objects.get(members__name="周新户")
    assert household.head_name == "周新户"


def test_saving_the_masked_page_keeps_the_id_numbers(client, world):
    household = world["ours"]
    members = list(household.members.order_by("pk"))
    client.force_login(world["admin_cf"])
    rows = [
        {
            "id": str(m.pk),
            "household": str(household.pk),
            "name": m.name,
            "id_number": m.masked_id,
            "relation": m.relation,
            "employment": m.employment,
            "disability_type": "",
        }
        for m in members
    ]
    rows[0]["name"] = "刘长丰改"
    response = client.post(change_url(household), _household_post(members=rows, prefix_initial=len(rows)))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(m.name, m.id_number) for m in Member.objects.filter(household=household).order_by("pk")] == [
        ("刘长丰改", members[0].id_number),
        (members[1].name, members[1].id_number),
    ]
    household.refresh_from_db()
    assert household.head_name == "刘长丰改"
    # a mistyped new number is refused in Chinese, nothing saved
    rows[1]["id_number"] = "3401**********9999"
    page = client.post(change_url(household), _household_post(members=rows, prefix_initial=len(rows))).content.decode()
    assert "公民身份号码前17位应为数字" in page
    assert Member.objects.get(pk=members[1].pk).id_number == members[1].id_number
