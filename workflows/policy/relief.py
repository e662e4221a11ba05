"""Interim temporary relief (M6; docs/policy.md "Temporary relief"): the caps of one payment.

"以内" includes the cap itself (民法典 art. 1259); "超过" does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import CENT


def interim_cap(dibao_standard: Decimal, multiplier: Decimal) -> Decimal:
    """M6: the township may grant interim relief up to ``multiplier`` × the monthly dibao
    standard (the local multiple), to the cent."""
    return (dibao_standard * multiplier).quantize(CENT)


def above_interim_cap(amount: Decimal, cap: Decimal) -> bool:
    """Above (超过, strictly) the interim cap the county decides; an amount equal to it is within."""
    return amount > cap


@dataclass(frozen=True)
class Caps:
    """The caps of one payment: interim cap = multiplier × the monthly dibao standard."""

    dibao_standard: Decimal
    multiplier: Decimal
    small_amount_cap: Decimal

    @property
    def interim_cap(self) -> Decimal:
        return interim_cap(self.dibao_standard, self.multiplier)

    def above_cap(self, amount: Decimal) -> bool:
        return above_interim_cap(amount, self.interim_cap)

    def small_amount_first(self, amount: Decimal) -> bool:
        """M6 小额先行: an amount within the small-amount cap is paid first and explained
        after; one above the interim cap never is, whatever the small-amount cap."""
        return amount <= self.small_amount_cap and not self.above_cap(amount)
