"""The month's petition figures, their page, Excel export and 月度通报 (docs/policy.md
"Petitions": 信访工作条例 art 21, the information system's figures; arts 23, 34–36, the clocks;
arts 44–45, overruns are accountable; M14, 12345 call-back and repeat petitions).

One county (长丰县: 水湖镇, 庄墓镇 and the county's own office) and one other county (肥东县),
with petitions of known dates and states in last month (M, which has ended), one before M
answered in M, one wholly before M, and an open 复查 past its 30 日. Every expected figure
below is worked out by hand in the comments from the petitions as listed in ``county``.
"""

import io
import itertools
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from documents.models import Notice
from tests.factories import CITY, make_user
from tests.helpers import pdf_text
from workflows.petitions import statistics
from workflows.petitions.models import Petition, PetitionReview

from .conftest import COUNTY, OTHER_COUNTY, TOWNSHIP_A, TOWNSHIP_B, receive

pytestmark = pytest.mark.django_db

URL = "/petitions/statistics/"
_orders = itertools.count(1)


def last_month(today):
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return start, f"{start:%Y-%m}", f"{start.year}年{start.month}月"


def called(day, how: str) -> dict:
    """A 12345 order called back on ``day`` and closed."""
    return {"callback_on": day, "satisfaction": how, "closed_on": day}


def make(body, received, state, *, channel="window", kind="claim", category="dibao_stopped", **fields) -> Petition:
    extra = {"work_order": f"3401{next(_orders):08d}"} if channel == "hotline" else {}
    process = receive(body, channel=channel, kind=kind, category=category, received_on=received, **extra)
    Petition.objects.filter(pk=process.petition.pk).update(state=state, **fields)
    return Petition.objects.get(pk=process.petition.pk)


@pytest.fixture
def county(world):
    today = timezone.localdate()
    s, key, label = last_month(today)

    def d(n):  # the day M+n
        return s + timedelta(days=n)

    late = today - timedelta(days=1)
    # 水湖镇
    make(TOWNSHIP_A, d(0), "replied", accepted_on=d(2), replied_on=d(10))  # p1: answered in 10 days
    make(TOWNSHIP_A, d(1), "closed", kind="accusation", category="conduct", channel="letter", accepted_on=d(3), replied_on=d(21), closed_on=d(27))  # p2: 20
    make(TOWNSHIP_A, d(2), "closed", channel="hotline", category="dibao_refused", accepted_on=d(2), replied_on=d(5), **called(d(6), "satisfied"))  # p3: 3
    make(TOWNSHIP_A, d(3), "closed", channel="hotline", accepted_on=d(3), replied_on=d(8), well_founded=False, **called(d(9), "unsatisfied"))  # p4: 5
    make(TOWNSHIP_A, d(4), "registered", channel="online", kind="suggestion", category="policy", repeat=True, acceptance_due=late)  # p5: not routed in time
    # 庄墓镇
    make(TOWNSHIP_B, d(5), "accepted", category="relief", accepted_on=d(6), handling_due=late)  # p6: not answered in 60 日
    make(TOWNSHIP_B, d(6), "accepted", channel="hotline", accepted_on=d(6), hotline_due=late)  # p7: 12345 order past its days
    make(TOWNSHIP_B, d(7), "closed", channel="hotline", category="payment", repeat=True, accepted_on=d(7), replied_on=d(9), **called(d(10), "basic"))  # p8: 2
    make(TOWNSHIP_B, d(8), "forwarded", channel="letter", route="forward", closed_on=d(9))  # p9: forwarded, not ours to answer
    # 长丰县本级
    make(COUNTY, d(9), "replied", category="dibao_refused", accepted_on=d(10), replied_on=d(19))  # p10: 10
    # Before M: p11 answered in M (42 days), p12 wholly before M, with its 复查 at the county past due.
    make(TOWNSHIP_A, d(-40), "closed", accepted_on=d(-38), replied_on=d(2), closed_on=d(3))
    p12 = make(TOWNSHIP_A, d(-60), "closed", channel="letter", accepted_on=d(-58), replied_on=d(-10), closed_on=d(-8))
    PetitionReview.objects.create(
        petition=p12, level="recheck", body_id=COUNTY, reply_received_on=d(-9), requested_on=d(-8), request="对答复不服，请求复查", due_on=late
    )
    # 肥东县: one petition in M, in hand within its 60 日.
    make(OTHER_COUNTY, d(3), "accepted", channel="phone", accepted_on=d(4), handling_due=today + timedelta(days=30))
    return {**world, "today": today, "key": key, "label": label, "start": s}


