"""Operations of the monthly payment cycle (M10): opening it, its stages after the roster is
built (roster.py) and the account fixes; the only code that calls the cycle's transitions."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workflows.core import regions
from workflows.core.models import BankAccount, Region
from workflows.core.validators import validate_not_after_today, validate_not_before
from workflows.policy import defaults
from workflows.policy.calendar import first_of_month, next_month, payment_deadlines

from .models import CycleState, LineStatus, PaymentCycle, PaymentProcess, RosterLine
from .notices import issue_report

# --- opening --------------------------------------------------------------------------------


def open_cycle(process: PaymentProcess, county: Region, month: date) -> PaymentCycle:
    """The cycle of `county` for `month`, with its M10 deadlines frozen on it."""
    month = first_of_month(month)
    if regions.level_of(county.code) != regions.LEVEL_COUNTY:
        raise ValidationError({"county": "资金发放按县（区）开展，请选择县级区划"})
    if PaymentCycle.objects.filter(county=county, month=month).exists():
        raise ValidationError({"month": f"{county.name}{month:%Y年%-m月}的发放批次已经开启"})
    due = payment_deadlines(month.year, month.month)
    cycle = PaymentCycle.objects.create(county=county, month=month, roster_due=due["roster"], funds_due=due["funds"], bank_due=due["bank"])
    process.about(cycle, str(cycle))
    set_due(process, cycle.roster_due, "花名册报送期限（M10：每月5日前，遇节假日提前）", cycle, "roster")
    return cycle


def opening_day(month: date) -> date:
    """The day beat opens a month's cycle: the first working day of the month its roster is
    due in. Usually the 1st working day of the month itself; when the 5th is a holiday the
    deadline moves back (2026-05: to 30 April), and the cycle opens in April so that the
    roster can still be submitted on time (M10)."""
    from workflows.policy.calendar import is_working_day

    due = payment_deadlines(month.year, month.month)["roster"]
    day = first_of_month(due)
    while not is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def set_due(process: PaymentProcess, day: date | None, note: str, cycle: PaymentCycle | None = None, stage: str | None = None) -> None:
    """The process's deadline is the one of the current stage: reminders and escalation to
    the county head (notifications, engine.escalation) read it. A stage's deadline is kept
    with its nominal day (M10: the 5th, 10th, 15th), so that a deadline counted on a
    provisional calendar is counted again when the year's notice is loaded."""
    if cycle is not None and stage is not None:
        process.due_on_or_before(_nominal(cycle.month, stage), note)
    else:
        process.due_date, process.deadline_note = day, note
    process.save()


def _nominal(month: date, stage: str) -> date:
    return date(month.year, month.month, defaults.PAYMENT_DAYS[stage])


def recount_cycle_deadlines(year: int) -> int:
    """A year's official holiday arrangement was loaded: the M10 deadlines frozen on the cycles
    still open are counted again for it (a deadline near a holiday may move). The process's own
    deadline is counted again by the engine. Returns how many cycles changed."""
    changed = 0
    for cycle in PaymentCycle.objects.exclude(state=CycleState.CLOSED).filter(month__year__in=[year, year + 1]).order_by("pk"):
        due = payment_deadlines(cycle.month.year, cycle.month.month)
        fresh = {"roster_due": due["roster"], "funds_due": due["funds"], "bank_due": due["bank"]}
        if any(getattr(cycle, field) != value for field, value in fresh.items()):
            for field, value in fresh.items():
                setattr(cycle, field, value)
            cycle.save(update_fields=list(fresh))
            changed += 1
    return changed


def on_holidays_loaded(sender, year, **kwargs) -> None:
    recount_cycle_deadlines(year)


# --- the stages after the build ---------------------------------------------------------------


