"""Speed of the spot-check sampling rule: ``workflows.policy.rules.draw_spot_check_sample``.

    .venv/bin/python bench/bench_sampling.py [--cases 100000] [--townships 250] [--runs 5] [--seed 2022]

Target: sampling 100,000 decided cases in ≤ 2 s.

Data: ``--cases`` decided cases spread over ``--townships`` townships of 25 counties with
random.Random(seed) (township sizes vary; ~2% are staff relatives, 单独登记备案), in a
shuffled order, built before timing.

Measured: the median over ``--runs`` draws. Baseline, in the same process and on the same
data: a naive per-township shuffle of the full list (for each township, scan the whole frame,
shuffle that township's cases, keep the relatives and the first ones up to the quota).
The ratio is baseline time ÷ rule time. Writes one JSON line to bench/results/sampling.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.policy import rules

TARGET_S = 2.0


def generate(n: int, townships: int, seed: int) -> list[tuple[int, str, bool]]:
    rnd = random.Random(seed)
    codes = [f"34{1 + t % 25:04d}{100 + t // 25:03d}000" for t in range(townships)]
    weights = [rnd.uniform(0.2, 3.0) for _ in codes]
    frame = [(case_id, township, rnd.random() < 0.02) for case_id, township in enumerate(rnd.choices(codes, weights, k=n), start=1)]
    rnd.shuffle(frame)
    return frame


def naive(frame, seed) -> list:
    rnd = random.Random(str(seed))
    chosen = []
    for township in sorted({t for _, t, _ in frame}):
        cases = [(c, m) for c, t, m in frame if t == township]
        rnd.shuffle(cases)
        must = [c for c, m in cases if m]
        chosen += must + [c for c, m in cases if not m][: max(0, rules.spot_check_size(len(cases)) - len(must))]
    return sorted(chosen)


def timed(fn, frame, seed) -> tuple[float, list]:
    start = time.perf_counter()
    result = fn(frame, seed)
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--townships", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()

    frame = generate(args.cases, args.townships, args.seed)
    runs = [timed(rules.draw_spot_check_sample, frame, f"run-{i}") for i in range(args.runs)]
    baseline = [timed(naive, frame, f"run-{i}")[0] for i in range(args.runs)]
    rule_s, base_s = statistics.median(t for t, _ in runs), statistics.median(baseline)
    sample = runs[0][1]
    result = {
        "bench": "rules.draw_spot_check_sample",
        "cases": len(frame),
        "townships": len({t for _, t, _ in frame}),
        "must_include": sum(m for _, _, m in frame),
        "sampled": len(sample),
        "sampled_share": round(len(sample) / len(frame), 4),
        "seed": args.seed,
        "runs": args.runs,
        "python": platform.python_version(),
        "median_s": round(rule_s, 4),
        "baseline": "naive per-township shuffle of the full list",
        "baseline_median_s": round(base_s, 4),
        "ratio_baseline_over_rule": round(base_s / rule_s, 1),
        "target_s": TARGET_S,
        "meets_target": rule_s <= TARGET_S,
    }
    print(f"draw_spot_check_sample: {rule_s:.3f} s median of {args.runs} for {len(frame):,} cases in {result['townships']} townships, {len(sample):,} sampled")
    print(f"baseline (naive per-township shuffle): {base_s:.3f} s; baseline/rule = {result['ratio_baseline_over_rule']}")
    print(f"target ≤ {TARGET_S} s: {'met' if result['meets_target'] else 'NOT met'}")
    out = ROOT / "bench" / "results" / "sampling.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
