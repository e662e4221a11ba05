"""Payment roster build and bank-file memory: a 30,000-line county roster ≤ 3 s.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE wjz_bench'   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wjz_bench \
        .venv/bin/python bench/bench_payments.py [--lines 30000] [--baseline 10000] [--runs 3]

Data: one county, 10 townships, --lines households each with a head, an active bank account
and an active dibao beneficiary (bulk inserted, not timed). Timed: roster.build_roster for
the whole county (median of --runs rebuilds, each one transaction). Baseline: a per-row ORM
loop (head, account and one INSERT per beneficiary) on the first --baseline beneficiaries;
the per-line times are compared. Bank file: tracemalloc peak while streaming the whole file
for rosters of a third and of all the lines: a constant peak means constant memory.
Results go to bench/results/payments.json.
"""

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from stdnum import luhn
from stdnum.cn import ric

from workflows.core.models import BankAccount, Beneficiary, Household, Member, Region
from workflows.payments import bankfile, roster
from workflows.payments.models import PaymentCycle, RosterLine
from workflows.policy.calendar import payment_deadlines
from workflows.policy.models import Standard

COUNTY = "340121000000"
MONTH = date(2026, 5, 1)


def seed(n: int) -> None:
    call_command("flush", interactive=False, verbosity=0)
    Region.objects.bulk_create(
        [
            Region(code="340000000000", name="安徽省", level="province"),
            Region(code="340100000000", name="合肥市", level="city", parent_id="340000000000", area="south"),
            Region(code=COUNTY, name="长丰县", level="county", parent_id="340100000000"),
        ]
    )
    villages = []
    for t in range(10):
        township = f"340121{100 + t:03d}000"
        Region.objects.create(code=township, name=f"第{t + 1}镇", level="township", parent_id=COUNTY)
        villages.append(Region.objects.create(code=township[:9] + "201", name=f"第{t + 1}村", level="village", parent_id=township).code)
    Standard.objects.create(county_id=COUNTY, area_type="rural", valid_from=date(2024, 1, 1), dibao_standard=Decimal("750"))
    households = Household.objects.bulk_create(
        [
            Household(
                region_code=villages[i % 10], hukou_region_id=villages[i % 10], residence_region_id=villages[i % 10], area_type="rural", head_name=f"户主{i}"
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    members, accounts, beneficiaries = [], [], []
    for i, h in enumerate(households):
        birth = date(1940, 1, 1) + timedelta(days=i // 400)
        body = f"340121{birth:%Y%m%d}{i % 400 * 2 + 1:03d}"
        members.append(Member(household=h, name=h.head_name, id_number=body + ric.calc_check_digit(body + "0"), relation="head", birth_date=birth, sex="M"))
    Member.objects.bulk_create(members, batch_size=5000)
    for i, (h, m) in enumerate(zip(households, members, strict=False)):
        body = f"622848040{i:09d}"
        accounts.append(BankAccount(household=h, member=m, account_name=h.head_name, card_number=body + luhn.calc_check_digit(body), bank_name="长丰农商银行"))
        beneficiaries.append(
            Beneficiary(
                region_code=h.region_code,
                household=h,
                kind="dibao",
                monthly_amount=Decimal("600") + i % 300,
                covered_members=1 + i % 4,
                first_paid_month=date(2026, 1, 1),
            )
        )
    BankAccount.objects.bulk_create(accounts, batch_size=5000)
    Beneficiary.objects.bulk_create(beneficiaries, batch_size=5000)


def new_cycle(month: date) -> PaymentCycle:
    due = payment_deadlines(month.year, month.month)
    return PaymentCycle.objects.create(county_id=COUNTY, month=month, roster_due=due["roster"], funds_due=due["funds"], bank_due=due["bank"])


def per_row_baseline(cycle: PaymentCycle, limit: int) -> float:
    """What a naive build does: for each beneficiary look up head and account, then INSERT."""
    start = time.perf_counter()
    with transaction.atomic():
        for b in Beneficiary.objects.filter(region_code__startswith="340121").order_by("pk")[:limit]:
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
    return time.perf_counter() - start


def bank_file_peak(cycle: PaymentCycle) -> tuple[float, int]:
    tracemalloc.start()
    size = sum(len(chunk) for chunk in bankfile.bank_file_chunks(cycle))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=30000)
    parser.add_argument("--baseline", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    engine = settings.DATABASES["default"]["ENGINE"]
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    seed(args.lines)
    seed_s = time.perf_counter() - t

    cycle = new_cycle(MONTH)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        roster.build_roster(cycle)
        times.append(time.perf_counter() - start)
    cycle.refresh_from_db()
    build = statistics.median(times)
    baseline = per_row_baseline(new_cycle(date(2026, 6, 1)), args.baseline)
    ratio = (baseline / args.baseline) / (build / cycle.line_count)

    small = new_cycle(date(2026, 7, 1))
    RosterLine.objects.bulk_create(
        [
            RosterLine(**{f.attname: getattr(line, f.attname) for f in RosterLine._meta.concrete_fields if f.attname not in ("id", "cycle_id")}, cycle=small)
            for line in cycle.lines.order_by("pk")[: cycle.line_count // 3]
        ],
        batch_size=5000,
    )
    peak_small, size_small = bank_file_peak(small)
    peak_full, size_full = bank_file_peak(cycle)

    result = {
        "database": engine.rsplit(".", 1)[-1],
        "roster_lines": cycle.line_count,
        "seed_seconds_untimed_setup": round(seed_s, 2),
        "build_seconds_median": round(build, 3),
        "build_seconds_runs": [round(x, 3) for x in times],
        "target_seconds": 3.0,
        "baseline_lines": args.baseline,
        "baseline_seconds": round(baseline, 3),
        "per_line_ratio_baseline_over_bulk": round(ratio, 1),
        "bank_file": {
            f"{small.lines.count()}_lines": {"peak_mib": round(peak_small, 2), "bytes": size_small},
            f"{cycle.line_count}_lines": {"peak_mib": round(peak_full, 2), "bytes": size_full},
        },
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "payments.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
