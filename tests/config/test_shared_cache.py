"""Without Redis, rate-limit counters are still shared by every worker process."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

HELPER = Path(__file__).with_name("cache_worker.py")


def _run(env, *args):
    out = subprocess.run([sys.executable, str(HELPER), *map(str, args)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_failures_counted_in_one_worker_hold_in_another(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    _run(env, "setup", 0)
    limit = getattr(settings, "NOTICE_DOWNLOAD_MAX_TRIES", 5)
    # Four workers, each sees fewer failures than the limit; together they reach it.
    per_worker = [limit // 4 + 1] * 4
    results = [_run(env, "fail", n) for n in per_worker]
    assert results[0]["wait"] == 0
    assert results[-1]["wait"] > 0
    assert _run(env, "fail", 0)["wait"] > 0  # a fifth, fresh worker is told to wait too


def test_concurrent_increments_all_count(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL", "DATABASE_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    _run(env, "setup", 0)
    result = _run(env, "incr", 8)
    assert result["errors"] == []
    assert result["total"] == 80


@pytest.mark.django_db(transaction=True)  # SQLite's schema editor refuses to work inside a transaction
def test_migrate_makes_the_cache_table():
    migration = importlib.import_module("workflows.core.migrations.0003_cache_table")
    assert migration.TABLE == settings.CACHE_TABLE
    with connection.schema_editor() as editor:
        migration.drop(None, editor)
        assert settings.CACHE_TABLE not in connection.introspection.table_names()
        migration.create(None, editor)
    assert settings.CACHE_TABLE in connection.introspection.table_names()
