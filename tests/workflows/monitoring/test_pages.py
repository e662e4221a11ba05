"""What each role sees of monitoring: the county's deliveries, feeds, raw rows (audited),
signals, dashboard and register; another county's officer sees nothing (404)."""

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from workflows.core.models import AuditLog
from workflows.discovery.models import Lead, LeadState
from workflows.monitoring import actions, dashboard, services
from workflows.monitoring.models import FeedRow, Signal, Via

from .conftest import MONTH, TODAY, csv_bytes, member_id, stranger_id, take


def feed(world, data=None):
    data = data or csv_bytes(
        f"{member_id(world['beneficiary_home'], 1)},李秀英家属1,death,2026-11-03,,死亡医学证明",
        f"{member_id(world['other_home'])},王大山,serious_illness,2026-11-10,,尿毒症",
        f"{stranger_id()},陌生人,disaster,2026-11-12,,房屋倒塌",
    )
    result = take(world, data, user=world["officer"], via=Via.UPLOAD)
    actions.open_actions(result.feed.pk, TODAY)
    return result.feed


def test_the_county_officer_sees_the_delivery_and_the_missing_departments(client, world):
    f = feed(world)
    client.force_login(world["officer"])
    page = client.get("/monitoring/", {"month": "2026-11"}).content.decode()
    assert "长丰县：11个部门尚未报送比对" in page and f"/monitoring/feeds/{f.pk}/" in page
    detail = client.get(f"/monitoring/feeds/{f.pk}/").content.decode()
    assert "新预警 3 条" in detail and "李秀英家属1" in detail
    # Lists mask ID numbers.
    full = member_id(world["other_home"])
    assert full not in detail and full[:4] in detail


def test_viewing_a_raw_row_is_audited_and_another_countys_officer_gets_404(client, world):
    f = feed(world)
    row = FeedRow.objects.filter(feed=f).first()
    client.force_login(world["officer"])
    page = client.get(f"/monitoring/rows/{row.pk}/")
    assert page.status_code == 200 and row.id_number in page.content.decode()
    assert AuditLog.objects.filter(action="monitoring_view_row", object_id=str(row.pk), user=world["officer"]).exists()
    client.force_login(world["other_officer"])
    for url in (f"/monitoring/rows/{row.pk}/", f"/monitoring/feeds/{f.pk}/"):
        assert client.get(url).status_code == 404
    assert "陌生人" not in client.get("/monitoring/signals/", {"show": "all"}).content.decode()
    assert "长丰县" not in client.get("/monitoring/dashboard/", {"month": "2026-11"}).content.decode()


def test_a_township_sees_its_own_signals_only_and_no_raw_rows(client, world):
    feed(world)
    client.force_login(world["clerk"])  # 水湖镇: the beneficiary's township
    page = client.get("/monitoring/signals/", {"show": "all"}).content.decode()
    assert "李秀英家属1" in page and "王大山" not in page and "陌生人" not in page
    mine = FeedRow.objects.get(name="李秀英家属1")
    theirs = FeedRow.objects.get(name="王大山")
    assert client.get(f"/monitoring/rows/{theirs.pk}/").status_code == 404
    assert client.get(f"/monitoring/rows/{mine.pk}/").status_code == 403  # in the township, not the clerk's to read
    client.force_login(world["clerk_b"])  # 庄墓镇
    page = client.get("/monitoring/signals/", {"show": "all"}).content.decode()
    assert "王大山" in page and "李秀英家属1" not in page


def test_the_household_page_shows_its_signal(client, world):
    feed(world)
    client.force_login(world["clerk"])
    page = client.get(f"/registry/household/{world['beneficiary_home'].pk}/detail/", follow=True).content.decode()
    assert "低收入人口监测预警" in page and "死亡" in page


