"""The 临时救助决定书 of interim relief (context keys: documents/samples.py "interim_relief")."""

from documents.issuers import issuer_for, rights_context
from documents.services import issue_notice
from workflows.core import regions
from workflows.policy.calendar import cn_date

from .models import ReliefCase, ReserveFund

RULE = (
    "《社会救助暂行办法》第四十七条、《民政部 财政部关于进一步加强和改进临时救助工作的意见》（民发〔2018〕23号）"
    "及《关于进一步加强社会救助重点工作的若干措施》（皖民社救字〔2022〕46号）第六条"
)


def _facts(case: ReliefCase) -> str:
    facts = case.reason
    period = case.emergency_period
    if period is not None:
        # M6: during an epidemic or disaster the place of the emergency handles the relief.
        facts += f"该情形发生在{period.region.name}{period.reason}期间（{cn_date(period.starts)}至{cn_date(period.ends)}），不受户籍地、居住地限制，由急难发生地实施救助。"
    return facts


def _payment(case: ReliefCase) -> str:
    if case.small_amount_first:
        return f"按“小金额先行救助”先行{case.get_payment_method_display()}，事后补充说明"
    if case.above_cap:
        return f"经乡镇（街道）审核、县民政部门审批后{case.get_payment_method_display()}"
    return f"经乡镇（街道）主要负责同志审批后{case.get_payment_method_display()}"


def _county_context(case: ReliefCase) -> dict:
    """Above the interim cap: the cap it exceeds and, when refused, the county's reason."""
    if not case.above_cap:
        return {}
    return {"interim_cap": f"{case.interim_cap:.2f}", "refusal_reason": case.refusal_reason}


def decision(case: ReliefCase, user=None):
    """临时救助决定书: facts, rule (M6), result, amount, where paid from, how, and the rights.

    Above the interim cap the decision is the county civil-affairs bureau's (docs/policy.md
    "Temporary relief": decided by the county), granting or, with the reason, refusing."""
    fund = ReserveFund.objects.select_related("township").get(township_id=case.township_code)
    level = regions.LEVEL_COUNTY if case.above_cap else regions.LEVEL_TOWNSHIP
    return issue_notice(
        kind="interim_relief",
        issuer=issuer_for(case.region_code, level),
        case=case,
        addressee_name=case.person.name,
        addressee_id_number=case.person.id_number,
        region_code=case.region_code,
        context={
            "facts": _facts(case),
            "rule": RULE,
            "relief_type": f"{case.get_kind_display()}金",
            "amount": f"{case.amount:.2f}",
            "paid_from": str(fund),
            "payment": _payment(case),
            **_county_context(case),
            **rights_context(case.region_code),
        },
        user=user,
    )
