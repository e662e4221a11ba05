import os
import time

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("WJZ_REQUIRE_SERVICES") == "1"

# The region tree and the staff the tests act as (regions, clerk_a, clerk_b, principal, ...).
pytest_plugins = ["tests.personas"]


def pytest_collection_modifyitems(config, items):
    """`services` tests skip in the embedded run; when CI asks for services they must run."""
    if REQUIRE_SERVICES:
        return
    skip = pytest.mark.skip(reason="需要 PostgreSQL/Redis/Celery 服务（设置 WJZ_REQUIRE_SERVICES=1）")
    for item in items:
        if "services" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _services_present(request):
    """Fail (not skip) the whole run when services were asked for and are not configured."""
    if not REQUIRE_SERVICES:
        return
    if not settings.IS_POSTGRES:
        pytest.fail("WJZ_REQUIRE_SERVICES=1 但 DATABASE_URL 未指向 PostgreSQL")
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("WJZ_REQUIRE_SERVICES=1 但 CELERY_BROKER_URL 未指向 Redis")
    from config.celery import app

    deadline = time.monotonic() + 60
    replies = []
    while not replies and time.monotonic() < deadline:  # the worker may still be booting
        try:
            replies = app.control.ping(timeout=2.0)
        except Exception as exc:
            pytest.fail(f"无法连接 Celery broker：{exc}")
    if not replies:
        pytest.fail("没有正在运行的 Celery worker")


def _worker_busy(client) -> bool:
    """Messages still queued, or taken by the worker and due but not yet acknowledged.

    Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so a message stays in kombu's
    `unacked` hash until its task has returned. A retry due within a minute counts; one held
    for hours (an SMS waiting out the recipient's quiet hours) does not: it would run long
    after the suite, and the worker is stopped before that."""
    import json
    from datetime import datetime, timedelta

    from config.celery import app

    if client.llen(app.conf.task_default_queue):
        return True
    soon = datetime.now().astimezone() + timedelta(seconds=60)
    for raw in client.hvals("unacked"):
        eta = json.loads(raw)[0].get("headers", {}).get("eta")
        if not eta or datetime.fromisoformat(eta).astimezone() <= soon:
            return True
    return False


@pytest.fixture(autouse=True)
def _worker_drained(request):
    """With a real worker, a transactional test ends only when the worker has done its tasks.

    Otherwise a task the test queued is still writing while pytest-django truncates every
    table for the next test: CI saw the TRUNCATE deadlock with it, and a late task could as
    well write into the next test's data."""
    marker = request.node.get_closest_marker("django_db")
    if not (REQUIRE_SERVICES and marker and marker.kwargs.get("transaction")):
        yield
        return
    # Set up the database first, so that its teardown (the TRUNCATE) runs after this one's.
    request.getfixturevalue("_django_db_helper")
    yield
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    deadline = time.monotonic() + 120
    idle_polls = 0
    # Two idle polls in a row: between popping a message and recording it as unacked the
    # broker briefly shows neither.
    while idle_polls < 2:
        idle_polls = 0 if _worker_busy(client) else idle_polls + 1
        if time.monotonic() > deadline:
            pytest.fail("Celery worker 在 120 秒内未处理完本测试排入的任务")
        time.sleep(0.05)
    client.close()


@pytest.fixture(autouse=True)
def _stand_in_calendar(request):
    """Tests run on today's date. The year after chinesecalendar's last is answered from the
    statutory holidays (provisional); a clock started late in that year ends in the one after,
    which has no calendar. Such years get a weekends-only calendar in the test database (rows,
    so that the worker of the services run sees them too)."""
    if not request.node.get_closest_marker("django_db") or request.node.get_closest_marker("official_calendar_only"):
        yield
        return
    from django.utils import timezone

    from tests.factories import make_stand_in_calendar
    from workflows.policy import calendar

    request.getfixturevalue("_django_db_helper")
    make_stand_in_calendar(timezone.localdate())
    yield
    calendar.clear_cache()


@pytest.fixture
def wait_until():
    """Poll a condition: immediate with eager Celery, up to `timeout` s with a real worker."""

    def wait(condition, timeout=30.0, message="条件未在时限内满足"):
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            if time.monotonic() > deadline:
                pytest.fail(message)
            time.sleep(0.2)

    return wait


@pytest.fixture(autouse=True)
def _urls_loaded():
    """viewflow builds node URLs when the Site is imported; reverse() on nodes needs it."""
    import config.urls  # noqa: F401


@pytest.fixture
def eager_celery():
    """Run Celery tasks in-process for tests of a task's own logic inside one DB transaction,
    which a separate worker (in the services run) could not see."""
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, False
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
