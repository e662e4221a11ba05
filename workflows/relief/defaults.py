"""Named defaults of interim relief (M6: 小金额先行救助，事后补充说明).

M6 says the township may pay small amounts first and explain afterwards, without a time limit;
these are local service standards, overridable in settings (RELIEF_APPROVAL_WORKING_DAYS,
RELIEF_EXPLANATION_WORKING_DAYS). The caps themselves are dated per county on
workflows.policy.models.Standard (small_amount_cap, interim_cap_multiplier).
"""

# M6 (small-amount-first): the township principal's approval follows within 5 working days of payment.
APPROVAL_WORKING_DAYS = 5
# M6 (事后补充说明): the clerk files the written explanation within 10 working days of payment.
EXPLANATION_WORKING_DAYS = 10
