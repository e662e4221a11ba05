"""Gradual exit (渐退; M2 and the 2022 national notice): a household whose income rises above
the standard keeps the benefit for a while ("原则上不超过6个月"; local length, default 6).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .calendar import add_months
from .facts import StandardValues
from .money import to_money


class GradualExit(NamedTuple):
    """``applies``: a gradual exit period is granted; ``months``: its length (0 when not)."""

    applies: bool
    months: int


def gradual_exit(per_capita: Decimal, std: StandardValues) -> GradualExit:
    """M2 and the 2022 notice: a dibao household whose per-capita income rises above (超过,
    strictly) the dibao standard keeps the benefit for a gradual exit period of
    std.gradual_exit_months ("in principle not more than 6 months"). Income equal to the
    standard is not above it. The caller applies this only to current recipients found at a
    recheck; a length of 0 months means the region grants no gradual exit."""
    per_capita = to_money(per_capita, "人均收入")
    if per_capita > std.dibao_standard and std.gradual_exit_months > 0:
        return GradualExit(True, std.gradual_exit_months)
    return GradualExit(False, 0)


def gradual_exit_end(month_start: date, months: int) -> date:
    """First day of the LAST month paid during a gradual exit.

    ``month_start`` is (any day of) the first month paid under the gradual exit; ``months``
    its length, at least 1. E.g. start 2024-11, 6 months → paid Nov … Apr → 2025-04-01; the
    benefit stops from the month after the returned one."""
    if not isinstance(months, int) or months < 1:
        raise ValueError(f"渐退期月数必须至少为 1：{months!r}")
    return add_months(month_start, months - 1)