def by_key(lines):
    return {line.key: line.count for line in lines}


def test_the_months_figures_of_a_county(county):
    s = county["start"]
    stats = statistics.monthly(county["po_county"], s.year, s.month, county["today"])
    t = stats.totals
    # Received in M: p1–p10 (p11, p12 came before M; 肥东县's is not the county's).
    assert t.received == 10
    # Accepted in M: p1, p2, p3, p4, p6, p7, p8, p10 (p5 still registered, p9 forwarded).
    assert t.accepted == 8
    # Answered in M: p1, p2, p3, p4, p8, p10 and p11 (received before M).
    assert t.closed == 7
    # Days to the answer: 10 + 20 + 3 + 5 + 2 + 10 + 42 = 92; 92 / 7 = 13.14 → 13.1.
    assert str(t.avg_days) == "13.1"
    # 12345 called back in M: p3 满意, p4 不满意, p8 基本满意: 2 / 3 = 66.7%.
    assert (t.called_back, t.satisfied, str(t.satisfaction_rate)) == (3, 2, "66.7")
    # Repeats among those received: p5, p8: 2 / 10 = 20.0%.
    assert (t.repeats, str(t.repeat_rate)) == (2, "20.0")
    # Overdue today: p5 (受理告知), p6 (办理), p7 (12345), p12's 复查.
    assert by_key(stats.overdue_by_clock) == {"acceptance": 1, "handling": 1, "hotline": 1, "review": 1}
    assert t.overdue == 4
    channels = by_key(stats.by_channel)
    assert (channels["window"], channels["letter"], channels["hotline"], channels["online"]) == (3, 2, 4, 1)  # p1 p6 p10; p2 p9; p3 p4 p7 p8; p5
    assert sum(channels.values()) == 10
    assert by_key(stats.by_kind) == {"claim": 8, "accusation": 1, "suggestion": 1}
    # 低保停发或减发: p1 p4 p7 p9; 低保申请未获批准: p3 p10; then one each.
    assert [(line.label, line.count) for line in stats.hot_matters[:2]] == [("低保停发或减发", 4), ("低保申请未获批准", 2)]
    assert len(stats.hot_matters) == 5


def test_per_township_rows_and_the_county_office(county):
    s = county["start"]
    stats = statistics.monthly(county["po_county"], s.year, s.month, county["today"])
    rows = {a.name: a for a in stats.per_area}
    assert set(rows) == {"长丰县本级", "水湖镇", "庄墓镇"}
    a, b, own = rows["水湖镇"], rows["庄墓镇"], rows["长丰县本级"]
    # 水湖镇: p1–p5 received; p1–p4 accepted; p1–p4 and p11 answered, (10+20+3+5+42)/5 = 16.0;
    # called back p3 满意, p4 不满意: 50.0%; p5 a repeat: 1/5; p5 overdue.
    assert (a.received, a.accepted, a.closed, str(a.avg_days), str(a.satisfaction_rate), str(a.repeat_rate), a.overdue) == (5, 4, 5, "16.0", "50.0", "20.0", 1)
    # 庄墓镇: p6–p9 received; p6 p7 p8 accepted; p8 answered in 2; p8 基本满意; p8 a repeat: 1/4;
    # p6 and p7 overdue.
    assert (b.received, b.accepted, b.closed, str(b.avg_days), str(b.satisfaction_rate), str(b.repeat_rate), b.overdue) == (4, 3, 1, "2.0", "100.0", "25.0", 2)
    # The county's own office: p10 answered in 10; the 复查 it holds is overdue; no call-back.
    assert (own.received, own.closed, str(own.avg_days), own.satisfaction_rate, own.overdue) == (1, 1, "10.0", None, 1)


