"""Money in the rules: ``Decimal`` only, amounts rounded ROUND_HALF_UP (DESIGN §3).

Per-capita figures are quantized to the fen; a benefit is rounded once, to the yuan, jiao or
fen as the local standard says (``StandardValues.rounding``; local practice varies).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")


ROUNDING_STEPS = {"yuan": Decimal("1"), "jiao": Decimal("0.1"), "fen": CENT}
ROUNDING_LABELS = {"yuan": "四舍五入到元", "jiao": "四舍五入到角", "fen": "精确到分"}


def to_money(value: object, what: str) -> Decimal:
    """A money value as Decimal; floats are refused (binary rounding has no place in money)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise ValueError(f"{what}必须是 Decimal 金额，不能是 {type(value).__name__}")
    if isinstance(value, (int, str)):
        try:
            return Decimal(value)
        except ArithmeticError:
            raise ValueError(f"{what}不是有效金额：{value!r}") from None
    raise ValueError(f"{what}必须是 Decimal 金额，不能是 {type(value).__name__}")


def yuan(amount: Decimal) -> str:
    """An amount as the explanation shows it: "1,234.50 元"."""
    return f"{amount:,.2f} 元"


def round_amount(amount: Decimal, rounding: str) -> Decimal:
    """Round a benefit amount ROUND_HALF_UP to the yuan, jiao or fen; always 2 decimal places."""
    try:
        step = ROUNDING_STEPS[rounding]
    except KeyError:
        raise ValueError(f"未知的保障金取整方式：{rounding!r}（应为 yuan、jiao 或 fen）") from None
    return amount.quantize(step, ROUND_HALF_UP).quantize(CENT)
