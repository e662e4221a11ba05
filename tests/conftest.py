import os
import time

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("WJZ_REQUIRE_SERVICES") == "1"


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
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"无法连接 Celery broker：{exc}")
    if not replies:
        pytest.fail("没有正在运行的 Celery worker")


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
