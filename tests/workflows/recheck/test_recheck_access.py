"""Who sees a recheck: the township's staff and the county; another township's clerk gets 404
on its list lines, its case, its tasks and its notices."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.workflows.application.test_application_flow import open_task
from workflows.recheck import services
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import Recheck

from .conftest import TODAY, VILLAGE_A, due, enroll, start, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(world):
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    recheck = start(due(beneficiary, TODAY)).recheck
    visit(recheck, world["caseworker"])
    services.propose(recheck, user=world["clerk"], outcome="change_amount", new_amount=Decimal("700"), reason="收入增加", today=TODAY)
    return services.decide(recheck, user=world["principal"], approve=True, comment="", today=TODAY)


def test_another_townships_clerk_sees_nothing_of_the_recheck(client, world, decided):
    process = decided.recheckprocess
    client.force_login(world["other_clerk"])
    assert client.get(RecheckFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(f"/cases/{process.pk}/").status_code == 404
    assert client.get(f"/notices/{decided.notice_id}/pdf/").status_code == 404
    page = client.get("/recheck/?status=open")
    assert page.status_code == 200 and "甲一" not in page.content.decode()
    client.force_login(world["clerk"])
    assert client.get(RecheckFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 200
    assert client.get(f"/notices/{decided.notice_id}/pdf/").status_code == 200


def test_an_open_task_is_not_another_townships(client, world):
    beneficiary = due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY)
    process = start(beneficiary)
    task = open_task(process, RecheckFlow.visit)
    client.force_login(world["other_clerk"])
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    task.refresh_from_db()
    assert task.owner_id is None


def test_the_list_shows_due_overdue_and_exports_masked(client, world):
    overdue = due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY.replace(day=1).replace(month=10))
    due(enroll(VILLAGE_A, "甲二", "600", 1), TODAY.replace(year=2027, month=1, day=15))
    due(enroll("340121101201", "乙一", "700", 1), TODAY)  # another township
    client.force_login(world["clerk"])
    page = client.get("/recheck/").content.decode()
    assert "甲一" in page and "甲二" in page and "乙一" not in page and "已逾期" in page
    page = client.get("/recheck/?status=overdue").content.decode()
    assert "甲一" in page and "甲二" not in page
    book = load_workbook(io.BytesIO(client.get("/recheck/export.xlsx").content))
    rows = list(book.active.values)
    assert rows[1][0] == "序号" and {r[2] for r in rows[2:]} == {"甲一", "甲二"}
    assert not any(cell and isinstance(cell, str) and cell.isdigit() and len(cell) == 18 for r in rows for cell in r)
    assert overdue.household.members.first().id_number not in str(rows)


def test_the_bulk_start_opens_each_due_once_for_the_clerks_township(client, world):
    due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY)
    due(enroll("340121101201", "乙一", "700", 1), TODAY)
    client.force_login(world["clerk"])
    assert client.post("/recheck/start/").status_code == 302
    assert client.post("/recheck/start/").status_code == 302
    assert list(Recheck.objects.values_list("beneficiary__household__head_name", flat=True)) == ["甲一"]
    client.force_login(world["principal"])  # may see, may not start
    assert client.post("/recheck/start/").status_code == 403


def test_the_household_page_shows_its_rechecks(client, world, decided):
    client.force_login(world["clerk"])
    page = client.get(f"/registry/household/{decided.beneficiary.household_id}/detail/").content.decode()
    assert "复核记录" in page and "调整保障金" in page and decided.notice.number in page


def test_a_caseworkers_bulk_start_stays_in_the_village(client, world):
    due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY)
    due(enroll("340121100202", "甲二", "700", 1), TODAY)  # the same township, another village
    client.force_login(world["caseworker"])
    assert client.post("/recheck/start/").status_code == 302
    assert list(Recheck.objects.values_list("beneficiary__household__head_name", flat=True)) == ["甲一"]
