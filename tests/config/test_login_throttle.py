"""Login throttling: wrong passwords lock a username at one address until the cool-off ends or
an administrator unlocks it; the lock-out is said in Chinese on the login page."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

LOGIN = "/accounts/login/"
LOCKED = "登录失败次数过多，账号已暂时锁定"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("lin", password="correct-horse-battery", first_name="林芳", is_staff=True)


def _post(client, password, username="lin", url=LOGIN):
    return client.post(url, {"username": username, "password": password})


def _logged_in(client):
    return "_auth_user_id" in client.session


def _fail(client, times, **kwargs):
    for _ in range(times):
        response = _post(client, "wrong-password", **kwargs)
        assert not _logged_in(client)
    return response


def test_six_wrong_passwords_lock_out_the_right_one(officer):
    client = Client()
    _fail(client, 6)
    response = _post(client, "correct-horse-battery")
    assert not _logged_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page and "15 分钟" in page
    assert 'name="username"' in page and 'value="lin"' in page  # the login form again, input kept
    assert "请输入一个正确的" not in page  # not "wrong password": it may have been right


def test_fewer_failures_then_success_reset_the_count(officer):
    client = Client()
    _fail(client, 4)
    assert _post(client, "correct-horse-battery").status_code == 302 and _logged_in(client)
    client.logout()
    _fail(client, 4)  # counted from zero again: 4 more do not lock
    _post(client, "correct-horse-battery")
    assert _logged_in(client)


def test_lock_ends_after_the_cool_off(officer):
    client = Client()
    _fail(client, 6)
    assert _post(client, "correct-horse-battery").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    _post(client, "correct-horse-battery")
    assert _logged_in(client)


def test_administrator_unlocks_in_the_admin(officer):
    client = Client()
    _fail(client, 6)
    admin = get_user_model().objects.create_superuser("root", password="unused-admin-pw")
    admin_client = Client()
    admin_client.force_login(admin)
    changelist = admin_client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "lin" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="lin")
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    _post(client, "correct-horse-battery")
    assert _logged_in(client)


def test_a_stranger_elsewhere_does_not_lock_out_the_officer(officer):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    _fail(stranger, 10)
    assert _post(stranger, "correct-horse-battery").status_code == 429
    at_her_desk = Client(REMOTE_ADDR="10.1.2.3")
    _post(at_her_desk, "correct-horse-battery")
    assert _logged_in(at_her_desk)


def test_a_forged_forwarded_for_gives_no_fresh_address(officer):
    client = Client()
    for n in range(6):
        client.post(LOGIN, {"username": "lin", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"8.8.4.{n + 1}")
    response = client.post(LOGIN, {"username": "lin", "password": "correct-horse-battery"}, HTTP_X_FORWARDED_FOR="8.8.4.77")
    assert response.status_code == 429 and not _logged_in(client)


def test_the_admin_login_is_throttled_too(officer):
    client = Client()
    _fail(client, 6, url="/admin/login/")
    response = _post(client, "correct-horse-battery", url="/admin/login/")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert not _logged_in(client)


def test_test_client_login_without_a_request_still_works(officer):
    client = Client()
    assert client.login(username="lin", password="correct-horse-battery")
    assert not client.login(username="lin", password="wrong-password")
