"""Notice rendering: one-page latency and size, and throughput of 1 vs 2 Celery workers.

    .venv/bin/python bench/bench_render.py [--runs 15] [--notices 1000] [--no-workers]

1. One page: median of --runs renders of a 受理通知书 by `render_notice_pdf` (shared
   FontConfiguration and parsed CSS), against the baseline in the same run: raw
   `weasyprint.HTML(string=same_html).write_pdf()` with a fresh FontConfiguration and the CSS
   parsed each time. Targets: ≤ 80 ms median, ≤ 120 KB.
2. Throughput: --notices notices without a PDF in a bench PostgreSQL database (created if
   missing), rendered by real Celery workers started as subprocesses (Redis broker db 10,
   Redis cache db 11 for the batch progress), first by 1 worker process then by 2; the clock
   runs from queuing the batch until its progress says finished; --rounds rounds of 1 then 2
   workers, medians compared. Target: 2 workers ≥ 1.7 × 1.

Prints the figures and writes them as one JSON line to bench/results/render.json.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
BENCH_DB = "wjz_bench_render"
ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
    "REDIS_URL": "redis://127.0.0.1:6379/11",
    "MEDIA_ROOT": str(ROOT / "var" / "bench-media"),
}


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


os.environ.update(ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
if "--no-workers" not in sys.argv:
    ensure_database()
else:  # the one-page figures need no database
    os.environ.pop("DATABASE_URL")

import django

django.setup()

from django.core.management import call_command

from documents.kinds import KINDS
from documents.models import Issuer, Notice
from documents.numbering import format_number
from documents.rendering import notice_css, render_html, render_notice_pdf
from documents.samples import sample_addressee, sample_context

KIND = "acceptance"


def sample_notice(issuer) -> Notice:
    info = KINDS[KIND]
    return Notice(
        kind=KIND,
        issuer=issuer,
        word=info.word,
        year=2026,
        seq=1,
        number=format_number(issuer.number_prefix, info.word, 2026, 1),
        title=info.title,
        addressee_name=sample_addressee(KIND),
        context=sample_context(KIND),
        issued_on=date(2026, 11, 28),
    )


def one_page(runs: int) -> dict:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    notice = sample_notice(Issuer(name="长丰县民政局", number_prefix="皖长民", phone="0551-66710001"))
    html, css = render_html(notice), notice_css()
    pdf = render_notice_pdf(notice)  # warm-up: loads fonts and parses the CSS once

    def baseline():
        fonts = FontConfiguration()
        HTML(string=html).write_pdf(stylesheets=[CSS(string=css, font_config=fonts)], font_config=fonts)

    # Interleaved, so that load from other processes on the machine hits both sides alike.
    times = {"ours": [], "raw": []}
    for _ in range(runs):
        for name, fn in (("ours", lambda: render_notice_pdf(notice)), ("raw", baseline)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    ours, raw = (statistics.median(times[name]) * 1000 for name in ("ours", "raw"))
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    return {
        "kind": KIND,
        "runs": runs,
        "pages": int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))),
        "median_ms": round(ours, 1),
        "baseline_median_ms": round(raw, 1),
        "ratio_baseline_over_ours": round(raw / ours, 2),
        "pdf_kb": round(len(pdf) / 1024, 1),
        "target_ms": 80,
        "target_kb": 120,
        "meets_time": ours <= 80,
        "meets_size": len(pdf) / 1024 <= 120,
    }


def prepare(count: int) -> list[int]:
    """`count` notices without a PDF, numbered like real ones (bulk: the bench is not numbering)."""
    from workflows.core.models import Region

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(code="340121000000").exists():
        call_command("seed_demo", households=0, verbosity=0)
    issuer, _ = Issuer.objects.get_or_create(number_prefix="皖长民", defaults={"name": "长丰县民政局", "region_id": "340121000000", "phone": "0551-66710001"})
    Notice.objects.filter(case_key__startswith="bench:").delete()
    info = KINDS[KIND]
    rows = []
    for seq in range(1, count + 1):
        notice = sample_notice(issuer)
        notice.seq, notice.year, notice.number = seq, 2099, format_number(issuer.number_prefix, info.word, 2099, seq)
        notice.case_key, notice.region_code = f"bench:{seq}", "340121000000"
        rows.append(notice)
    Notice.objects.bulk_create(rows, batch_size=500)
    return list(Notice.objects.filter(case_key__startswith="bench:").values_list("pk", flat=True))


def start_workers(n: int) -> list[subprocess.Popen]:
    env = {**os.environ, **ENV}
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-c",
                "1",
                "-P",
                "solo",
                "-n",
                f"bench{i}@%h",
                "-l",
                "warning",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(n)
    ]
    from config.celery import app

    deadline = time.monotonic() + 60
    while len(app.control.ping(timeout=1.0) or []) < n:
        if time.monotonic() > deadline:
            raise SystemExit("Celery worker 未能在 60 秒内启动")
    return workers


def throughput(ids: list[int], n_workers: int) -> float:
    from config.celery import app
    from documents.tasks import batch_progress, start_render_batch

    Notice.objects.filter(pk__in=ids).update(pdf="", sha256="")
    app.control.purge()
    workers = start_workers(n_workers)
    try:
        start = time.perf_counter()
        batch = start_render_batch(ids)
        while not batch_progress(batch)["finished"]:
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
        assert batch_progress(batch)["failed"] == 0, batch_progress(batch)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return len(ids) / elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="1-worker and 2-worker runs, interleaved; medians reported")
    parser.add_argument("--no-workers", action="store_true")
    args = parser.parse_args()

    # Other processes on a 2-core machine take CPU from the second worker: record the load.
    result = {"bench": "documents.render", "python": platform.python_version(), "cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
    result["one_page"] = one_page(args.runs)
    if not args.no_workers:
        ids = prepare(args.notices)
        # Interleaved rounds, so that a load spike from elsewhere on the machine does not fall
        # on one side only.
        ones, twos = [], []
        for _ in range(args.rounds):
            ones.append(throughput(ids, 1))
            twos.append(throughput(ids, 2))
        one, two = statistics.median(ones), statistics.median(twos)
        result["workers"] = {
            "notices": len(ids),
            "rounds": args.rounds,
            "per_s_1_worker_runs": [round(x, 2) for x in ones],
            "per_s_2_workers_runs": [round(x, 2) for x in twos],
            "per_s_1_worker": round(one, 2),
            "per_s_2_workers": round(two, 2),
            "ratio": round(two / one, 2),
            "target_ratio": 1.7,
            "meets_target": two / one >= 1.7,
        }
        Notice.objects.filter(pk__in=ids).delete()
    result["load_average_after"] = os.getloadavg()
    line = json.dumps(result, ensure_ascii=False)
    print(line)
    out = ROOT / "bench" / "results" / "render.json"
    out.write_text(line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
