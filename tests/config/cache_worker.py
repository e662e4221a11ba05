"""Run by test_shared_cache.py as one "gunicorn worker": count citizen download failures for
an address, or say how long that address must wait. Prints JSON."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from documents import citizen  # noqa: E402

action, count = sys.argv[1], int(sys.argv[2])
if action == "setup":
    call_command("createcachetable", verbosity=0)
    print(json.dumps({"ok": True}))
    sys.exit()
if action == "incr":
    # `count` threads of this worker, each counting ten failures on one shared counter at once.
    import threading

    from django.db import connection

    from workflows.core.shared_cache import shared_cache as cache

    cache.set("shared-counter", 0, 600)
    barrier = threading.Barrier(count)
    errors = []

    def count_ten():
        try:
            barrier.wait()
            for _ in range(10):
                cache.incr("shared-counter")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=count_ten) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"total": cache.get("shared-counter"), "errors": errors}))
    sys.exit()
request = RequestFactory().post("/notices/download", REMOTE_ADDR="10.9.8.7")
client_key = citizen._client_key(request)
for _ in range(count):
    citizen._record_failure(client_key, "皖长民救决字〔2026〕1号")
print(json.dumps({"wait": citizen._seconds_to_wait(client_key)}))
