"""Inbox and queue pages with 1,000,000 tasks and 200,000 processes on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wjz_bench_inbox \
        .venv/bin/python bench/bench_inbox.py [--processes 200000] [--runs 15]

The data generator fills the database with SQL (generate_series): 16 counties × 10 townships ×
10 villages; 200,000 application processes (viewflow_process + engine_caseprocess +
application_applicationprocess, application NULL: the list pages read only the case row),
spread evenly over the villages, five tasks each (start, accept, verify, investigate, assess:
real node refs of ApplicationFlow). Three quarters of the processes are finished (all tasks
DONE); in the rest the last task (assess) is open: one third ASSIGNED to the township's clerk,
two thirds NEW in the queue of `application.handle_application`.

It measures the server time of GET /workflow/inbox/ and /workflow/queue/ for one township
clerk through Django's test client (view + ORM + template, no network), median of --runs runs,
and the number of queries. viewflow's list views have a fixed page length (paginate_by = 25,
no page_size parameter), so each page is measured at page 1, at a deep page, and at 100 rows
per page (the view class's paginate_by raised in this process only) to show the query count
does not depend on the page length.

Baseline in the same process: viewflow's stock inbox/queue views on the same URL and data —
the scoped view class with its three additions (scoped get_queryset with the join, the
deadline and case columns) taken off, so it is exactly viewflow's WorkflowInboxListView /
WorkflowQueueListView — for the same clerk (unscoped: the queue spans the whole province) and
for a superuser; plus the bare ORM queries (count + page slice) of Task.objects.inbox/queue
against ScopedTask's.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

COUNTIES = [f"34{c:02d}{k:02d}" for c in (1, 12) for k in range(21, 29)]  # 16 counties
TASKS_PER_PROCESS = 5
OPEN_EVERY = 4  # every 4th process is still open
PAGE = 25


def regions_sql(cur) -> list[str]:
    cur.execute("SELECT count(*) FROM core_region WHERE level = 'village'")
    if cur.fetchone()[0] == 1600:
        cur.execute("SELECT code FROM core_region WHERE level = 'village' ORDER BY code")
        return [r[0] for r in cur.fetchall()]
    cur.execute("TRUNCATE core_staffrole CASCADE")
    cur.execute("DELETE FROM core_region")
    cur.execute("INSERT INTO core_region (code, name, level, area, parent_id) VALUES ('340000000000', '安徽省', 'province', '', NULL)")
    for city in ("3401", "3412"):
        cur.execute(
            "INSERT INTO core_region (code, name, level, area, parent_id) VALUES (%s, %s, 'city', %s, '340000000000')",
            [city + "00000000", city, "south" if city == "3401" else "north"],
        )
    regions = []
    for county in COUNTIES:
        regions.append((county + "000000", f"县{county}", "county", county[:4] + "00000000", None))
        for t in range(10):
            township = f"{county}{100 + t:03d}"
            regions.append((township + "000", f"镇{township}", "township", county + "000000", None))
            for v in range(10):
                regions.append((f"{township}{201 + v:03d}", f"村{township}{v}", "village", township + "000", 3000))
    cur.executemany("INSERT INTO core_region (code, name, level, parent_id, registered_population, area) VALUES (%s, %s, %s, %s, %s, '')", regions)
    return sorted(r[0] for r in regions if r[2] == "village")


def generate(processes: int, clerk_id: int, other_id: int, township_prefix: str) -> None:
    from viewflow.workflow.fields import get_flow_ref, get_task_ref

    from workflows.application.flows import ApplicationFlow as F

    flow_ref = get_flow_ref(F)
    nodes = [
        (get_task_ref(F.start), "HUMAN_START"),
        (get_task_ref(F.accept), "HUMAN"),
        (get_task_ref(F.verify), "JOB"),
        (get_task_ref(F.investigate), "HUMAN"),
        (get_task_ref(F.assess), "HUMAN"),
    ]
    with connection.cursor() as cur:
        cur.execute("SELECT (SELECT count(*) FROM engine_caseprocess), (SELECT count(*) FROM viewflow_task)")
        if cur.fetchone() == (processes, TASKS_PER_PROCESS * processes):
            # the open tasks of the clerk's township belong to this run's clerk
            cur.execute(
                "UPDATE viewflow_task t SET owner_id = %s FROM engine_caseprocess c WHERE c.process_ptr_id = t.process_id AND t.status = 'ASSIGNED' AND c.region_code LIKE %s AND t.owner_id <> %s",
                [clerk_id, township_prefix + "%", clerk_id],
            )
            return
        villages = regions_sql(cur)
        cur.execute("TRUNCATE viewflow_task_previous, viewflow_task, application_applicationprocess, engine_caseprocess, viewflow_process CASCADE")
        cur.execute("CREATE TEMP TABLE bench_villages (n int PRIMARY KEY, code varchar(12))")
        cur.executemany("INSERT INTO bench_villages VALUES (%s, %s)", list(enumerate(villages)))
        cur.execute("CREATE TEMP TABLE bench_nodes (k int PRIMARY KEY, ref varchar(255), kind varchar(50))")
        cur.executemany("INSERT INTO bench_nodes VALUES (%s, %s, %s)", [(k, ref, kind) for k, (ref, kind) in enumerate(nodes)])
        # g = 1..N; a process is open when g % OPEN_EVERY = 0; created spread over ~2 years
        cur.execute(
            """
            INSERT INTO viewflow_process (id, flow_class, status, created, finished, data)
            SELECT g, %s, CASE WHEN g %% %s = 0 THEN 'NEW' ELSE 'DONE' END,
                   now() - make_interval(secs => (%s - g) * 300),
                   CASE WHEN g %% %s = 0 THEN NULL ELSE now() - make_interval(secs => (%s - g) * 300) + interval '20 days' END,
                   '{}'::jsonb
            FROM generate_series(1, %s) g
            """,
            [flow_ref, OPEN_EVERY, processes, OPEN_EVERY, processes, processes],
        )
        cur.execute(
            """
            INSERT INTO engine_caseprocess (process_ptr_id, region_code, due_date, deadline_note, summary)
            SELECT g, v.code, (now() - make_interval(secs => (%s - g) * 300))::date + 28, '受理后20个工作日内办结', '户主' || g || '家庭 最低生活保障申请'
            FROM generate_series(1, %s) g JOIN bench_villages v ON v.n = g %% %s
            """,
            [processes, processes, len(villages)],
        )
        cur.execute("INSERT INTO application_applicationprocess (caseprocess_ptr_id, application_id) SELECT g, NULL FROM generate_series(1, %s) g", [processes])
        cur.execute(
            """
            INSERT INTO viewflow_task (id, flow_task, flow_task_type, status, created, started, finished, token, owner_permission, owner_id, process_id, assigned, data)
            SELECT (g - 1) * %(per)s + n.k + 1, n.ref, n.kind, s.status,
                   p.created + make_interval(mins => n.k * 30),
                   CASE WHEN s.status = 'NEW' THEN NULL ELSE p.created + make_interval(mins => n.k * 30) END,
                   CASE WHEN s.status = 'DONE' THEN p.created + make_interval(mins => n.k * 30 + 20) END,
                   'start',
                   CASE WHEN n.kind LIKE 'HUMAN%%' AND n.k > 0 THEN 'application.handle_application' END,
                   CASE WHEN n.kind LIKE 'HUMAN%%' AND s.status <> 'NEW' THEN (CASE WHEN c.region_code LIKE %(township)s THEN %(clerk)s ELSE %(other)s END) END,
                   g,
                   CASE WHEN n.kind LIKE 'HUMAN%%' AND s.status <> 'NEW' THEN p.created + make_interval(mins => n.k * 30) END,
                   '{}'::jsonb
            FROM generate_series(1, %(n)s) g
            JOIN viewflow_process p ON p.id = g
            JOIN engine_caseprocess c ON c.process_ptr_id = g
            CROSS JOIN bench_nodes n
            CROSS JOIN LATERAL (SELECT CASE
                WHEN n.k < %(last)s OR g %% %(open)s <> 0 THEN 'DONE'
                WHEN g %% (%(open)s * 3) = 0 THEN 'ASSIGNED'
                ELSE 'NEW' END AS status) s
            """,
            {
                "per": TASKS_PER_PROCESS,
                "n": processes,
                "open": OPEN_EVERY,
                "last": TASKS_PER_PROCESS - 1,
                "township": township_prefix + "%",
                "clerk": clerk_id,
                "other": other_id,
            },
        )
        # previous-task links as viewflow records them (one chain per process)
        cur.execute(
            "INSERT INTO viewflow_task_previous (from_task_id, to_task_id) SELECT id, id + 1 FROM viewflow_task WHERE (id - 1) %% %s < %s",
            [TASKS_PER_PROCESS, TASKS_PER_PROCESS - 1],
        )
        for table in ("viewflow_process", "viewflow_task"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # Django runs in autocommit: VACUUM is allowed


def measure(client: Client, url: str, runs: int) -> tuple[float, int, int]:
    response = client.get(url)  # warm caches and the template loader
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    rows = response.content.decode().count("<tr") - 1  # minus the header row
    return statistics.median(times), len(ctx.captured_queries), rows


def view_classes():
    from config.urls import site
    from workflows.engine.viewsets import ScopedWorkflowAppViewset

    app = next(v for v in site.viewsets if isinstance(v, ScopedWorkflowAppViewset))
    return {"inbox": app.inbox_view_class, "queue": app.queue_view_class}


class Stock:
    """Take the scoped view's additions off its class: what is left is viewflow's own view."""

    ADDED = ("get_queryset", "get_filterset", "columns", "due", "process_brief")

    def __init__(self, cls):
        self.cls, self.saved = cls, {}

    def __enter__(self):
        self.saved = {name: self.cls.__dict__[name] for name in self.ADDED if name in self.cls.__dict__}
        for name in self.saved:
            delattr(self.cls, name)
        return self

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            setattr(self.cls, name, value)


class PageLength:
    def __init__(self, cls, size):
        self.cls, self.size = cls, size

    def __enter__(self):
        self.cls.paginate_by = self.size

    def __exit__(self, *exc):
        del self.cls.paginate_by  # back to viewflow's 25


def orm_ms(queryset, runs: int) -> float:
    def once():
        start = time.perf_counter()
        queryset.count()
        list(queryset[:PAGE])
        return (time.perf_counter() - start) * 1000

    once()
    return statistics.median(once() for _ in range(runs))


def explain(queryset) -> str:
    sql, params = queryset[:PAGE].query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return "\n".join(r[0] for r in cur.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the page queries")
    parser.add_argument("--random-page-cost", type=float, default=None, help="SET random_page_cost for this session (default: the server's)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("这个基准需要 PostgreSQL：请设置 DATABASE_URL")
    call_command("migrate", verbosity=0)

    from django.contrib.auth import get_user_model
    from viewflow.workflow.models import Task

    from config.urls import FLOWS
    from workflows.core.models import StaffRole
    from workflows.engine.models import ScopedTask

    with connection.cursor() as cur:
        regions_sql(cur)
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench_clerk", defaults={"first_name": "镇经办"})
    other, _ = User.objects.get_or_create(username="bench_other_clerk")
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"is_superuser": True, "is_staff": True})
    township = COUNTIES[3] + "105000"
    if not StaffRole.objects.filter(user=user, role="township_clerk", region_id=township).exists():
        StaffRole.objects.create(user=user, role="township_clerk", region_id=township)
    t0 = time.perf_counter()
    generate(args.processes, user.pk, other.pk, township[:9])
    generated = time.perf_counter() - t0
    user = User.objects.get(pk=user.pk)

    with connection.cursor() as cur:
        if args.random_page_cost is not None:
            cur.execute(f"SET random_page_cost = {float(args.random_page_cost)}")
        cur.execute("SHOW random_page_cost")
        random_page_cost = cur.fetchone()[0]
    client = Client()
    client.force_login(user)
    admin_client = Client()
    admin_client.force_login(admin)
    inbox_qs = ScopedTask.objects.inbox(FLOWS, user)
    queue_qs = ScopedTask.objects.queue(FLOWS, user)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE status = 'NEW'), count(*) FILTER (WHERE status = 'ASSIGNED') FROM viewflow_task")
        tasks, new, assigned = cur.fetchone()
        cur.execute("SELECT count(*) FROM viewflow_process")
        process_count = cur.fetchone()[0]

    results = {
        "processes": process_count,
        "tasks": tasks,
        "open_new": new,
        "open_assigned": assigned,
        "clerk_township": township,
        "clerk_inbox_tasks": inbox_qs.count(),
        "clerk_queue_tasks": queue_qs.count(),
        "stock_queue_tasks_same_clerk_unscoped": Task.objects.queue(FLOWS, user).count(),
        "generate_s": round(generated, 1),
        "page_length": "viewflow ListModelView paginate_by=25 (fixed; no page_size parameter)",
        "random_page_cost": random_page_cost,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
    }
    classes = view_classes()
    for name, url in (("inbox", "/workflow/inbox/"), ("queue", "/workflow/queue/")):
        cls = classes[name]
        scoped_qs = inbox_qs if name == "inbox" else queue_qs
        stock_qs = Task.objects.inbox(FLOWS, user) if name == "inbox" else Task.objects.queue(FLOWS, user)
        entry = {}
        ms, queries, rows = measure(client, url, args.runs)
        entry["page_1"] = {"median_ms": round(ms, 2), "queries": queries, "rows": rows}
        deep_page = max(1, min(8, (scoped_qs.count() + PAGE - 1) // PAGE))
        ms, queries, rows = measure(client, f"{url}?page={deep_page}", args.runs)
        entry[f"page_{deep_page}_deep"] = {"median_ms": round(ms, 2), "queries": queries, "rows": rows}
        with PageLength(cls, 100):
            ms, queries, rows = measure(client, url, args.runs)
        entry["page_1_100_rows"] = {"median_ms": round(ms, 2), "queries": queries, "rows": rows}
        if args.skip_baseline:
            entry["target_met"] = (
                all(entry[k]["median_ms"] <= 50 for k in entry if k.startswith("page_"))
                and len({entry[k]["queries"] for k in entry if k.startswith("page_")}) == 1
            )
            results[name] = entry
            continue
        with Stock(cls):
            ms, queries, rows = measure(client, url, args.runs)
            entry["baseline_stock_view_same_clerk"] = {"median_ms": round(ms, 2), "queries": queries, "rows": rows}
            with PageLength(cls, 100):
                ms100, queries100, rows100 = measure(client, url, args.runs)
            entry["baseline_stock_view_same_clerk_100_rows"] = {"median_ms": round(ms100, 2), "queries": queries100, "rows": rows100}
            ms, queries, rows = measure(admin_client, url, args.runs)
            entry["baseline_stock_view_superuser"] = {"median_ms": round(ms, 2), "queries": queries, "rows": rows}
        entry["ratio_stock_view_over_scoped_page"] = round(entry["baseline_stock_view_same_clerk"]["median_ms"] / entry["page_1"]["median_ms"], 2)
        scoped_orm = orm_ms(scoped_qs.select_related("process__caseprocess"), args.runs)
        stock_orm = orm_ms(stock_qs, args.runs)
        entry["orm_count_plus_page_ms"] = {
            "scoped": round(scoped_orm, 2),
            "stock_viewflow": round(stock_orm, 2),
            "ratio_stock_over_scoped": round(stock_orm / scoped_orm, 2),
        }
        entry["target_met"] = (
            all(entry[k]["median_ms"] <= 50 for k in entry if k.startswith("page_")) and len({entry[k]["queries"] for k in entry if k.startswith("page_")}) == 1
        )
        results[name] = entry
        if args.explain:
            print(f"--- {name} scoped\n" + explain(scoped_qs.select_related("process__caseprocess")))
            print(f"--- {name} stock\n" + explain(stock_qs))
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=2))
    # one entry per planner setting, so the runs with and without the SSD cost setting sit side by side
    out = ROOT / "bench" / "results" / "inbox.json"
    out.parent.mkdir(exist_ok=True)
    saved = json.loads(out.read_text()) if out.exists() else {}
    saved = saved if "runs" in saved else {"runs": {}}
    saved["runs"][f"random_page_cost={random_page_cost}"] = results
    out.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
