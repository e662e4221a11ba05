"""The notices of a recheck (context keys: documents/samples.py): 保障金调整决定书, 渐退告知书,
停保决定书, and the 公示 before ending 特困 support (社会救助暂行办法 arts 13, 18)."""

from documents.issuers import issuer_for, rights_context
from documents.services import issue_notice
from workflows.core import regions
from workflows.policy.calendar import add_months, cn_date, cn_month, next_month

RULE = "《社会救助暂行办法》第十三条、《最低生活保障审核确认办法》"
EXIT_RULE = "《关于进一步加强社会救助重点工作的若干措施》（皖民社救字〔2022〕46号）第二条、《社会救助暂行办法》第十三条"
TEKUN_RULE = "《社会救助暂行办法》第十八条、《特困人员认定办法》"
WORK_RULE = "《社会救助暂行办法》第四十五条"
# The 公示 shows where to raise an objection; the township's notice board and its villages'.
PUBLICITY_PLACE = "{township}人民政府公示栏及所在村（社区）公示栏"


def _level(recheck) -> str:
    return regions.LEVEL_COUNTY if recheck.needs_county else regions.LEVEL_TOWNSHIP


def _addressee(beneficiary):
    person = beneficiary.member or beneficiary.household.members.filter(relation="head").order_by("pk").first()
    return (person.name, person.id_number) if person else (beneficiary.household.head_name, "")


def _assistance(beneficiary) -> str:
    return beneficiary.get_kind_display()


def _facts(recheck) -> str:
    return recheck.reason.rstrip("。；;") + "；"


def _income(recheck) -> dict:
    assessment = recheck.assessment
    if assessment is None:
        return {"income_per_capita": "—", "standard": "—"}
    return {"income_per_capita": f"{assessment.per_capita_income:.2f}", "standard": f"{assessment.standard.dibao_standard:.2f}"}


def _issue(kind: str, recheck, beneficiary, context: dict, user=None):
    name, id_number = _addressee(beneficiary)
    return issue_notice(
        kind=kind,
        issuer=issuer_for(recheck.region_code, _level(recheck)),
        case=recheck,
        addressee_name=name,
        addressee_id_number=id_number,
        region_code=recheck.region_code,
        context={**context, **rights_context(recheck.region_code)},
        user=user or recheck.decided_by,
    )


def amount_change(recheck, beneficiary):
    """保障金调整决定书: the facts, the rule, the old and new amount, from the month after the decision."""
    rule = WORK_RULE if recheck.outcome == "stop_member_share" else RULE
    members = beneficiary.covered_members
    return _issue(
        "amount_change",
        recheck,
        beneficiary,
        {
            "assistance": _assistance(beneficiary),
            "facts": _facts(recheck),
            **_income(recheck),
            "rule": rule,
            "old_amount": f"{beneficiary.monthly_amount:.2f}",
            "new_amount": f"{recheck.new_amount:.2f}",
            "members": members,
            "from_month": cn_month(beneficiary.next_amount_from),
        },
    )


def gradual_exit(recheck, beneficiary, first_month, last_month):
    """渐退告知书 (M2): the months and the amount paid in each."""
    return _issue(
        "gradual_exit",
        recheck,
        beneficiary,
        {
            "assistance": _assistance(beneficiary),
            "facts": _facts(recheck),
            **_income(recheck),
            "rule": EXIT_RULE,
            "months": recheck.exit_months,
            "from_month": cn_month(first_month),
            "until_month": cn_month(last_month),
            "monthly_amount": _exit_amounts(beneficiary, first_month, recheck.exit_months),
        },
    )


def _exit_amounts(beneficiary, first_month, months: int) -> str:
    """The amount of each month: one figure when unchanged, else every month's (递减)."""
    amounts = [beneficiary.amount_for(add_months(first_month, i)) for i in range(months)]
    if len(set(amounts)) == 1:
        return f"{amounts[0]:.2f}"
    return "分别为" + "、".join(f"{a:.2f}" for a in amounts)


def termination(recheck, beneficiary, stop_month):
    """停保决定书: the facts, the rule, the reasons and the month the payment stops from."""
    tekun = recheck.needs_publicity
    return _issue(
        "termination",
        recheck,
        beneficiary,
        {
            "assistance": _assistance(beneficiary),
            "facts": _facts(recheck),
            "rule": TEKUN_RULE if tekun else RULE,
            "reasons": [recheck.reason],
            "stop_month": cn_month(stop_month),
            "monthly_amount": f"{beneficiary.monthly_amount:.2f}",
        },
    )


def tekun_end_publicity(recheck, user=None):
    """The 公示 of ending 特困 support, for 7 days before it takes effect (art 18)."""
    beneficiary = recheck.beneficiary
    name, _ = _addressee(beneficiary)
    village = beneficiary.household.hukou_region
    township = village.parent
    from_day = recheck.decided_on
    issuer = issuer_for(recheck.region_code, regions.LEVEL_COUNTY)
    return issue_notice(
        kind="tekun_end_publicity",
        issuer=issuer,
        case=recheck,
        addressee_name=f"{township.name if township else ''}各村（社区）",
        region_code=recheck.region_code,
        context={
            "rule": TEKUN_RULE,
            "period": f"{cn_date(from_day)}至{cn_date(recheck.publicity_until)}",
            "phone": issuer.phone,
            "place": PUBLICITY_PLACE.format(township=township.name if township else ""),
            "rows": [{"name": name, "village": village.name, "reason": recheck.reason, "stop_month": cn_month(next_month(recheck.publicity_until))}],
        },
        user=user,
    )


def recovery(recheck, beneficiary, overpayment):
    """追回告知书: the months, the amount and the reason, and how it is recovered (art 68)."""
    if overpayment.plan == "deduct":
        plan = (
            f"自{cn_month(next_month(recheck.decided_on))}起从你户以后发放的保障金中按月扣减，"
            f"每月扣减不超过当月保障金的{overpayment.deduct_share * 100:.0f}%，扣完为止"
        )
    else:
        plan = "请于收到本告知书之日起30日内到本机关退还；确有困难的，可申请分期退还"
    name, id_number = _addressee(beneficiary)
    return issue_notice(
        kind="recovery",
        issuer=issuer_for(recheck.region_code, _level(recheck)),
        case=overpayment,
        addressee_name=name,
        addressee_id_number=id_number,
        region_code=recheck.region_code,
        context={
            "assistance": _assistance(beneficiary),
            "facts": _facts(recheck),
            "rule": "《社会救助暂行办法》第十三条、第六十八条",
            "first_month": cn_month(overpayment.first_month),
            "last_month": cn_month(overpayment.last_month),
            "months": overpayment.months,
            "amount": f"{overpayment.amount:.2f}",
            "plan": plan,
            **rights_context(recheck.region_code),
        },
        user=recheck.decided_by,
    )


def suspension(recheck, beneficiary, from_month):
    """暂停保障告知书: why, from which month, and how the benefit resumes."""
    return _issue(
        "suspension",
        recheck,
        beneficiary,
        {
            "assistance": _assistance(beneficiary),
            "facts": _facts(recheck),
            "rule": RULE,
            "from_month": cn_month(from_month),
            "monthly_amount": f"{beneficiary.monthly_amount:.2f}",
        },
    )
