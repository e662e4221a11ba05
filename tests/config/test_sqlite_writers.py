"""The embedded SQLite database under simultaneous writers: they wait, none fails."""

import json
import os
import subprocess
import sys
from pathlib import Path

HELPER = Path(__file__).with_name("sqlite_writers.py")


def test_eight_concurrent_writers_all_succeed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "REDIS_URL")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'office.sqlite3'}"
    out = subprocess.run([sys.executable, str(HELPER)], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["journal_mode"] == "wal"
    # Each transaction saw the one before it: the writes were serialised, none lost.
    assert result["values"] == list(range(1, result["expected"] + 1))
