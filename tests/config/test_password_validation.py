"""New passwords: Django's validators (similar to the user, common, all digits, under 10
characters) refuse weak ones with Chinese messages; seeded demo passwords still log in."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

URL = "/accounts/password_change/"
OLD = "old-password-xyz"


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user("chenming", password=OLD, first_name="陈明")


def _change(officer, new):
    client = Client()
    client.force_login(officer)
    return client.post(URL, {"old_password": OLD, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize(
    "weak, message",
    [
        ("12345678", "密码只包含数字。"),
        ("12345678", "这个密码太常见了。"),
        ("password", "这个密码太常见了。"),
        ("password", "密码太短，至少需要 10 个字符。"),
        ("chenming", "密码跟 用户名 太相似了。"),
        ("chenming2026", "密码跟 用户名 太相似了。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(officer, weak, message):
    response = _change(officer, weak)
    assert response.status_code == 200  # the form again, not the "done" redirect
    page = response.content.decode()
    assert message in page and "修改密码" in page and "站点管理" not in page  # ours, not the admin's look-alike
    officer.refresh_from_db()
    assert officer.check_password(OLD) and not officer.check_password(weak)


def test_a_strong_password_is_taken(officer):
    response = _change(officer, "晨光-Anhui-7Kq2")
    assert response.status_code == 302 and response["Location"].endswith("/accounts/password_change/done/")
    officer.refresh_from_db()
    assert officer.check_password("晨光-Anhui-7Kq2")


def test_the_documented_demo_passwords_still_log_in(db):
    # seed_demo sets them directly (create_user / create_superuser), past the validators.
    get_user_model().objects.create_superuser("admin", password="admin12345")
    get_user_model().objects.create_user("demo_officer", password="demo12345")
    for username, password in [("admin", "admin12345"), ("demo_officer", "demo12345")]:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302 and "_auth_user_id" in client.session
