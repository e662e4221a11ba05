"""Time limits of the procedures, and the month a decided benefit is paid from.

A name ending in ``_WORKING_DAYS`` counts working days (工作日, with
``calendar.add_working_days``: the start day itself is not counted); one ending in plain
``_DAYS`` counts calendar days (日). "以内/届满" include the last day (民法典 art. 1259).
Where no primary text sets a limit, the value is a local service standard (本地服务承诺) and
its comment says so: a county may change it, the law does not fix it.

Sources: 最低生活保障审核确认办法 (民政部, 2021) and the 2022 notice; 特困人员认定办法 (民政部,
2021); 皖民社救字〔2022〕46号 (M6, M8); see docs/policy.md.
"""

from __future__ import annotations

from datetime import date

from .calendar import next_month

# ---------------------------------------------------------------------------
# Application (最低生活保障审核确认办法; 特困人员认定办法)
# ---------------------------------------------------------------------------

#: Local service standard: a filed application is accepted, or every missing document is
#: listed in one notice (一次性告知), within 3 working days of filing. The 办法 requires the
#: single notice but sets no day for it; 3 working days matches its other first steps (the
#: investigation and the county's economic check both start within 3 working days).
ACCEPTANCE_WORKING_DAYS = 3

#: Local service standard: the applicant has 10 working days to bring what the 补正 notice lists.
CORRECTION_WORKING_DAYS = 10

#: 最低生活保障审核确认办法: the whole procedure takes 30 working days from acceptance; 45 in
#: special cases (an objection during 公示, members living away from their hukou, applying
#: away from the hukou place, a hard investigation); 20 where confirmation is delegated to the
#: township (2022 notice).
PROCEDURE_WORKING_DAYS = 30
PROCEDURE_WORKING_DAYS_DELEGATED = 20
PROCEDURE_WORKING_DAYS_EXTENDED = 45

#: 最低生活保障审核确认办法: the township's opinion is publicised (公示) for 7 days in the
#: village (calendar days; the last day counts in full, 届满).
PUBLIC_NOTICE_DAYS = 7

#: 最低生活保障审核确认办法: a refusal states its reasons in writing and is delivered to the
#: applicant within 3 working days of the decision.
REFUSAL_DELIVERY_WORKING_DAYS = 3


def procedure_days(*, delegated: bool, extended: bool) -> int:
    """最低生活保障审核确认办法 and the 2022 notice: the working days the whole procedure may
    take from acceptance. An extension for a special case (given with its reason) gives 45
    whoever confirms; otherwise 20 where confirmation is delegated to the township, else 30."""
    if extended:
        return PROCEDURE_WORKING_DAYS_EXTENDED
    if delegated:
        return PROCEDURE_WORKING_DAYS_DELEGATED
    return PROCEDURE_WORKING_DAYS


def first_paid_month(decided_on: date) -> date:
    """最低生活保障审核确认办法: an approval pays from the month after the decision; the first
    day of that month. A benefit stopped on a day stops from the next month the same way."""
    return next_month(decided_on)


# ---------------------------------------------------------------------------
# Joint review meeting (M8)
# ---------------------------------------------------------------------------

#: Local practice: the monthly meeting (M8: 原则上每月至少召开1次) opened on the first working
#: day of a month is planned 5 working days later, so that members can be told and the cases
#: whose 公示 has just ended can be put on the agenda.
MEETING_PLANNED_AFTER_WORKING_DAYS = 5

# ---------------------------------------------------------------------------
# Spot check (M8)
# ---------------------------------------------------------------------------

#: 特困人员认定办法 gives the county 15 working days to spot-check and confirm; the county's
#: M8 spot check of every kind of case is given the same time.
SPOT_CHECK_WORKING_DAYS = 15

#: Local service standard: a written rectification report is due 10 working days after the
#: spot-check report that asks for it.
RECTIFY_REPORT_WORKING_DAYS = 10

# ---------------------------------------------------------------------------
# Interim relief (M6: 小金额先行救助，事后补充说明)
# ---------------------------------------------------------------------------

#: M6 lets the township pay small amounts first and explain afterwards, without a time limit.
#: Local service standards, overridable in settings (RELIEF_APPROVAL_WORKING_DAYS,
#: RELIEF_EXPLANATION_WORKING_DAYS): the township principal's approval follows within 5
#: working days of payment (or of the proposal, above the small-amount cap) ...
RELIEF_APPROVAL_WORKING_DAYS = 5
#: ... and the clerk files the written explanation (事后补充说明) within 10 working days of payment.
RELIEF_EXPLANATION_WORKING_DAYS = 10

# ---------------------------------------------------------------------------
# Household changes (社会救助暂行办法 art. 13)
# ---------------------------------------------------------------------------

#: Local service standard: a reported change of the household is reviewed within 5 working
#: days of the proposal (art. 13 asks for a prompt decision and sets no day).
CHANGE_REVIEW_WORKING_DAYS = 5

# ---------------------------------------------------------------------------
# Rights stated in a decision (docs/policy.md: decisions state the rights to 复议 and 诉讼)
# ---------------------------------------------------------------------------

#: 行政复议法 art. 20: 行政复议 may be applied for within 60 days (日) of learning of the decision.
ADMINISTRATIVE_REVIEW_DAYS = 60
#: 行政诉讼法 art. 46: 行政诉讼 may be brought within 6 months of learning of the decision.
ADMINISTRATIVE_LITIGATION_MONTHS = 6
#: 信访工作条例 art. 35: 复查 of a petition's handling may be asked within 30 days (日) of the reply.
PETITION_RECHECK_DAYS = 30
