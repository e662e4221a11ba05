"""A year without an official holiday calendar: found ahead of time, announced to the
administrators, loaded through the admin (DESIGN §4.4)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.factories import COUNTY, PROVINCE, TOWNSHIP_A, make_regions, make_user
from workflows.core.models import StaffRole
from workflows.engine.calendar_watch import warn_missing_calendar
from workflows.policy import calendar, holiday_import
from workflows.policy.models import HolidayCalendar, HolidayYear

pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]

# Years far beyond any chinesecalendar release, loaded by the tests themselves.
YEAR = 2098


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def load(text: str) -> None:
    holiday_import.save(holiday_import.parse(text))


def test_missing_years_looks_one_quarter_ahead():
    load(f"year: {YEAR}\nholiday {YEAR}-01-01 元旦\n")
    assert calendar.missing_years(date(YEAR, 9, 1)) == []  # 92 days: up to 2 December
    assert calendar.missing_years(date(YEAR, 10, 1)) == [YEAR + 1]
    assert calendar.missing_years(date(YEAR + 1, 3, 1)) == [YEAR + 1]
    load(f"year: {YEAR + 1}\nholiday {YEAR + 1}-01-01 元旦\n")
    assert calendar.missing_years(date(YEAR, 10, 1)) == []


@pytest.fixture
def admins():
    make_regions()
    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    keeper = make_user("keeper")
    keeper.user_permissions.add(Permission.objects.get(content_type__app_label="policy", codename="add_holidayyear"))
    clerk = make_user("clerk", "township_clerk", TOWNSHIP_A)
    return root, keeper, clerk


def test_administrators_are_told_once_a_week(admins):
    root, keeper, clerk = admins
    load(f"year: {YEAR}\nholiday {YEAR}-01-01 元旦\n")
    assert warn_missing_calendar(f"{YEAR}-09-01") == 0
    assert warn_missing_calendar(f"{YEAR}-11-27") == 2
    notes = Notification.objects.filter(kind="calendar_missing")
    assert sorted(notes.values_list("user__username", flat=True)) == ["keeper", "root"]
    note = notes.first()
    assert note.title == f"请导入{YEAR + 1}年法定节假日安排"
    assert f"自{YEAR + 1}年1月1日起" in note.body
    assert note.link == reverse("admin:policy_holidayyear_import")
    # The same week again (the job runs daily): nothing new. The next week: a reminder.
    warn_missing_calendar(f"{YEAR}-11-28")
    assert notes.count() == 2
    warn_missing_calendar(f"{YEAR}-12-01")
    assert notes.count() == 4
    load(f"year: {YEAR + 1}\nholiday {YEAR + 1}-01-01 元旦\n")
    assert warn_missing_calendar(f"{YEAR}-12-08") == 0
    assert notes.count() == 4


GOOD = f"""# 测试用安排（虚构）
year: {YEAR}
source: 测试通知
holiday {YEAR}-01-01 元旦
holiday {YEAR}-02-05..{YEAR}-02-07 春节
workday {YEAR}-02-09 春节调休
"""


def upload(client, content: bytes, name="holidays.txt"):
    return client.post(reverse("admin:policy_holidayyear_import"), {"file": SimpleUploadedFile(name, content, "text/plain")})


def test_admin_imports_a_year_after_showing_it(client, admins):
    client.force_login(admins[0])
    page = client.get(reverse("admin:policy_holidayyear_changelist")).content.decode()
    assert "导入节假日安排" in page
    preview = upload(client, GOOD.encode())
    assert preview.status_code == 200
    text = preview.content.decode()
    assert f"确认导入 {YEAR} 年法定节假日安排" in text and "休息日 <strong>4</strong> 天" in text and "春节调休" in text
    assert not HolidayYear.objects.filter(year=YEAR).exists()  # nothing saved before confirming
    done = client.post(reverse("admin:policy_holidayyear_import"), {"text": GOOD}, follow=True)
    assert f"已导入 {YEAR} 年节假日安排：休息日 4 天，调休上班日 1 天（依据：测试通知）" in done.content.decode()
    assert HolidayYear.objects.get(year=YEAR).source == "测试通知"
    assert HolidayCalendar.objects.filter(day__year=YEAR).count() == 5
    assert calendar.is_working_day(date(YEAR, 2, 9)) and not calendar.is_working_day(date(YEAR, 2, 6))
    listed = client.get(reverse("admin:policy_holidayyear_changelist"))
    assert [(y.year, y.rest, y.make_up) for y in listed.context["cl"].result_list] == [(YEAR, 4, 1)]
    # Importing the year again says it replaces what is there.
    assert "确认后将整体替换原有安排" in upload(client, GOOD.encode()).content.decode()


@pytest.mark.parametrize(
    "content, message",
    [
        ("year: 2098\nholiday 2098-02-30 错误日期\nworkday 2098-01-06 周一\n".encode(), ["第 2 行：日期不存在", "第 3 行：2098-01-06 是星期一"]),
        ("year: 2098\nholiday 2098-01-01 元旦\n".encode("gbk"), ["文件不是 UTF-8 编码"]),
        (b"", ["提交的是空文件"]),
        (b"x" * (65 * 1024), ["文件过大"]),
    ],
)
def test_a_bad_file_is_refused_with_every_error_and_nothing_saved(client, admins, content, message):
    client.force_login(admins[0])
    page = upload(client, content).content.decode()
    for text in message:
        assert text in page
    assert not HolidayYear.objects.exists() and not HolidayCalendar.objects.exists()


def test_a_changed_text_at_confirmation_is_checked_again(client, admins):
    client.force_login(admins[0])
    page = client.post(reverse("admin:policy_holidayyear_import"), {"text": f"year: {YEAR}\nholiday {YEAR}-13-01 x\n"}).content.decode()
    assert f"第 2 行：日期不存在：{YEAR}-13-01" in page
    assert not HolidayYear.objects.exists()


def test_whoever_is_reminded_may_import(client, admins):
    keeper = admins[1]  # holds policy.add_holidayyear only, and gets the weekly reminder
    StaffRole.objects.create(user=keeper, role="administrator", region_id=PROVINCE)  # the admin is for administrators
    client.force_login(keeper)
    upload(client, GOOD.encode())
    client.post(reverse("admin:policy_holidayyear_import"), {"text": GOOD})
    assert HolidayYear.objects.get(year=YEAR).source == "测试通知"


def test_staff_without_the_permission_cannot_import(client, admins):
    clerk = admins[2]
    StaffRole.objects.create(user=clerk, role="administrator", region_id=COUNTY)  # an administrator, without the permission
    client.force_login(clerk)
    assert upload(client, GOOD.encode()).status_code == 403
    assert client.post(reverse("admin:policy_holidayyear_import"), {"text": GOOD}).status_code == 403
    assert not HolidayYear.objects.exists()


def test_a_provisional_year_is_announced_as_such(admins):
    """2027 (after chinesecalendar's last year) is answered from the law: the administrators
    are asked for the notice, not told that nothing works."""
    assert calendar.provisional_years(date(2026, 12, 1)) == [2027] and calendar.missing_years(date(2026, 12, 1)) == []
    assert warn_missing_calendar("2026-12-01") == 2
    note = Notification.objects.get(kind="calendar_provisional", user=admins[0])
    assert note.title == "2027年节假日按法定假日暂定，请导入国务院通知"
    assert "暂定" in note.body and note.link == reverse("admin:policy_holidayyear_import")
    assert not Notification.objects.filter(kind="calendar_missing").exists()
    warn_missing_calendar("2026-12-02")
    assert Notification.objects.filter(kind="calendar_provisional").count() == 2  # once a week


def test_an_administrator_logging_in_is_told_without_beat(client, admins, monkeypatch, eager_celery):
    """The embedded mode runs no beat: a login runs the weekly check, and the import page
    says it all year. (Eager even in the services run: the worker could not see this test's
    transaction, nor its patched date.)"""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2026, 12, 1))
    client.login(username="clerk", password="pw-12345")
    assert not Notification.objects.exists()  # not an administrator
    client.login(username="keeper", password="pw-12345")
    assert sorted(Notification.objects.filter(kind="calendar_provisional").values_list("user__username", flat=True)) == ["keeper", "root"]
    client.force_login(admins[0])
    page = client.get(reverse("admin:policy_holidayyear_changelist")).content.decode()
    assert "2027年节假日按法定假日暂定，请导入国务院通知" in page
    assert "尚未导入：办理期限一旦跨入该年就无法计算" not in page


def test_the_admin_refuses_the_shipped_sample(client, admins):
    from pathlib import Path

    client.force_login(admins[0])
    sample = Path(calendar.__file__).parent / "holidays" / "2027.sample.txt"
    page = upload(client, sample.read_bytes(), "2027.sample.txt").content.decode()
    assert "这是格式示例文件" in page and "不能导入" in page
    assert "确认导入" not in page
    # Pasted at the confirmation step instead: refused there too.
    page = client.post(reverse("admin:policy_holidayyear_import"), {"text": sample.read_text(encoding="utf-8")}).content.decode()
    assert "这是格式示例文件" in page
    assert not HolidayYear.objects.exists() and not HolidayCalendar.objects.exists()
