"""Run by test_sqlite_writers.py in its own process: WRITERS threads, each a few transactions
that read and then write, on the file database named by DATABASE_URL. Prints JSON."""

import json
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

WRITERS, ROUNDS = 8, 5


def write(errors, barrier):
    try:
        barrier.wait()
        for _ in range(ROUNDS):
            # The shape of a relief post: look something up, then write what follows from it.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT COALESCE(MAX(n), 0) FROM ledger")
                (last,) = cursor.fetchone()
                time.sleep(0.01)  # let the others reach their write meanwhile
                cursor.execute("INSERT INTO ledger (n) VALUES (%s)", [last + 1])
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE ledger (n integer NOT NULL)")
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
connection.close()

errors: list[str] = []
barrier = threading.Barrier(WRITERS)
threads = [threading.Thread(target=write, args=(errors, barrier)) for _ in range(WRITERS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM ledger ORDER BY n")
    values = [n for (n,) in cursor.fetchall()]
print(json.dumps({"errors": errors, "values": values, "journal_mode": journal_mode, "expected": WRITERS * ROUNDS}))
