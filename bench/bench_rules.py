"""Throughput of the pure dibao rules: ``workflows.policy.rules.assess``.

    .venv/bin/python bench/bench_rules.py [--households 30000] [--runs 5] [--seed 2022]

Target (DESIGN §4.9): at least 20,000 households per second in pure Python.

Data: ``--households`` synthetic households built deterministically with random.Random(seed)
before timing: 1–6 members (ages 0–90, ~8% disabled at a random type/grade, ~5% seriously
ill, working-age members employed with probability 0.6), 0–5 income items of every kind
(exempt ones included) with amounts up to 3,000 元, rigid costs on ~10% of households,
assets over the limit on ~5%; a dibao standard of 800 元 (a plausible demo value, not a real
county's). The output says how many end up eligible and marginal (about 60% and 11%
with the default seed).

Measured: the median over ``--runs`` runs of one pass of ``assess`` over all households.
Baseline, in the same process and on the same data: a pass of ``per_capita_income`` alone —
the arithmetic any implementation has to do — so ``ratio_assess_over_baseline`` (time of
assess ÷ time of the baseline) shows what the verdict, amount and 单人户 candidates add on top
(close to 1 means nearly free). For information, a pass that also reads ``steps`` (the
Chinese explanation, built lazily only when asked for) is timed once more.

Prints the figures and writes them as one JSON line to bench/results/rules.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.policy import rules

TARGET = 20_000
KINDS = ["wage", "business", "property", "transfer", "support", "other", *sorted(rules.EXEMPT_INCOME_KINDS)]
DISABILITIES = ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]


def generate(n: int, seed: int) -> list[rules.HouseholdFacts]:
    rnd = random.Random(seed)
    households = []
    for _ in range(n):
        members = []
        for _ in range(rnd.randint(1, 6)):
            age = rnd.randint(0, 90)
            disabled = rnd.random() < 0.08
            members.append(
                rules.MemberFacts(
                    age=age,
                    disability_type=rnd.choice(DISABILITIES) if disabled else "",
                    disability_grade=rnd.randint(1, 4) if disabled else None,
                    serious_illness=rnd.random() < 0.05,
                    employed=16 <= age < 60 and rnd.random() < 0.6,
                    in_school=6 <= age < 22 and rnd.random() < 0.8,
                )
            )
        incomes = []
        for _ in range(rnd.randint(0, 5)):
            member = rnd.randrange(len(members)) if rnd.random() < 0.8 else None
            amount = Decimal(rnd.randint(0, 300_000)) / 100
            incomes.append(rules.IncomeFacts(kind=rnd.choice(KINDS), monthly_amount=amount, member_index=member))
        households.append(
            rules.HouseholdFacts(
                members=tuple(members),
                incomes=tuple(incomes),
                has_able_supporter=rnd.random() < 0.3,
                rigid_costs=Decimal(rnd.randint(0, 50_000)) / 100 if rnd.random() < 0.1 else Decimal(0),
                assets_within_limits=rnd.random() >= 0.05,
            )
        )
    return households


def timed(fn, households, std) -> float:
    start = time.perf_counter()
    for h in households:
        fn(h, std)
    return time.perf_counter() - start


def assess_with_steps(h, std):
    return rules.assess(h, std).steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    std = rules.StandardValues(dibao_standard=Decimal("800.00"))
    t0 = time.perf_counter()
    households = generate(args.households, args.seed)
    generate_s = time.perf_counter() - t0

    timed(rules.assess, households[:1000], std)  # warm-up
    assess_runs = [timed(rules.assess, households, std) for _ in range(args.runs)]
    baseline_runs = [timed(rules.per_capita_income, households, std) for _ in range(args.runs)]
    steps_s = timed(assess_with_steps, households, std)

    assess_s = statistics.median(assess_runs)
    baseline_s = statistics.median(baseline_runs)
    results = [rules.assess(h, std) for h in households]
    result = {
        "bench": "rules.assess",
        "households": len(households),
        "seed": args.seed,
        "runs": args.runs,
        "python": platform.python_version(),
        "generate_s": round(generate_s, 3),
        "assess_median_s": round(assess_s, 4),
        "assess_households_per_s": round(len(households) / assess_s),
        "baseline": "per_capita_income only",
        "baseline_median_s": round(baseline_s, 4),
        "baseline_households_per_s": round(len(households) / baseline_s),
        "ratio_assess_over_baseline": round(assess_s / baseline_s, 2),
        "assess_with_steps_households_per_s": round(len(households) / steps_s),
        "eligible": sum(r.dibao_eligible for r in results),
        "marginal": sum(r.marginal for r in results),
        "target_households_per_s": TARGET,
        "meets_target": len(households) / assess_s >= TARGET,
    }
    print(f"assess:             {result['assess_households_per_s']:>10,} households/s (median of {args.runs}, {len(households):,} households)")
    print(f"baseline (per-capita only): {result['baseline_households_per_s']:>10,} households/s; assess/baseline time = {result['ratio_assess_over_baseline']}")
    print(f"assess + steps:     {result['assess_with_steps_households_per_s']:>10,} households/s (explanation built)")
    print(f"eligible {result['eligible']:,}, marginal {result['marginal']:,}; target {TARGET:,}/s: {'met' if result['meets_target'] else 'NOT met'}")
    out = ROOT / "bench" / "results" / "rules.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
