"""The county's spot check of township decisions (M8: 不低于30%, rejections included): its
size, and a sample anyone holding the recorded seed can redraw.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from typing import Any

from . import defaults
from .money import ZERO, to_money


def spot_check_size(decided_count: int, ratio: Decimal = defaults.SPOT_CHECK_RATIO) -> int:
    """M8: the county spot-checks not less than 30% (不低于) of township decisions, rejections
    included: ceil(decided_count × ratio), in Decimal arithmetic (10 × 0.30 is exactly 3).
    A ratio below the 30% floor is refused (a county may check more, up to all of them)."""
    if isinstance(ratio, float):
        ratio = Decimal(str(ratio))
    ratio = to_money(ratio, "抽查比例")
    if not ZERO < ratio <= 1:
        raise ValueError(f"抽查比例必须大于 0 且不超过 1：{ratio}")
    if ratio < defaults.SPOT_CHECK_RATIO:
        raise ValueError(
            f"抽查比例不得低于{defaults.SPOT_CHECK_RATIO * 100:.0f}%（皖民社救字〔2022〕46号第八条：抽查比例不低于30%），当前为{(ratio * 100).normalize():f}%"
        )
    if decided_count < 0:
        raise ValueError(f"审核确认件数不能为负数：{decided_count}")
    return int((Decimal(decided_count) * ratio).to_integral_value(ROUND_CEILING))


def _seed_int(seed: object) -> int:
    """A seed that means the same number in every process: str/bytes/int go through SHA-256
    (never ``hash()``, which PYTHONHASHSEED changes between processes)."""
    raw = seed if isinstance(seed, bytes) else str(seed).encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big")


def draw_spot_check_sample(frame: Iterable[tuple[Any, str, bool]], seed: object, ratio: Decimal = defaults.SPOT_CHECK_RATIO) -> list[Any]:
    """M8: the county spot-checks not less than 30% of each township's decisions, approvals
    and refusals alike; close relatives of caseworkers and village cadres (单独登记备案,
    最低生活保障审核确认办法) are always checked and count toward their township's quota.

    ``frame`` is an iterable of ``(case_id, township_code, must_include)``. Returns the sorted
    chosen case ids: per township ``spot_check_size`` cases at least (more only when the
    must-include cases alone exceed it). The frame is sorted before drawing, so the same
    frame and seed give the same sample whatever the frame's order; anyone holding the
    recorded seed can redraw and verify it.
    """
    spot_check_size(0, ratio)  # an invalid ratio is a ValueError even for an empty frame
    townships: dict[str, list[tuple[Any, bool]]] = {}
    seen: set[Any] = set()
    for case_id, township, must_include in frame:
        if case_id in seen:
            raise ValueError(f"抽查范围中案件重复：{case_id!r}")
        seen.add(case_id)
        townships.setdefault(township, []).append((case_id, bool(must_include)))
    rnd = random.Random(_seed_int(seed))
    chosen = []
    for township in sorted(townships):
        cases = sorted(townships[township])
        must = [case_id for case_id, flagged in cases if flagged]
        others = [case_id for case_id, flagged in cases if not flagged]
        chosen += must
        chosen += rnd.sample(others, max(0, spot_check_size(len(cases), ratio) - len(must)))
    return sorted(chosen)
