"""The payment cycle at province scale: 2,000,000 active beneficiaries, 100 counties.

    .venv/bin/python bench/bench_payments_scale.py [--beneficiaries 2000000] [--roster-runs 1]
        [--file-runs 3] [--baseline 10000] [--reuse]

Data (not timed): its own PostgreSQL database `wjz_bench_scale` (created if missing, rebuilt
unless --reuse finds the same number of beneficiaries): 16 cities, 100 counties of 10
townships × 2 villages, and per beneficiary a household, its head, an active bank account and
an active beneficiary (dibao, every tenth dispersed tekun), all written by COPY. No CPI
figure is loaded, so no price subsidy triggers: one roster line per beneficiary. Beneficiary
i lives in county i mod 100, so a county's rows are spread over every page of the tables:
the worst layout for reading one county (real registries grow village by village).

Timed:
(a) rosters: the 100 counties' cycles opened through the flow (as beat does) and built by the
    real Celery job (`run_flow_job` → roster.build_roster) in 2 worker processes started as
    subprocesses (-P solo, Redis db 12 broker, db 13 cache and results); the clock runs from
    the first opening until every cycle is roster_built. Target ≤ 120 s.
(b) bank file: one cycle holding all the lines (a county never has 2,000,000; the file's
    writer does not care whose lines they are), written by bankfile.bank_file_chunks to disk
    in a fresh subprocess; peak memory is that process's ru_maxrss (Django included), plus
    the tracemalloc peak of Python allocations in one extra run. Target ≤ 300 MB.
(c) result import: the bank's answer to that file (every 997th line failed), imported by
    bankfile.import_result; the cycle is reset and vacuumed between runs (not timed).
    Target ≤ 120 s.
Baselines, per line, on a --baseline subset in this process: a per-row ORM loop for (a) and
(c) (rolled back), and for (b) the file built in memory from model instances.

Results go to bench/results/payments_scale.json.
"""

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "var" / "bench-payments-scale"
MONTH, FILE_MONTH, BASELINE_MONTH = date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)


from bench.database import use_database

use_database("wjz_bench_scale")

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Sum

from bench.common import COUNTIES, generate, start_workers, stop_workers
from workflows.core.models import BankAccount, Beneficiary, Member, Region
from workflows.payments import bankfile
from workflows.payments.models import BankResultImport, CycleState, PaymentCycle, RosterLine
from workflows.policy.calendar import payment_deadlines


def mib(kib: float) -> float:
    return round(kib / 1024, 1)


def rss_kib() -> int:
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmRSS:"))


# --- data (not timed) ---------------------------------------------------------------------------


def prepare(n: int, reuse: bool) -> float | None:
    """The data for n beneficiaries; the seconds spent generating it, or None when reused."""
    call_command("migrate", verbosity=0)
    if reuse and Beneficiary.objects.count() == n and Region.objects.filter(level="county").count() == len(COUNTIES):
        reset_payments()
        return None
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_region, auth_user, viewflow_process RESTART IDENTITY CASCADE")
    generate(n)
    return time.perf_counter() - start


def reset_payments() -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE payments_paymentcycle, viewflow_process CASCADE")


def bench_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(username="bench_bank")[0]


# --- (a) rosters by 2 Celery workers ----------------------------------------------------------


def build_all_rosters(workers: int) -> dict:
    """Open the 100 counties' cycles through the flow and wait until every roster is built."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from config.celery import app
    from workflows.payments.flows import PaymentFlow

    reset_payments()
    app.control.purge()
    counties = list(Region.objects.filter(code__in=COUNTIES).order_by("code"))
    procs = start_workers(workers, "payscale")
    try:
        start = time.perf_counter()
        for county in counties:
            PaymentFlow.monthly.run(county=county, month=MONTH)
        opened = time.perf_counter() - start
        while PaymentCycle.objects.filter(month=MONTH, state=CycleState.ROSTER_BUILT).count() < len(counties):
            if Task.objects.filter(status=STATUS.ERROR).exists():
                raise SystemExit("花名册生成任务出错")
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    finally:
        stop_workers(procs)
    cycles = PaymentCycle.objects.filter(month=MONTH)
    return {"seconds": elapsed, "open_seconds": opened, "lines": sum(c.line_count for c in cycles), "cycles": cycles.count()}


def roster_baseline(limit: int) -> float:
    """A naive build: per beneficiary, look up head and account, then one INSERT (rolled back)."""
    county = COUNTIES[0]
    cycle = new_cycle(county, BASELINE_MONTH)
    start = time.perf_counter()
    with transaction.atomic():
        for b in Beneficiary.objects.filter(region_code__startswith=county[:6]).order_by("pk")[:limit]:
            head = Member.objects.filter(household_id=b.household_id, relation="head").first()
            account = BankAccount.objects.filter(household_id=b.household_id, active=True).first()
            RosterLine.objects.create(
                cycle=cycle,
                beneficiary=b,
                kind=b.kind,
                region_code=b.region_code,
                name=head.name,
                id_number=head.id_number,
                covered_members=b.covered_members,
                gross_amount=b.monthly_amount,
                amount=b.monthly_amount,
                account_name=account.account_name,
                card_number=account.card_number,
                bank_name=account.bank_name,
                reference=f"{cycle.batch}-{b.pk}-J",
            )
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    cycle.delete()
    return elapsed


def new_cycle(county: str, month: date) -> PaymentCycle:
    due = payment_deadlines(month.year, month.month)
    return PaymentCycle.objects.create(county_id=county, month=month, roster_due=due["roster"], funds_due=due["funds"], bank_due=due["bank"])


# --- (b) the bank file of one 2,000,000-line cycle ------------------------------------------------


def file_cycle() -> PaymentCycle:
    """One disbursing cycle holding a copy of every county's lines, with its own references."""
    cycle = new_cycle(COUNTIES[0], FILE_MONTH)
    columns = [f.column for f in RosterLine._meta.concrete_fields if f.column not in ("id", "cycle_id", "reference", "carried_to_id")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RosterLine._meta.db_table} (cycle_id, reference, {', '.join(columns)}) "
            f"SELECT %s, %s::text || '-' || beneficiary_id || '-J', {', '.join(columns)} FROM {RosterLine._meta.db_table} l "
            f"WHERE l.cycle_id IN (SELECT id FROM {PaymentCycle._meta.db_table} WHERE month = %s) ORDER BY l.region_code, l.id",
            [cycle.pk, cycle.batch, MONTH],
        )
        cursor.execute(f"ANALYZE {RosterLine._meta.db_table}")
    totals = cycle.lines.aggregate(n=Count("pk"), total=Sum("amount"))
    PaymentCycle.objects.filter(pk=cycle.pk).update(state=CycleState.DISBURSING, line_count=totals["n"], total_amount=totals["total"])
    cycle.refresh_from_db()
    return cycle


