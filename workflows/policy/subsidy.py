"""Price subsidies linked to price rises (M9; 发改价格〔2021〕1553号). Pure rules, no Django.

The trigger is a single month's year-on-year rise: CPI ≥ 3.5% or food CPI ≥ 6% ("以上"
includes the number itself, 民法典 art. 1259). The amount is the common local formula: the
local monthly dibao standard × the triggering rise, rounded to a whole yuan; when both
figures trigger, the larger amount. A city may set lower thresholds (paying more often),
never higher ones. Figures are percentages: 3.5 means a 3.5% rise.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# 发改价格〔2021〕1553号: CPI single-month year-on-year rise reaches 3.5%.
CPI_THRESHOLD = Decimal("3.5")
# 发改价格〔2021〕1553号: or the food CPI single-month year-on-year rise reaches 6%.
FOOD_CPI_THRESHOLD = Decimal("6")
# Recipients named by 1553号 that this system pays (dibao and tekun kinds; a place may widen it).
ELIGIBLE_KINDS = frozenset({"dibao", "single_person", "tekun_concentrated", "tekun_dispersed"})


def thresholds(cpi: Decimal | None = None, food: Decimal | None = None) -> tuple[Decimal, Decimal]:
    """A city's thresholds: its own where set, else the defaults. ValueError when a city tries
    to raise one (M9: the city decides, but only towards more protection)."""
    cpi = CPI_THRESHOLD if cpi is None else Decimal(cpi)
    food = FOOD_CPI_THRESHOLD if food is None else Decimal(food)
    if cpi > CPI_THRESHOLD or food > FOOD_CPI_THRESHOLD:
        raise ValueError(f"启动条件只能调低：居民消费价格涨幅不高于{CPI_THRESHOLD}%，食品价格涨幅不高于{FOOD_CPI_THRESHOLD}%")
    if cpi <= 0 or food <= 0:
        raise ValueError("启动条件应为正数")
    return cpi, food


def triggering_rise(cpi_yoy: Decimal | None, food_yoy: Decimal | None, cpi_threshold: Decimal | None = None, food_threshold: Decimal | None = None) -> Decimal | None:
    """The rise (in %) the subsidy is computed from, or None when the month does not trigger
    (1553号: stop in any month with no trigger). Both triggering: the larger rise, which gives
    the larger amount since the formula is linear in it."""
    cpi_t, food_t = thresholds(cpi_threshold, food_threshold)
    rises = [Decimal(v) for v, t in ((cpi_yoy, cpi_t), (food_yoy, food_t)) if v is not None and Decimal(v) >= t]
    return max(rises) if rises else None


def subsidy_per_person(dibao_standard: Decimal, rise: Decimal) -> Decimal:
    """Monthly subsidy per person: standard × rise%, rounded half-up to a whole yuan."""
    return (Decimal(dibao_standard) * Decimal(rise) / 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
