"""The demo clock: in demo mode an administrator moves time forward and what falls due runs;
outside demo mode the page is 404 and the command refuses."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import TOWNSHIP_A, make_regions, make_user
from tests.workflows.application.test_application_flow import run_to_publicity, world  # noqa: F401 - fixture
from workflows.application.models import Application
from workflows.demo import clock
from workflows.demo.models import DemoClock

# run_to_publicity waits for the verification job, which runs once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_mode(settings):
    settings.WJZ_DEMO_MODE, settings.DEBUG = True, True
    yield
    clock.reset()


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="admin12345", first_name="管理员")


def forward(client, days):
    return client.post(reverse("demo:clock"), {"days": days})


def test_seven_days_end_a_publicity_begun_the_day_before_and_not_one_begun_today(client, world, wait_until, demo_mode, admin):
    process = run_to_publicity(client, world, wait_until)
    application = Application.objects.get()
    assert application.state == "publicized" and application.publicity_ends == timezone.localdate() + timedelta(days=7)

    client.force_login(admin)
    response = forward(client, 7)
    assert response.status_code == 200
    page = response.content.decode()
    assert "已快进到" in page and f"{application.publicity_ends:%Y年%-m月%-d日}" in page
    application.refresh_from_db()
    # Begun today, the 公示 runs to the end of its seventh day: still open on that day.
    assert timezone.localdate() == application.publicity_ends
    assert application.state == "publicized"

    forward(client, 1)
    application.refresh_from_db()
    assert application.state == "awaiting_review"
    assert process.task_set.filter(flow_task__endswith="await_review", status="NEW").exists()
    assert DemoClock.objects.get().offset_days == 8
    # The record tells a true story: the window closed after its last day.
    assert application.publicity_ends < timezone.localdate()


def test_the_page_lists_open_timers_and_refuses_bad_input(client, world, wait_until, demo_mode, admin):
    run_to_publicity(client, world, wait_until)
    client.force_login(admin)
    page = client.get(reverse("demo:clock")).content.decode()
    assert "演示：快进 N 天" in page and "公示期" in page and "需快进" in page
    for bad, message in [("", "请填写快进天数"), ("abc", "快进天数应为整数"), ("0", "至少为 1 天"), ("61", "一次最多快进 60 天"), ("-3", "至少为 1 天")]:
        response = forward(client, bad)
        assert response.status_code == 200 and message in response.content.decode(), bad
        assert f'value="{bad}"' in response.content.decode()  # the input is kept
    assert not DemoClock.objects.exists() or DemoClock.objects.get().offset_days == 0
    assert Application.objects.get().state == "publicized"


def test_the_toolbar_links_the_page_for_administrators_only(client, demo_mode, admin):
    client.force_login(admin)
    assert reverse("demo:clock") in client.get("/notifications/").content.decode()
    make_regions()
    clerk = make_user("clerk_a", "township_clerk", TOWNSHIP_A)
    client.force_login(clerk)
    assert reverse("demo:clock") not in client.get("/notifications/").content.decode()
    assert client.get(reverse("demo:clock")).status_code == 404
    assert forward(client, 3).status_code == 404


def test_outside_demo_mode_the_page_is_404_and_the_command_refuses(client, admin, settings):
    settings.WJZ_DEMO_MODE = False
    client.force_login(admin)
    assert client.get(reverse("demo:clock")).status_code == 404
    assert forward(client, 7).status_code == 404
    assert reverse("demo:clock") not in client.get("/notifications/").content.decode()
    with pytest.raises(CommandError, match="演示模式"):
        call_command("demo_fast_forward", "7", stdout=StringIO())
    # Demo mode without DEBUG (a production setting) is refused just the same.
    settings.WJZ_DEMO_MODE, settings.DEBUG = True, False
    assert client.get(reverse("demo:clock")).status_code == 404
    with pytest.raises(CommandError, match="演示模式"):
        call_command("demo_fast_forward", "7", stdout=StringIO())
    assert not DemoClock.objects.exists()


def test_settings_refuse_demo_mode_without_debug():
    import subprocess
    import sys

    from django.conf import settings

    # A real key, so that what stops the start is demo mode and not the development key.
    env = {"WJZ_DEMO_MODE": "1", "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k7Qw-2xZp9Lr4Tn8Vb1Hc6Jd3Fs5Gm0Ya_Ue7Ri2Ow4Pq9Ls1Kx", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "生产环境不得开启" in result.stderr