def write_bank_file(cycle_pk: int, path: str, trace: bool) -> None:
    """Child process: stream the bank file to `path`; print seconds, bytes and peak memory."""
    import tracemalloc

    cycle = PaymentCycle.objects.get(pk=cycle_pk)
    before = rss_kib()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    size = 0
    with open(path, "wb") as out:
        for chunk in bankfile.bank_file_chunks(cycle):
            size += out.write(chunk)
    elapsed = time.perf_counter() - start
    result = {"seconds": elapsed, "bytes": size, "rss_before_kib": before, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    if trace:
        result["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    print(json.dumps(result))


def bank_file_run(cycle: PaymentCycle, path: Path, trace: bool = False) -> dict:
    args = [sys.executable, __file__, "--child-bank-file", str(cycle.pk), str(path)] + (["--trace"] if trace else [])
    out = subprocess.run(args, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def bank_file_baseline(cycle: PaymentCycle, limit: int) -> dict:
    """The naive way: every line as a model instance, the whole file built in memory."""
    import io
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(bankfile.BANK_COLUMNS)
    for line in list(cycle.lines.order_by("pk")[:limit]):
        writer.writerow([cycle.batch, line.reference, line.card_number, line.account_name, line.id_number, f"{line.amount:.2f}"])
    data = ("\ufeff" + buffer.getvalue()).encode()
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"lines": limit, "seconds": elapsed, "bytes": len(data), "tracemalloc_peak_bytes": peak}


# --- (c) the bank's result file imported ------------------------------------------------------------


def result_file(bank_path: Path, path: Path) -> int:
    """The bank's answer to the bank file: every 997th line failed. Returns the failed count."""
    failed = 0
    with open(bank_path, encoding="utf-8-sig", newline="") as src, open(path, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.reader(src), csv.writer(out)
        next(reader)
        writer.writerow(bankfile.RESULT_COLUMNS)
        for n, (batch, ref, card, _name, _id, amount) in enumerate(reader, start=1):
            if n % 997 == 0:
                failed += 1
                writer.writerow([batch, ref, card, amount, "失败", "账户已销户"])
            else:
                writer.writerow([batch, ref, card, amount, "成功", ""])
    return failed


def reset_import(cycle: PaymentCycle) -> None:
    """Back to disbursing, every line pending, the table vacuumed: each run starts alike."""
    BankResultImport.objects.filter(cycle=cycle).delete()
    cycle.lines.exclude(status="pending").update(status="pending", fail_reason="")
    PaymentCycle.objects.filter(pk=cycle.pk).update(state=CycleState.DISBURSING, paid_amount=0, failed_amount=0)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {RosterLine._meta.db_table}")


def import_run(cycle: PaymentCycle, path: Path, user) -> float:
    reset_import(cycle)
    start = time.perf_counter()
    with open(path, "rb") as upload:
        record, applied = bankfile.import_result(cycle, upload, path.name, user)
    elapsed = time.perf_counter() - start
    cycle.refresh_from_db()
    assert applied and cycle.state == CycleState.RECONCILED and record.paid_count + record.failed_count == cycle.line_count, (record, cycle.state)
    return elapsed


def import_baseline(cycle: PaymentCycle, path: Path, limit: int) -> float:
    """A per-row ORM import of the file's first `limit` rows: get the line, compare, save (rolled back)."""
    start = time.perf_counter()
    with transaction.atomic(), open(path, encoding="utf-8", newline="") as src:
        reader = csv.reader(src)
        next(reader)
        for _, (batch, ref, card, amount, result, reason) in zip(range(limit), reader, strict=False):
            line = RosterLine.objects.get(cycle=cycle, reference=ref)
            assert batch == cycle.batch and line.card_number == card and line.amount == Decimal(amount)
            line.status, line.fail_reason = ("paid", "") if result == "成功" else ("failed", reason)
            line.save(update_fields=["status", "fail_reason"])
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


# --- main -----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--beneficiaries", type=int, default=2_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--roster-runs", type=int, default=1)
    parser.add_argument("--file-runs", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the generated data if it has the same size")
    parser.add_argument("--child-bank-file", nargs=2, metavar=("CYCLE", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_bank_file:
        write_bank_file(int(args.child_bank_file[0]), args.child_bank_file[1], args.trace)
        return

    load_before = os.getloadavg()
    generated = prepare(args.beneficiaries, args.reuse)
    user = bench_user()
    WORK.mkdir(parents=True, exist_ok=True)

    rosters = [build_all_rosters(args.workers) for _ in range(args.roster_runs)]
    build_s = statistics.median(r["seconds"] for r in rosters)
    lines = rosters[-1]["lines"]
    roster_base = roster_baseline(args.baseline)

    cycle = file_cycle()
    bank_path, result_path = WORK / "bank.csv", WORK / "result.csv"
    bank_runs = [bank_file_run(cycle, bank_path) for _ in range(args.file_runs)]
    traced = bank_file_run(cycle, bank_path, trace=True)
    bank_base = bank_file_baseline(cycle, args.baseline)
    bank_s = statistics.median(r["seconds"] for r in bank_runs)
    peak_kib = max(r["maxrss_kib"] for r in bank_runs)

    failed = result_file(bank_path, result_path)
    import_times = [import_run(cycle, result_path, user) for _ in range(args.file_runs)]
    import_s = statistics.median(import_times)
    import_base = import_baseline(cycle, result_path, args.baseline)
    n_file = cycle.line_count

    result = {
        "bench": "payments.scale",
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "beneficiaries": args.beneficiaries,
        "counties": len(COUNTIES),
        "generation_seconds_untimed": round(generated, 1) if generated is not None else "reused (--reuse): generated by an earlier run",
        "rosters": {
            "workers": args.workers,
            "cycles": rosters[-1]["cycles"],
            "lines": lines,
            "runs": args.roster_runs,
            "seconds_median": round(build_s, 2),
            "seconds_runs": [round(r["seconds"], 2) for r in rosters],
            "open_seconds_runs": [round(r["open_seconds"], 2) for r in rosters],
            "target_seconds": 120,
            "meets_target": build_s <= 120,
            "baseline": "per-row ORM loop (head, account, one INSERT per beneficiary) in this process, one county's first lines, rolled back",
            "baseline_lines": args.baseline,
            "baseline_seconds": round(roster_base, 2),
            "per_line_ratio_baseline_over_ours": round((roster_base / args.baseline) / (build_s / lines), 1),
        },
        "bank_file": {
            "lines": n_file,
            "bytes": bank_runs[0]["bytes"],
            "runs": args.file_runs,
            "seconds_median": round(bank_s, 2),
            "seconds_runs": [round(r["seconds"], 2) for r in bank_runs],
            "peak_rss_mib": mib(peak_kib),
            "peak_rss_mib_runs": [mib(r["maxrss_kib"]) for r in bank_runs],
            "rss_before_writing_mib": mib(bank_runs[0]["rss_before_kib"]),
            "tracemalloc_peak_mib": round(traced["tracemalloc_peak_bytes"] / 2**20, 2),
            "target_peak_mib": 300,
            "meets_target": peak_kib / 1024 <= 300,
            "baseline": "all lines loaded as model instances, the file built in memory (tracemalloc)",
            "baseline_lines": args.baseline,
            "baseline_tracemalloc_peak_mib": round(bank_base["tracemalloc_peak_bytes"] / 2**20, 2),
            "per_line_memory_ratio_baseline_over_ours": round(
                (bank_base["tracemalloc_peak_bytes"] / args.baseline) / (traced["tracemalloc_peak_bytes"] / n_file), 1
            ),
        },
        "result_import": {
            "lines": n_file,
            "failed_lines": failed,
            "runs": args.file_runs,
            "seconds_median": round(import_s, 2),
            "seconds_runs": [round(x, 2) for x in import_times],
            "target_seconds": 120,
            "meets_target": import_s <= 120,
            "baseline": "per-row ORM loop (get the line, compare, save) on the file's first lines, rolled back",
            "baseline_lines": args.baseline,
            "baseline_seconds": round(import_base, 2),
            "per_line_ratio_baseline_over_ours": round((import_base / args.baseline) / (import_s / n_file), 1),
        },
        "note": "The bank and result files are of one cycle holding a copy of all counties' lines (no county has 2,000,000).",
    }
    line = json.dumps(result, ensure_ascii=False, indent=2)
    print(line)
    (ROOT / "bench" / "results" / "payments_scale.json").write_text(line + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
