"""Operations of the household-change process; the only code that calls its transitions."""

from decimal import Decimal

from django.db import transaction

from workflows.core.models import Household, IncomeItem
from workflows.core.services import assess_household
from workflows.policy import procedure

from .models import ChangeRequest, HouseholdChangeProcess

# Household fields a change may touch, and how to read them back for the "before" snapshot.
HOUSEHOLD_FIELDS = ("address", "phone", "area_type", "residence_region_id")


def snapshot(household: Household, income: dict | None) -> dict:
    data = {f: getattr(household, f) for f in HOUSEHOLD_FIELDS}
    if income:
        current = household.incomes.filter(kind=income["kind"], member=income.get("member_id")).first()
        data["income"] = {**income, "monthly_amount": str(current.monthly_amount) if current else "0"}
    return data


@transaction.atomic
def propose_change(process: HouseholdChangeProcess, household: Household, proposed: dict, reason: str, user, today) -> ChangeRequest:
    change = ChangeRequest.objects.create(
        household=household,
        proposed=proposed,
        before=snapshot(household, proposed.get("income")),
        reason=reason,
        proposed_by=user,
    )
    process.about(change, f"{household.head_name}家庭（编号 {household.pk}）信息变更")
    days = procedure.CHANGE_REVIEW_WORKING_DAYS
    process.count_due(today, days, f"提出后{days}个工作日内审核")
    process.save()
    return change


@transaction.atomic
def review_change(change: ChangeRequest, user, approve: bool, comment: str) -> ChangeRequest:
    """Approve (and apply at once, so the recomputation sees the new data) or reject."""
    if approve:
        change.approve(user, comment)
        apply_change(change)
        change.mark_applied()
    else:
        change.reject(user, comment)
    change.save()
    return change


def apply_change(change: ChangeRequest) -> None:
    household = change.household
    for field in HOUSEHOLD_FIELDS:
        if field in change.proposed:
            setattr(household, field, change.proposed[field])
    household.save()
    income = change.proposed.get("income")
    if income:
        amount = Decimal(income["monthly_amount"])
        items = household.incomes.filter(kind=income["kind"], member=income.get("member_id"))
        if amount == 0:
            items.delete()
        elif not items.update(monthly_amount=amount):
            IncomeItem.objects.create(household=household, member_id=income.get("member_id"), kind=income["kind"], monthly_amount=amount)


def describe_change(change: ChangeRequest) -> list[tuple[str, str, str]]:
    """Rows of (item, before, after) in words, for the reviewer."""
    from workflows.core.models import AreaType, IncomeKind, Member, Region

    def region_name(code):
        region = Region.objects.filter(code=code).first()
        return region.full_name if region else (code or "—")

    shown = {
        "address": ("详细地址", lambda v: v or "—"),
        "phone": ("联系电话", lambda v: v or "—"),
        "area_type": ("城乡类别", lambda v: AreaType(v).label if v else "—"),
        "residence_region_id": ("居住地", region_name),
    }
    rows = [(label, fmt(change.before.get(key)), fmt(change.proposed.get(key))) for key, (label, fmt) in shown.items() if key in change.proposed]
    income = change.proposed.get("income")
    if income:
        member = Member.objects.filter(pk=income.get("member_id")).first()
        who = member.name if member else "家庭"
        rows.append(
            (f"{who}的{IncomeKind(income['kind']).label}（元/月）", change.before.get("income", {}).get("monthly_amount", "0"), income["monthly_amount"])
        )
    return rows


def recompute_assessment(process: HouseholdChangeProcess):
    assert process.change is not None  # proposed when the process started
    return assess_household(process.change.household)
