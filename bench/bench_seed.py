"""`seed_demo --households 100000` on PostgreSQL: target ≤ 60 s.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE wjz_bench'   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wjz_bench \
        .venv/bin/python bench/bench_seed.py [--households 100000] [--runs 3] [--baseline 2000]

The script migrates the database, then for each run empties it (`flush`, not timed) and times
the whole command (regions, standards, staff users, generation and bulk inserts) in this
process; it reports the median. The generation alone (pure Python, no database) is timed once
too. Baseline in the same process: the same generator's first --baseline households saved row
by row with Model.save() / objects.create(), as a naive seeder would; its per-household time is
compared with the bulk seeder's. Results go to bench/results/seed.json.
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

from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from workflows.core.models import Asset, BankAccount, Beneficiary, Household, IncomeItem, Member
from workflows.demo.seed import generate_households

SEED = 2022


def fresh() -> None:
    call_command("flush", interactive=False, verbosity=0)


def seed(households: int) -> float:
    start = time.perf_counter()
    call_command("seed_demo", households=households, seed=SEED, verbosity=0)
    return time.perf_counter() - start


def save_row_by_row(specs) -> None:
    """The naive seeder: one INSERT per row through save()."""
    with transaction.atomic():
        for s in specs:
            household = Household(
                hukou_region_id=s.village, residence_region_id=s.residence, address=s.address, area_type=s.area_type, phone=s.phone, head_name=s.head_name
            )
            household.save()
            members = []
            for m in s.members:
                member = Member(
                    household=household,
                    name=m.name,
                    id_number=m.id_number,
                    relation=m.relation,
                    disability_type=m.disability_type,
                    disability_grade=m.disability_grade,
                    serious_illness=m.serious_illness,
                    employment=m.employment,
                    in_school=m.in_school,
                )
                member.save()
                members.append(member)
            for index, kind, amount, note in s.incomes:
                IncomeItem(household=household, member=None if index is None else members[index], kind=kind, monthly_amount=amount, note=note).save()
            for kind, description, value in s.assets:
                Asset.objects.create(household=household, kind=kind, description=description, value=value)
            holder = members[s.bank[0]]
            BankAccount.objects.create(household=household, member=holder, account_name=holder.name, card_number=s.bank[1], bank_name=s.bank[2])
            if s.beneficiary:
                kind, index, amount, covered, month = s.beneficiary
                Beneficiary(
                    household=household,
                    member=None if index is None else members[index],
                    kind=kind,
                    monthly_amount=amount,
                    covered_members=covered,
                    first_paid_month=month,
                ).save()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=2000)
    args = parser.parse_args()
    db = settings.DATABASES["default"]
    if not settings.IS_POSTGRES:
        print(f"注意：当前数据库为 {db['ENGINE']}，本基准面向 PostgreSQL（设置 DATABASE_URL）", file=sys.stderr)

    call_command("migrate", verbosity=0, interactive=False)

    start = time.perf_counter()
    specs = generate_households(SEED, args.households)
    generation = time.perf_counter() - start

    runs = []
    for i in range(args.runs):
        fresh()
        runs.append(seed(args.households))
        print(f"run {i + 1}: {runs[-1]:.2f} s", file=sys.stderr)
    counts = {model.__name__: model.objects.count() for model in (Household, Member, IncomeItem, Asset, BankAccount, Beneficiary)}

    fresh()
    seed(0)  # regions, standards and staff, so that only households are timed
    baseline_specs = specs[: args.baseline]
    start = time.perf_counter()
    save_row_by_row(baseline_specs)
    baseline = time.perf_counter() - start
    fresh()

    median = statistics.median(runs)
    bulk_per_household = median / args.households
    baseline_per_household = baseline / len(baseline_specs)
    result = {
        "benchmark": "seed_demo",
        "database": f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}",
        "households": args.households,
        "rows": counts,
        "runs_s": [round(r, 2) for r in runs],
        "median_s": round(median, 2),
        "target_s": 60,
        "meets_target": median <= 60,
        "generation_only_s": round(generation, 2),
        "bulk_ms_per_household": round(bulk_per_household * 1000, 4),
        "baseline": {
            "method": "same generator, Model.save() row by row in one transaction",
            "households": len(baseline_specs),
            "seconds": round(baseline, 2),
            "ms_per_household": round(baseline_per_household * 1000, 4),
            "extrapolated_s_for_households": round(baseline_per_household * args.households, 1),
        },
        "speedup_per_household": round(baseline_per_household / bulk_per_household, 1),
    }
    out = ROOT / "bench" / "results" / "seed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
