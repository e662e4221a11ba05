"""Every role's landing page and menu pages on the demo data: server time per page.

    .venv/bin/python bench/bench_pages.py [--runs 7]

Target: every landing page and menu page of every role with the demo data ≤ 100 ms server
time. It migrates a fresh SQLite database in a temporary directory (or uses DATABASE_URL),
runs `seed_demo` (the same demo `make run` serves), logs each README demo role in through
Django's test client, reads the links of its side menu and landing page (the pages a person
reaches in one click), and times each GET: the median of --runs runs after one warm-up, with
the number of queries. Baseline in the same process: the login page, which renders viewflow's
base template with no data, so the ratio says what the data costs on top of the frame.
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='wjz-bench-pages-')}/bench.sqlite3"

import django

django.setup()

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

ROLES = [
    "caseworker_340121100001",
    "clerk_340121100",
    "reviewer_340121100",
    "principal_340121100",
    "countyofficer_340121",
    "countyhead_340121",
    "finance_340121",
    "bank_340121",
    "petition_340121",
    "supervisor_3401",
    "supervisor_34",
    "admin",
]
# Links of the side menu and of the landing page's quick starts; not logout, admin, downloads or forms that act.
LINK = re.compile(r'href="(/[^"#?]*)"')
SKIP = re.compile(r"^/(admin|accounts/logout|static|media|notices/download)|\.(pdf|xlsx|csv)$|/(start|assign|unassign|cancel)/")


def final_url(client: Client, url: str) -> str:
    """Where a menu link lands (an application's index redirects to its first page)."""
    response = client.get(url, follow=True)
    for target, _ in response.redirect_chain:
        url = urljoin(url, target)
    return url


def timed(client: Client, url: str, runs: int) -> tuple[float, int, int]:
    client.get(url)  # warm-up: templates, the URL tree, the first query plans
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    anonymous = Client()
    baseline_ms, _, _ = timed(anonymous, "/accounts/login/", args.runs)
    results, slowest = {"runs": args.runs, "baseline_login_page_ms": round(baseline_ms, 2), "roles": {}}, (0.0, "")
    for username in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        home_url = final_url(client, "/")
        links = {u for u in LINK.findall(client.get(home_url).content.decode()) if not SKIP.search(u)}
        urls = [home_url] + sorted({final_url(client, u) for u in links} - {home_url})
        pages = {}
        for url in urls:
            median_ms, queries, status = timed(client, url, args.runs)
            pages[url] = {"median_ms": round(median_ms, 2), "queries": queries, "status": status, "ratio_over_baseline": round(median_ms / baseline_ms, 2)}
            slowest = max(slowest, (median_ms, f"{username} {url}"))
        results["roles"][username] = pages
    results["slowest"] = {"median_ms": round(slowest[0], 2), "page": slowest[1]}
    results["pages"] = sum(len(p) for p in results["roles"].values())
    results["over_100_ms"] = [f"{u} {url}" for u, pages in results["roles"].items() for url, r in pages.items() if r["median_ms"] > 100]
    results["not_200"] = [f"{u} {url} {r['status']}" for u, pages in results["roles"].items() for url, r in pages.items() if r["status"] != 200]
    results["load_average"] = os.getloadavg()[0]
    print(json.dumps({k: v for k, v in results.items() if k != "roles"}, ensure_ascii=False, indent=2))
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "pages.json").write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
