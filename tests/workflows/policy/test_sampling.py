"""The spot-check sampling rule (M8): pure, no database."""

import random
from decimal import Decimal

import pytest

from workflows.policy.rules import draw_spot_check_sample, spot_check_size


def frame(counts: dict[str, int], relatives=()):
    return [(f"{township}-{i}", township, f"{township}-{i}" in relatives) for township, n in counts.items() for i in range(n)]


@pytest.mark.parametrize("n, quota", [(0, 0), (1, 1), (3, 1), (4, 2), (10, 3)])
def test_per_township_minimum(n, quota):
    sample = draw_spot_check_sample(frame({"A": n, "B": 10}), seed="2026-10")
    assert sum(c.startswith("A-") for c in sample) == quota == spot_check_size(n)
    assert sum(c.startswith("B-") for c in sample) == 3


def test_relatives_always_in_and_count_toward_the_quota():
    relatives = {"A-0", "A-7", "B-2"}
    for seed in range(50):
        sample = draw_spot_check_sample(frame({"A": 10, "B": 3}, relatives), seed=seed)
        assert relatives <= set(sample)
        assert sum(c.startswith("A-") for c in sample) == 3  # 2 relatives + 1 drawn
        assert sum(c.startswith("B-") for c in sample) == 1  # the relative fills B's quota


def test_relatives_beyond_the_quota_are_all_in():
    relatives = {f"A-{i}" for i in range(5)}
    assert draw_spot_check_sample(frame({"A": 6}, relatives), seed=1) == sorted(relatives)


def test_same_seed_same_sample_whatever_the_order():
    cases = frame({"A": 40, "B": 17, "C": 3}, {"A-3"})
    first = draw_spot_check_sample(cases, seed="abc")
    shuffled = cases[:]
    random.Random(9).shuffle(shuffled)
    assert draw_spot_check_sample(iter(shuffled), seed="abc") == first == sorted(first)
    assert draw_spot_check_sample(cases, seed="abd") != first  # the seed matters


def test_seed_is_stable_across_processes():
    # A fixed expectation: the draw may not depend on PYTHONHASHSEED or the interpreter run.
    assert draw_spot_check_sample([(i, "T", False) for i in range(10)], seed="seed") == draw_spot_check_sample(
        [(i, "T", False) for i in reversed(range(10))], seed="seed"
    )
    import subprocess
    import sys

    code = "from workflows.policy.rules import draw_spot_check_sample as d; print(d([(i, 'T', False) for i in range(100)], seed='x'))"
    outputs = {
        subprocess.run([sys.executable, "-c", code], env={"PYTHONHASHSEED": h, "PYTHONPATH": "."}, capture_output=True, text=True, check=True).stdout
        for h in ("1", "2")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize("ratio", [Decimal("0"), Decimal("-0.1"), Decimal("1.5"), "abc"])
def test_invalid_ratio_is_a_value_error(ratio):
    with pytest.raises(ValueError):
        draw_spot_check_sample(frame({"A": 3}), seed=1, ratio=ratio)
    with pytest.raises(ValueError):
        draw_spot_check_sample([], seed=1, ratio=ratio)


def test_higher_ratio_and_duplicates():
    assert len(draw_spot_check_sample(frame({"A": 10}), seed=1, ratio=Decimal("0.5"))) == 5
    assert len(draw_spot_check_sample(frame({"A": 10}), seed=1, ratio=Decimal("1"))) == 10
    with pytest.raises(ValueError, match="重复"):
        draw_spot_check_sample([(1, "A", False), (1, "A", False)], seed=1)
