"""The clocks of petition handling (docs/policy.md "Petitions"). Expected dates are counted by
hand from the rule text on the 2026 State Council calendar: 国庆 10月1日–7日 off, Saturday
10月10日 a make-up working day; 11月14日–15日 a weekend."""

from datetime import date

import pytest

from workflows.policy import petitions as p

# The calendar reads the loaded holiday years from the database.
pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]


def test_a_period_in_days_is_counted_from_the_next_day():
    # 11月2日 + 15 日 = 11月17日, a Tuesday.
    assert p.acceptance_deadline(date(2026, 11, 2)) == date(2026, 11, 17)


def test_a_period_ending_on_a_weekend_ends_on_the_next_working_day():
    # 10月30日 + 15 日 = 11月14日, a Saturday → Monday 11月16日 (民法典 art 203).
    assert p.period_end(date(2026, 10, 30), 15) == date(2026, 11, 16)


def test_a_period_ending_in_the_national_day_holiday_ends_after_it():
    # 9月16日 + 15 日 = 10月1日, a holiday, and so are the 2nd to the 7th → 10月8日.
    assert p.acceptance_deadline(date(2026, 9, 16)) == date(2026, 10, 8)


def test_the_objection_counts_working_days_and_a_make_up_saturday_is_one():
    # 9月29日, 30日, 10月8日, 9日, and Saturday 10月10日 (调休上班) is the fifth.
    assert p.objection_deadline(date(2026, 9, 28)) == date(2026, 10, 10)


def test_handling_takes_sixty_days_and_an_extension_runs_on_from_the_nominal_end():
    # 8月3日 + 60 日 = 10月2日 (holiday) → 10月8日.
    assert p.handling_deadline(date(2026, 8, 3)) == date(2026, 10, 8)
    # + 30 日 from 10月2日 = 11月1日, a Sunday → 11月2日.
    assert p.handling_deadline(date(2026, 8, 3), extension_days=30) == date(2026, 11, 2)


def test_an_extension_of_thirty_days_is_allowed_and_of_thirty_one_is_refused_in_chinese():
    p.validate_extension(30)
    with pytest.raises(ValueError, match="不得超过30日"):
        p.handling_deadline(date(2026, 8, 3), extension_days=31)


def test_a_review_is_asked_within_thirty_days_of_the_reply_and_answered_within_thirty():
    assert p.review_request_deadline(date(2026, 11, 2)) == date(2026, 12, 2)
    assert p.review_answer_deadline(date(2026, 11, 2)) == date(2026, 12, 2)


def test_hearing_days_do_not_count_against_the_review_answer():
    # 11月2日 + 30 + 10 日 = 12月12日, a Saturday → 12月14日.
    assert p.review_answer_deadline(date(2026, 11, 2), paused_days=10) == date(2026, 12, 14)


def test_hotline_orders_count_working_days_across_the_holiday():
    # From Tuesday 9月29日: 9月30日, 10月8日, 10月9日.
    assert p.hotline_deadline(date(2026, 9, 29), enquiry=True) == date(2026, 10, 9)
    # ... 10月10日 (Sat, 调休), 12–16日, 19日 is the tenth.
    assert p.hotline_deadline(date(2026, 9, 29), enquiry=False) == date(2026, 10, 19)


def test_the_third_petition_in_the_window_is_a_repeat_and_the_second_is_not():
    assert not p.is_repeat(earlier_in_window=1)
    assert p.is_repeat(earlier_in_window=2)


def test_a_reply_is_rechecked_then_reviewed_then_final():
    assert p.review_level_after([]) == "recheck"
    assert p.review_level_after(["recheck"]) == "review"
    assert p.review_level_after(["recheck", "review"]) is None