@transaction.atomic
def submit_roster(process: PaymentProcess, day: date) -> PaymentCycle:
    """The county officer submits the roster to finance (M10: by the 5th). Final from now on."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    if cycle.state != CycleState.ROSTER_BUILT:
        raise ValidationError("花名册尚未生成或已报送")
    if not cycle.line_count:
        raise ValidationError("花名册为空，不能报送；请核对保障对象后重新生成")
    cycle.submit(day)
    cycle.save()
    set_due(process, cycle.funds_due, "资金拨付期限（M10：每月10日前）", cycle, "funds")
    return cycle


@transaction.atomic
def allocate_funds(process: PaymentProcess, *, day: date, reference: str, amount: Decimal, today: date | None = None) -> PaymentCycle:
    """Finance confirms the allocation (M10: by the 10th); the amount must be the roster's, the
    day between the roster's submission and today."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    validate_not_after_today(day, "拨付日期", today=today or timezone.localdate(), field="allocated_on")
    validate_not_before(day, cycle.submitted_on, "拨付日期", "花名册报送日期", field="allocated_on")
    if amount != cycle.total_amount:
        raise ValidationError({"amount": f"拨付金额 {amount} 元与花名册合计 {cycle.total_amount} 元不符"})
    cycle.allocate(day, reference.strip())
    cycle.save()
    return cycle


@transaction.atomic
def start_disbursing(process: PaymentProcess) -> PaymentCycle:
    """The bank file is available to the bank from now on (written on each download)."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    cycle.start_disbursing()
    cycle.save()
    set_due(process, cycle.bank_due, "银行发放期限（M10：每月15日前，遇节假日提前）", cycle, "bank")
    return cycle


@transaction.atomic
def close_cycle(process: PaymentProcess, day: date, user=None) -> PaymentCycle:
    """Close a reconciled cycle for good, with its report (发放报告)."""
    cycle = PaymentCycle.objects.select_for_update().select_related("county").get(pk=process.cycle_id)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("该批次已办结，不能重新开启或再次办结")
    if cycle.state != CycleState.RECONCILED:
        raise ValidationError("发放结果尚未对账，不能办结")
    issue_report(cycle, user)
    cycle.close(day)
    cycle.save()
    set_due(process, None, "")
    return cycle


# --- account fixes (M10: failed lines are paid again, to a corrected account) ----------------


def lines_to_fix(cycle: PaymentCycle):
    """The failed lines of `cycle` that have no 修正发放账户 process yet (a retried job opens
    none twice: the process's line is unique)."""
    return RosterLine.objects.filter(cycle=cycle, status=LineStatus.FAILED, account_fix__isnull=True).select_related("cycle").order_by("pk")


def account_fix_due(line: RosterLine) -> tuple[date | None, str]:
    """Fixed before the next cycle's roster is due, so the arrears line carries the new account."""
    month = next_month(line.cycle.month)
    try:
        return payment_deadlines(month.year, month.month)["roster"], f"{month.month}月花名册报送前修正，以便补发"
    except ValueError:  # that year's holidays are not loaded yet: no date rather than a wrong one
        return None, "下月花名册报送前修正，以便补发"


@transaction.atomic
def fix_account(line: RosterLine, *, account_name: str, card_number: str, bank_name: str, user) -> BankAccount:
    """The account the next cycle pays to: the line's own holder's account is replaced (the
    member's own card, else the household's), and the old one kept, inactive, for the record.
    Entering the same account confirms it (a failure on the bank's side) and changes nothing."""
    line = RosterLine.objects.select_related("beneficiary").get(pk=line.pk)
    if line.status != LineStatus.FAILED:
        raise ValidationError("该笔发放没有失败，无需修正账户")
    beneficiary = line.beneficiary
    card_number = card_number.replace(" ", "")
    account = BankAccount(
        household_id=beneficiary.household_id,
        member_id=beneficiary.member_id,
        account_name=account_name.strip(),
        card_number=card_number,
        bank_name=bank_name.strip(),
    )
    account.full_clean()
    old = BankAccount.objects.filter(household_id=beneficiary.household_id, active=True)
    old = old.filter(member_id=beneficiary.member_id) if beneficiary.member_id else old
    same = old.filter(card_number=card_number, account_name=account.account_name, bank_name=account.bank_name).first()
    if same is not None:  # confirmed as it is (e.g. the bank's own fault): nothing to replace
        return same
    old.update(active=False)
    account.save()
    return account
