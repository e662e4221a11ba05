"""The Site shell: Chinese login, the landing page per role, the menu."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.factories import TOWNSHIP_A, VILLAGE_A, make_household, make_regions, make_user

pytestmark = pytest.mark.django_db


def test_login_page_is_ours_and_chinese(client):
    page = client.get("/accounts/login/").content.decode()
    assert "皖救助" in page and "用户名" in page and "密码" in page
    assert "Demo" not in page


def test_landing_page_shows_role_region_and_work(client):
    make_regions()
    make_household(VILLAGE_A)
    clerk = make_user("clerk_a", "township_clerk", TOWNSHIP_A)
    client.force_login(clerk)
    page = client.get("/", follow=True).content.decode()
    assert "乡镇经办人" in page and "水湖镇" in page
    assert "辖区家庭 <b>1</b> 户" in page
    for menu in ("工作台", "业务办理", "家庭档案"):
        assert menu in page
    assert "家庭信息变更：提出变更" in page


def test_user_without_rights_cannot_start(client):
    make_regions()
    viewer = make_user("viewer", "finance_officer", "340121000000")
    client.force_login(viewer)
    page = client.get("/", follow=True).content.decode()
    assert "家庭信息变更：提出变更" not in page


STYLESHEET = "wjz/wjz.css"


def test_staff_pages_and_login_link_the_one_stylesheet(client):
    assert finders.find(STYLESHEET), "static/wjz/wjz.css is not found by the staticfiles finders"
    link = f'<link rel="stylesheet" href="{static(STYLESHEET)}">'
    login = client.get("/accounts/login/").content.decode()
    assert login.count(link) == 1
    make_regions()
    client.force_login(make_user("clerk_a", "township_clerk", TOWNSHIP_A))
    for url in ("/", "/notifications/", "/notices/"):
        page = client.get(url, follow=True).content.decode()
        assert page.count(link) == 1, url


def test_web_templates_carry_no_inline_styles():
    """Styles live in static/wjz/wjz.css (notices: their notice.css); an inline style stays only
    where the value is known per request."""
    allowed = {("documents/templates/documents/batch_progress.html", 'style="width: {{ progress.percent }}%"')}
    root = Path(settings.BASE_DIR)
    found = set()
    for top in ("templates", "documents", "workflows", "forms", "notifications"):
        for path in (root / top).rglob("*.html"):
            for match in re.finditer(r'style="[^"]*"', path.read_text(encoding="utf-8")):
                found.add((str(path.relative_to(root)), match.group()))
    assert found == allowed