def test_the_dashboard_counts_and_exports_and_draws_charts_without_scripts(client, world):
    feed(world)
    client.force_login(world["supervisor"])
    page = client.get("/monitoring/dashboard/", {"month": "2026-11"})
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "<script" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "长丰县" in text
    export = client.get("/monitoring/dashboard/export.xlsx", {"month": "2026-11"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(export.content))["各地情况"]
    # 长丰县: 12 departments expected, 公安 delivered; 3 signals, each with its action opened.
    assert [c.value for c in sheet[2]][:6] == ["长丰县", 12, 1, 3, 3, 0]
    bad = client.get("/monitoring/dashboard/", {"month": "2026-13"}, follow=True)
    assert "数据月份“2026-13”应为 YYYY-MM 格式" in bad.content.decode()


def test_a_concluded_visit_counts_as_closed_with_its_days(world):
    feed(world)
    lead = Signal.objects.get(name="王大山").lead
    # The lead concluded 5 days after the signal was found (state as discovery's services leave it).
    Lead.objects.filter(pk=lead.pk).update(state=LeadState.CLOSED, concluded_on=TODAY + timedelta(days=5))
    stats = dashboard.monthly(world["officer"], MONTH, TODAY + timedelta(days=60))
    totals = stats.totals
    assert (totals.signals, totals.actions, totals.closed, totals.median_days) == (3, 3, 1, 5)
    # 60 days on, the placing task's 15 working days have passed; the death's recheck (3 months) has not.
    assert totals.overdue == 1
    by_name = {a.name: a for a in stats.per_area}
    assert by_name["庄墓镇"].closed == 1 and by_name["县级待安排"].overdue == 1 and by_name["水湖镇"].overdue == 0


def test_the_register_lists_the_beneficiary_with_its_source(client, world):
    client.force_login(world["head"])
    page = client.get("/monitoring/register/", {"category": "dibao"}).content.decode()
    assert "李秀英" in page and "低保审核确认" in page
    assert client.get("/monitoring/register/", {"category": "nonsense"}).status_code == 404


def test_an_upload_with_a_bad_row_is_refused_in_chinese_and_keeps_nothing(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["officer"])
    bad = SimpleUploadedFile("公安.csv", csv_bytes(f"{stranger_id()},某,flood,2026-11-03,,"), content_type="text/csv")
    page = client.post("/monitoring/upload/", {"department": world["police"].pk, "county": world["county"].code, "month": "2026-11", "file": bad})
    assert page.status_code == 200 and "事项代码“flood”不是已登记的比对事项" in page.content.decode()
    assert not Signal.objects.exists()
    good = SimpleUploadedFile("公安.csv", csv_bytes(f"{member_id(world['beneficiary_home'])},李秀英,hukou_out,2026-11-03,,"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post("/monitoring/upload/", {"department": world["police"].pk, "county": world["county"].code, "month": "2026-11", "file": good})
    assert done.status_code == 302 and Signal.objects.get().recheck is not None  # eager Celery opened the recheck


def test_a_department_pushes_with_its_token_and_a_wrong_token_is_refused(client, world, django_capture_on_commit_callbacks):
    token = services.issue_token(world["health"])
    data = csv_bytes(f"{member_id(world['other_home'])},王大山,serious_illness,2026-11-10,,")
    upload = {"county": world["county"].code, "month": "2026-11", "file": SimpleUploadedFile("f.csv", data)}
    assert client.post("/api/monitoring/feeds/", upload, HTTP_AUTHORIZATION="Department wrong").status_code == 401
    assert not Signal.objects.exists()  # refused before the file was read
    upload["file"] = SimpleUploadedFile("f.csv", data)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/api/monitoring/feeds/", upload, HTTP_AUTHORIZATION=f"Department {token}")
    assert first.status_code == 201 and first.json()["signals"] == 1
    upload["file"] = SimpleUploadedFile("f.csv", data)
    again = client.post("/api/monitoring/feeds/", upload, HTTP_AUTHORIZATION=f"Department {token}")
    assert again.status_code == 200 and again.json()["feed"] == first.json()["feed"]
    assert Signal.objects.get().lead is not None
    layout = client.get("/api/monitoring/layout/").json()
    assert [c["name"] for c in layout["columns"]] == ["id_number", "name", "event", "event_date", "amount", "detail"]


def test_a_new_token_replaces_the_old_one(client, world):
    out = StringIO()
    call_command("issue_department_token", "health", stdout=out)
    old = out.getvalue().strip()
    call_command("issue_department_token", "health", stdout=StringIO())
    upload = {"county": world["county"].code, "month": "2026-11", "file": SimpleUploadedFile("f.csv", csv_bytes(f"{stranger_id()},某,disaster,2026-11-03,,"))}
    assert client.post("/api/monitoring/feeds/", upload, HTTP_AUTHORIZATION=f"Department {old}").status_code == 401
    assert not Signal.objects.exists()
    with pytest.raises(CommandError, match="没有部门代码"):
        call_command("issue_department_token", "nobody")