def test_monthly_figures_take_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    s = county["start"]
    with django_assert_max_num_queries(10):
        statistics.monthly(county["po_county"], s.year, s.month, county["today"])


def test_a_city_reader_gets_one_row_per_county(county):
    s = county["start"]
    stats = statistics.monthly(make_user("sup_city", "supervisor", CITY), s.year, s.month, county["today"])
    rows = {a.name: a for a in stats.per_area}
    assert set(rows) == {"长丰县", "肥东县"}
    assert (rows["长丰县"].received, rows["长丰县"].closed, rows["长丰县"].overdue) == (10, 7, 4)
    # 肥东县's phone call, in hand within its 60 日.
    assert (rows["肥东县"].received, rows["肥东县"].overdue) == (1, 0)
    assert stats.totals.received == 11


def test_the_page_for_a_county_officer_and_a_city_supervisor(client, county):
    client.force_login(county["po_county"])
    page = client.get(URL, {"month": county["key"]})
    assert page.status_code == 200
    text = page.content.decode()
    assert f"长丰县{county['label']}" in text and "水湖镇" in text and "庄墓镇" in text
    assert re.search(r"<td>12345政务服务便民热线</td><td class=\"wj-num\">4</td>", text)
    assert "印发" in text  # the month has ended: the county may issue its bulletin
    client.force_login(make_user("sup_city", "supervisor", CITY))
    page = client.get(URL, {"month": county["key"]})
    assert page.status_code == 200
    assert "肥东县" in page.content.decode() and "长丰县" in page.content.decode()


def test_another_countys_officer_sees_none_of_this_countys_petitions(client, county):
    s = county["start"]
    stats = statistics.monthly(county["po_other"], s.year, s.month, county["today"])
    assert stats.totals.received == 1 and stats.totals.overdue == 0
    assert [a.name for a in stats.per_area] == ["肥东县本级"]
    client.force_login(county["po_other"])
    text = client.get(URL, {"month": county["key"]}).content.decode()
    assert "水湖镇" not in text and "长丰县" not in text


def test_a_township_officer_sees_the_township_only(county):
    s = county["start"]
    stats = statistics.monthly(county["po_a"], s.year, s.month, county["today"])
    assert (stats.totals.received, stats.totals.closed) == (5, 5)
    assert [a.name for a in stats.per_area] == ["水湖镇"]


@pytest.mark.parametrize("month", ["2026-13", "十一月", "26-1", "1999-12"])
def test_a_bad_month_is_answered_in_chinese(client, county, month):
    client.force_login(county["po_county"])
    page = client.get(URL, {"month": month})
    assert page.status_code == 400
    assert "月份格式不正确" in page.content.decode()


def test_a_month_to_come_is_refused(client, county):
    client.force_login(county["po_county"])
    ahead = (county["today"].replace(day=1) + timedelta(days=40)).strftime("%Y-%m")
    page = client.get(URL, {"month": ahead})
    assert page.status_code == 400 and "尚未到来" in page.content.decode()


def test_staff_without_the_permission_are_refused(client, county):
    client.force_login(county["caseworker"])
    assert client.get(URL).status_code == 403


