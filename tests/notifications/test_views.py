"""The bell, the list and the preferences page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import ChannelPreference, Notification

pytestmark = pytest.mark.django_db


def make_notes(user, n, read=0, prefix="通知"):
    from django.utils import timezone

    notes = [
        Notification(user=user, kind="task_assigned", title=f"{prefix}{i}", body="正文", link=f"/workflow/t/{i}/", idempotency_key=f"{user.pk}:{prefix}{i}")
        for i in range(n)
    ]
    Notification.objects.bulk_create(notes)
    ids = list(Notification.objects.filter(user=user).order_by("pk").values_list("pk", flat=True)[:read])
    Notification.objects.filter(pk__in=ids).update(read_at=timezone.now())


def notification_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in ctx.captured_queries if "notifications_notification" in q["sql"]]


def test_bell_shows_unread_count_with_one_query(client, alice, bob):
    make_notes(alice, 5, read=2)
    make_notes(bob, 4, prefix="他人")
    client.force_login(alice)
    html, queries = notification_queries(client, "/home/")
    assert len(queries) == 1 and "COUNT(" in queries[0].upper()
    assert 'href="/notifications/"' in html and 'class="wj-bell__count"' in html
    assert "3 条未读通知" in html


def test_bell_without_unread(client, alice):
    client.force_login(alice)
    html, queries = notification_queries(client, "/home/")
    assert len(queries) == 1
    assert "wj-bell__count" not in html and "notifications_none" in html


def test_list_runs_constant_queries(client, alice):
    client.force_login(alice)
    make_notes(alice, 3)
    _, few = notification_queries(client, "/notifications/")
    make_notes(alice, 20, prefix="更多")
    _, many = notification_queries(client, "/notifications/")
    assert len(few) == len(many) <= 3


def test_list_is_own_newest_first_unread_highlighted(client, alice, bob):
    make_notes(alice, 3, read=1)
    make_notes(bob, 1, prefix="他人")
    client.force_login(alice)
    html = client.get("/notifications/").content.decode()
    assert "他人" not in html
    assert html.index("通知2") < html.index("通知1") < html.index("通知0")
    assert html.count("wj-notice wj-notice--unread") == 2
    assert "全部标为已读" in html and "/workflow/t/2/" in html


def test_other_users_notification_is_404(client, alice, bob):
    make_notes(bob, 1, prefix="他人")
    theirs = Notification.objects.get(user=bob)
    client.force_login(alice)
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    client.post("/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_goes_to_the_task(client, alice):
    make_notes(alice, 2)
    first, second = Notification.objects.filter(user=alice).order_by("pk")
    client.force_login(alice)
    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/workflow/t/0/"
    assert client.post(f"/notifications/{second.pk}/read/").status_code == 302
    assert Notification.objects.filter(user=alice, read_at__isnull=True).count() == 0


def test_open_never_redirects_off_site(client, alice):
    note = Notification.objects.create(user=alice, kind="x", title="t", link="https://evil.example/", idempotency_key="e")
    client.force_login(alice)
    assert client.get(f"/notifications/{note.pk}/")["Location"] == "/notifications/"


def test_mark_all_read(client, alice):
    make_notes(alice, 4, read=1)
    client.force_login(alice)
    assert client.get("/notifications/read-all/").status_code == 405
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()


def test_preferences_page(client, alice):
    client.force_login(alice)
    html = client.get("/notifications/preferences/").content.decode()
    assert "站内通知始终开启" in html and "alice@example.cn" in html
    response = client.post("/notifications/preferences/", {"email": "", "sms": "on", "phone": ""})
    assert response.status_code == 200 and "开启短信通知需要填写手机号码" in response.content.decode()
    response = client.post("/notifications/preferences/", {"sms": "on", "phone": "12345"})
    assert "请输入 11 位手机号码" in response.content.decode()
    response = client.post("/notifications/preferences/", {"sms": "on", "phone": "138 0000 0001", "quiet_start": "22:00", "quiet_end": "07:00"})
    assert response.status_code == 302
    pref = ChannelPreference.objects.get(user=alice)
    assert (pref.email, pref.sms, pref.phone, str(pref.quiet_start)) == (False, True, "13800000001", "22:00:00")


def test_pages_need_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
