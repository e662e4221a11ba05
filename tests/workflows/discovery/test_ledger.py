"""The village ledger (M3 工作台账): scoped list, per-village grouping, xlsx export."""

from datetime import date
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import VILLAGE_A, VILLAGE_A2, VILLAGE_B, make_id
from workflows.discovery import services
from workflows.discovery.flows import DiscoveryFlow

from .conftest import open_task, referral

pytestmark = pytest.mark.django_db

LEDGER, EXPORT = "/discovery/ledger/", "/discovery/ledger/export.xlsx"


def export_rows(client, **params):
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def leads(world):
    full_id = make_id(date(1950, 6, 1))
    a = referral(world, VILLAGE_A, person_name="甲村民", id_number=full_id, risk_signs=["elderly_alone", "illness"])
    a2 = referral(world, VILLAGE_A2, person_name="乙居民")
    b = referral(world, VILLAGE_B, person_name="丙村民")
    # Close the second lead so the ledger has both open and closed lines.
    services.record_visit(
        a2, user=world["caseworker"], visitor_1="王协理", visited_on=timezone.localdate(), place="家中", findings="收入稳定", today=timezone.localdate()
    )
    services.assess(a2, user=world["clerk"], decision="close", note="不符合", close_reason="已有稳定工作", today=timezone.localdate())
    services.conclude(a2, timezone.localdate())
    return {"a": a, "a2": a2, "b": b, "full_id": full_id}


def test_ledger_lists_the_township_grouped_by_village(client, world, leads):
    client.force_login(world["clerk"])
    page = client.get(LEDGER).content.decode()
    assert "甲村民" in page and "乙居民" in page and "丙村民" not in page
    assert "长丰村" in page and "新城社区" in page and "庄墓村" not in page
    assert leads["full_id"] not in page and leads["full_id"][:4] + "**********" + leads["full_id"][-4:] in page
    assert "办结：已有稳定工作" in page
    closed = client.get(LEDGER, {"status": "closed"}).content.decode()
    assert "乙居民" in closed and "甲村民" not in closed
    by_village = client.get(LEDGER, {"village": VILLAGE_A}).content.decode()
    assert "甲村民" in by_village and "乙居民" not in by_village


def test_export_has_title_headers_and_masked_ids(client, world, leads):
    client.force_login(world["clerk"])
    rows = export_rows(client, village=VILLAGE_A)
    assert rows[0][0] == f"合肥市长丰县水湖镇长丰村困难群众主动发现工作台账（导出日期：{timezone.localdate():%Y年%m月%d日}）"
    assert rows[1][:6] == ["序号", "村（社区）", "发现渠道", "工单（预警）编号", "姓名", "公民身份号码"]
    assert len(rows) == 3
    line = dict(zip(rows[1], rows[2], strict=False))
    assert line["姓名"] == "甲村民" and line["风险标识"] == "独居老人、重病" and line["状态"] == "待核实"
    full_id = leads["full_id"]
    assert line["公民身份号码"] == full_id[:4] + "**********" + full_id[-4:]
    assert not any(full_id in str(cell) for row in rows for cell in row)
    everything = export_rows(client)
    assert everything[0][0].startswith("合肥市长丰县水湖镇困难群众主动发现工作台账")
    assert sorted(r[4] for r in everything[2:]) == ["乙居民", "甲村民"]
    assert [r[4] for r in export_rows(client, status="closed")[2:]] == ["乙居民"]


def test_other_township_sees_none_of_it(client, world, leads):
    client.force_login(world["clerk_b"])
    page = client.get(LEDGER).content.decode()
    assert "丙村民" in page and "甲村民" not in page and "乙居民" not in page
    assert [r[4] for r in export_rows(client)[2:]] == ["丙村民"]
    # Naming township A's village in the filter shows nothing either.
    assert "甲村民" not in client.get(LEDGER, {"village": VILLAGE_A}).content.decode()
    assert export_rows(client, village=VILLAGE_A)[2:] == []
    process = leads["a"].process
    task = open_task(process, DiscoveryFlow.verify)
    assert client.get(DiscoveryFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[process.pk, task.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).status_code == 404


def test_ledger_queries_do_not_grow_with_its_length(client, world, leads):
    client.force_login(world["clerk"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LEDGER).status_code == 200
        return len(queries)

    before = count()
    for n in range(6):
        lead = referral(world, VILLAGE_A2, person_name=f"新线索{n}")
        services.record_visit(
            lead, user=world["caseworker"], visitor_1="王协理", visited_on=timezone.localdate(), place="家中", findings="属实", today=timezone.localdate()
        )
    assert count() == before


def test_ledger_needs_login(client, world):
    assert client.get(LEDGER).status_code == 302
    assert client.get(EXPORT).status_code == 302