def test_the_export_carries_the_same_figures(client, county):
    client.force_login(county["po_county"])
    response = client.get("/petitions/statistics/export.xlsx", {"month": county["key"]})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["总体情况"].iter_rows(values_only=True)}
    assert summary["登记（件）"] == 10 and summary["受理（件）"] == 8 and summary["办结（件）"] == 7
    assert summary["平均办理时长（日）"] == 13.1 and summary["满意率（%）"] == 66.7 and summary["重复信访率（%）"] == 20.0
    channels = dict(book["来源渠道"].iter_rows(min_row=2, values_only=True))
    assert channels["12345政务服务便民热线"] == 4 and channels["来访（窗口接待）"] == 3
    areas = {row[0]: row[1:] for row in book["各地区情况"].iter_rows(min_row=2, values_only=True)}
    assert areas["水湖镇"] == (5, 4, 5, 1, 16.0, 50.0, 20.0)
    assert areas["庄墓镇"][:4] == (4, 3, 1, 2)


def test_the_bulletin_is_issued_once_and_shows_the_month(client, county):
    client.force_login(county["po_county"])
    response = client.post("/petitions/statistics/bulletin/", {"month": county["key"]})
    notice = Notice.objects.get(kind="petition_bulletin")
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/pdf/"
    assert notice.case_key == f"petition_bulletin:{COUNTY}:{county['key']}" and notice.issuer.name == "长丰县民政局"
    assert client.post("/petitions/statistics/bulletin/", {"month": county["key"]})["Location"] == f"/notices/{notice.pk}/pdf/"
    assert Notice.objects.filter(kind="petition_bulletin").count() == 1
    pdf = b"".join(client.get(response["Location"]).streaming_content)
    text = pdf_text(pdf, layout=True)
    flat = "".join(text.split())
    assert f"长丰县{county['label']}" in flat
    assert re.search(r"12345政务服务便民热线\s+4\b", text)
    assert "登记信访事项10件" in flat and "办结7件" in flat and "超期4件" in flat and "满意率66.7%" in flat
    assert re.search(r"水湖镇\s+5\s+5\s+1\s+16\.0\s+50\.0%\s+20\.0%", text)


def test_a_city_supervisor_issues_the_citys_bulletin(client, county):
    client.force_login(make_user("sup_city", "supervisor", CITY))
    response = client.post("/petitions/statistics/bulletin/", {"month": county["key"]})
    notice = Notice.objects.get(kind="petition_bulletin")
    assert notice.issuer.name == "合肥市民政局" and notice.region_code == CITY
    text = pdf_text(b"".join(client.get(response["Location"]).streaming_content), layout=True)
    assert re.search(r"长丰县\s+10\s+7\s+4", text) and re.search(r"肥东县\s+1\s+0\s+0", text)


def test_no_bulletin_for_the_month_in_progress_or_a_township(client, county):
    client.force_login(county["po_county"])
    response = client.post("/petitions/statistics/bulletin/", {"month": f"{county['today']:%Y-%m}"}, follow=True)
    assert "本月尚未结束" in response.content.decode()
    client.force_login(county["po_a"])
    response = client.post("/petitions/statistics/bulletin/", {"month": county["key"]}, follow=True)
    assert "不能印发通报" in response.content.decode()
    assert not Notice.objects.filter(kind="petition_bulletin").exists()


def test_a_supervisor_reaches_the_figures_from_the_desk_and_is_not_sent_to_petitions(client, county):
    """A supervisor reads the figures, not the petitions: the desk links the page, and the
    page links none of the petition lists (each would answer 403)."""
    client.force_login(make_user("sup_city", "supervisor", CITY))
    desk = client.get("/", follow=True).content.decode()
    assert f'href="{URL}"' in desk
    page = client.get(URL, {"month": county["key"]}).content.decode()
    assert 'href="/petitions/"' not in page and 'href="/petitions/repeats/"' not in page
    assert client.get("/petitions/repeats/").status_code == 403
    client.force_login(county["po_county"])
    assert 'href="/petitions/repeats/"' in client.get(URL, {"month": county["key"]}).content.decode()
