"""Time limits of the procedures and the joint review group's rules (pure, no database).

Expected values come from docs/policy.md: the whole procedure 30 working days, 20 where delegated
to the township, 45 in special cases (最低生活保障审核确认办法, 2022 notice); a multi-department
group deciding collectively (M8); 复议 within 60 days, 诉讼 within 6 months."""

import pytest

from workflows.policy import organisation, procedure


@pytest.mark.parametrize(
    ("delegated", "extended", "days"),
    [(False, False, 30), (True, False, 20), (False, True, 45), (True, True, 45)],
)
def test_procedure_days(delegated, extended, days):
    assert procedure.procedure_days(delegated=delegated, extended=extended) == days


def test_statutory_periods():
    assert procedure.PUBLIC_NOTICE_DAYS == 7
    assert procedure.REFUSAL_DELIVERY_WORKING_DAYS == 3
    assert procedure.ADMINISTRATIVE_REVIEW_DAYS == 60
    assert procedure.ADMINISTRATIVE_LITIGATION_MONTHS == 6
    assert procedure.PETITION_RECHECK_DAYS == 30


@pytest.mark.parametrize(
    ("members", "complete"),
    [
        ([("刘", "镇政府"), ("王", "民政办"), ("李", "财政所")], True),
        ([("刘", "镇政府"), ("王", "镇政府"), ("李", "财政所")], True),
        ([("刘", "镇政府"), ("王", "民政办")], False),  # two members: no collective of three
        ([("刘", "镇政府"), ("王", "镇政府"), ("李", "镇政府")], False),  # one department only
        ([], False),
    ],
)
def test_review_group_needs_three_members_of_two_departments(members, complete):
    assert organisation.review_group_complete(members) is complete


@pytest.mark.parametrize(("present", "members", "reached"), [(5, 8, True), (4, 8, False), (2, 3, True), (1, 3, False), (0, 0, False)])
def test_quorum_is_more_than_half_of_the_members(present, members, reached):
    assert organisation.quorum_reached(present, members) is reached


@pytest.mark.parametrize(("votes_for", "present", "approved"), [(4, 7, True), (3, 7, False), (3, 6, False), (4, 6, True), (1, 1, True)])
def test_approval_needs_more_than_half_of_those_present(votes_for, present, approved):
    assert organisation.majority_for(votes_for, present) is approved
