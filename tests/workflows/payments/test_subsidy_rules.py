"""M9 price subsidy rules (发改价格〔2021〕1553号): pure functions, no database."""

from decimal import Decimal as D

import pytest

from workflows.policy import subsidy


@pytest.mark.parametrize(
    "cpi, food, rise",
    [
        (D("3.5"), D("0"), D("3.5")),  # 以上 includes the threshold itself
        (D("3.49"), D("5.99"), None),
        (D("1.0"), D("6"), D("6")),
        (D("4.2"), D("7.1"), D("7.1")),  # both trigger: the larger
        (D("5"), D("6"), D("6")),
        (None, D("6.5"), D("6.5")),
        (None, None, None),
    ],
)
def test_trigger_at_and_around_the_thresholds(cpi, food, rise):
    assert subsidy.triggering_rise(cpi, food) == rise


def test_a_city_may_lower_the_thresholds_but_not_raise_them():
    assert subsidy.triggering_rise(D("3.0"), D("0"), cpi_threshold=D("3.0")) == D("3.0")
    assert subsidy.triggering_rise(D("3.0"), D("0")) is None
    with pytest.raises(ValueError, match="只能调低"):
        subsidy.triggering_rise(D("3.6"), D("0"), cpi_threshold=D("4"))
    with pytest.raises(ValueError, match="只能调低"):
        subsidy.thresholds(food=D("6.5"))
    with pytest.raises(ValueError, match="正数"):
        subsidy.thresholds(cpi=D("0"))


@pytest.mark.parametrize(
    "standard, rise, amount", [(D("750"), D("3.5"), D("26")), (D("850"), D("6"), D("51")), (D("790"), D("3.5"), D("28")), (D("700"), D("3.5"), D("25"))]
)
def test_amount_is_standard_times_rise_rounded_to_a_yuan(standard, rise, amount):
    # 750 × 3.5% = 26.25 → 26; 790 × 3.5% = 27.65 → 28; 700 × 3.5% = 24.5 → 25 (half up)
    assert subsidy.subsidy_per_person(standard, rise) == amount
