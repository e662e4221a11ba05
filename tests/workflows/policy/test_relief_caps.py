"""M6 interim relief caps (docs/policy.md "Temporary relief"; "以内" includes the cap, 民法典 art. 1259)."""

from decimal import Decimal

from workflows.policy.rules import Caps, above_interim_cap, interim_cap


def test_the_interim_cap_is_the_multiple_of_the_standard_to_the_cent():
    assert interim_cap(Decimal("812"), Decimal("3")) == Decimal("2436.00")
    assert interim_cap(Decimal("812.34"), Decimal("1.5")) == Decimal("1218.51")


def test_an_amount_equal_to_the_cap_is_within_it():
    assert not above_interim_cap(Decimal("2436.00"), Decimal("2436.00"))
    assert above_interim_cap(Decimal("2436.01"), Decimal("2436.00"))


def test_small_amount_first_never_applies_above_the_interim_cap():
    caps = Caps(Decimal("812"), Decimal("1"), small_amount_cap=Decimal("1000"))
    assert caps.small_amount_first(Decimal("812"))
    assert not caps.small_amount_first(Decimal("812.01"))  # within the small cap, above the interim
    assert not Caps(Decimal("812"), Decimal("3"), Decimal("1000")).small_amount_first(Decimal("1000.01"))
