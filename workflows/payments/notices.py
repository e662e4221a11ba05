"""The cycle's notices: the roster sent to finance and the bank, and the 发放报告 (M10)."""

from django.db.models import Sum

from workflows.core import regions
from workflows.policy.calendar import cn_date

from .models import LineKind, LineStatus, PaymentCycle, RosterLine
from .roster import BATCH_SIZE, ZERO, township_totals

RULE = "皖民社救字〔2022〕46号第十条"


def roster_context(cycle: PaymentCycle) -> dict:
    """The context of the "roster" notice (documents/samples.py), every line listed, masked."""
    lines = cycle.lines.order_by("region_code", "pk").values_list("name", "id_number", "kind", "covered_members", "amount", "card_number")
    labels = dict(LineKind.choices)
    rows = [
        {
            "name": n,
            "id_masked": RosterLine(id_number=i).masked_id,
            "kind": labels[k],
            "members": m,
            "amount": f"{a:.2f}",
            "account_masked": RosterLine(card_number=c).masked_card,
        }
        for n, i, k, m, a, c in lines.iterator(chunk_size=BATCH_SIZE)
    ]
    benefit = cycle.lines.exclude(kind__in=[LineKind.PRICE_SUBSIDY, LineKind.ARREARS])
    kinds = "、".join(labels[k] for k in sorted(set(cycle.lines.values_list("kind", flat=True))))
    return {
        "month": f"{cycle.month:%Y年%-m月}",
        "assistance": kinds or "社会救助",
        "rule": RULE,
        "pay_by": cn_date(cycle.bank_due),
        "total_households": benefit.count(),
        "total_people": benefit.aggregate(p=Sum("covered_members"))["p"] or 0,
        "total_amount": f"{cycle.total_amount:.2f}",
        "rows": rows,
    }


def issue_roster(cycle: PaymentCycle, user=None):
    """发放花名册 (PDF) from the county civil-affairs bureau to finance and the bank."""
    from documents.issuers import issuer_for
    from documents.services import issue_notice

    cycle = PaymentCycle.objects.select_related("county").get(pk=cycle.pk)
    notice = issue_notice(
        kind="roster",
        issuer=issuer_for(cycle.region_code, level=regions.LEVEL_COUNTY),
        case=cycle,
        addressee_name=f"{cycle.county.name}财政局、代理金融机构",
        context=roster_context(cycle),
        region_code=cycle.region_code,
        user=user,
    )
    if cycle.roster_notice_id != notice.pk:
        PaymentCycle.objects.filter(pk=cycle.pk).update(roster_notice=notice)
    return notice


def report_context(cycle: PaymentCycle) -> dict:
    """The context of the "payment_report" notice: totals, per township, every failed line (masked)."""

    def money(value) -> str:
        return f"{value or ZERO:.2f}"

    assert cycle.submitted_on is not None  # a cycle is reported on after its roster was submitted
    lines = cycle.lines.all()
    failed = lines.filter(status=LineStatus.FAILED).order_by("region_code", "pk").values_list("name", "id_number", "card_number", "amount", "fail_reason")
    return {
        "month": f"{cycle.month:%Y年%-m月}",
        "rule": RULE,
        "total_lines": cycle.line_count,
        "total_amount": money(cycle.total_amount),
        "submitted_on": cn_date(cycle.submitted_on),
        "allocation": cycle.allocation_reference,
        "paid_lines": lines.filter(status=LineStatus.PAID).count(),
        "paid_amount": money(cycle.paid_amount),
        "failed_lines": lines.filter(status=LineStatus.FAILED).count(),
        "failed_amount": money(cycle.failed_amount),
        "townships": [
            {"name": t["name"], "lines": t["lines"], "due": money(t["due"]), "paid": money(t["paid"]), "failed": money(t["failed"])}
            for t in township_totals(lines)
        ],
        "failures": [
            {
                "name": n,
                "id_masked": RosterLine(id_number=i).masked_id,
                "account_masked": RosterLine(card_number=c).masked_card,
                "amount": money(a),
                "reason": r,
            }
            for n, i, c, a, r in failed.iterator(chunk_size=BATCH_SIZE)
        ],
    }


def issue_report(cycle: PaymentCycle, user=None):
    """发放报告 (PDF) of a reconciled cycle, to the county government and finance (M10)."""
    from documents.issuers import issuer_for
    from documents.services import issue_notice

    notice = issue_notice(
        kind="payment_report",
        issuer=issuer_for(cycle.region_code, level=regions.LEVEL_COUNTY),
        case=cycle,
        addressee_name=f"{cycle.county.name}人民政府、{cycle.county.name}财政局",
        context=report_context(cycle),
        region_code=cycle.region_code,
        user=user,
    )
    cycle.report_notice = notice
    return notice
