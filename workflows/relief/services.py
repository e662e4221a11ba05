"""Operations of interim relief (M6; docs/policy.md "Temporary relief"); the only code that calls
ReliefCase transitions and the only code that moves reserve-fund money."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from workflows.core import regions
from workflows.core.models import StaffRole
from workflows.core.scoping import in_scope
from workflows.policy import procedure
from workflows.policy.calendar import add_working_days
from workflows.policy.models import Standard
from workflows.policy.relief import Caps

from . import notices
from .models import EmergencyPeriod, FundEntry, FundEntryKind, ReliefCase, ReliefProcess, ReliefState, ReserveFund, event_key


def approval_days() -> int:
    return getattr(settings, "RELIEF_APPROVAL_WORKING_DAYS", procedure.RELIEF_APPROVAL_WORKING_DAYS)


def explanation_days() -> int:
    return getattr(settings, "RELIEF_EXPLANATION_WORKING_DAYS", procedure.RELIEF_EXPLANATION_WORKING_DAYS)


def check_amount(caps: Caps, amount: Decimal) -> bool:
    """Refuse a non-positive amount; True when small-amount-first applies (M6).

    An amount above the interim cap is not refused: the county decides it (docs/policy.md
    "Temporary relief")."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "救助金额应大于0"})
    return caps.small_amount_first(amount)


def caps_for(region_code: str, area_type: str, day: date) -> Caps:
    """The standard in force where the relief is paid (M6: the place of the emergency)."""
    standard = Standard.in_force(regions.county_of(region_code), area_type, day)
    return Caps(standard.dibao_standard, standard.interim_cap_multiplier, standard.small_amount_cap)


def fund_of(region_code: str) -> ReserveFund:
    fund = ReserveFund.objects.filter(township_id=regions.township_of(region_code)).first()
    if fund is None:
        raise ValidationError("本乡镇（街道）尚未设立临时救助备用金，请先登记拨款")
    return fund


def _insufficient(balance) -> ValidationError:
    return ValidationError(f"乡镇备用金余额不足（余额 {balance} 元），不能支付")


def handling_region(user, household, day: date) -> tuple[str, EmergencyPeriod | None]:
    """Where the case is handled: the household's own region when the clerk covers it;
    otherwise, during an emergency period covering the clerk's township, that township (M6)."""
    if in_scope(user, household.region_code):
        return household.region_code, None
    townships = user.staff_roles.filter(role=StaffRole.TOWNSHIP_CLERK).values_list("region_id", flat=True)
    for township in townships:
        period = EmergencyPeriod.covering(township, day)
        if period is not None:
            return township, period
    raise ValidationError({"id_number": "该人员不存在或不在您的辖区内"})


def _same_event(household, key: str) -> ReliefCase | None:
    """The case of this event that still counts: one the county refused was never paid."""
    return ReliefCase.objects.filter(household=household, event_key=key).exclude(state=ReliefState.REFUSED).first()


class AlreadyProposed(Exception):
    """The household's event has its case already: the caller shows that one (its payment)."""

    def __init__(self, case: ReliefCase):
        super().__init__(f"临时救助 {case.pk} 已就同一困难情形提出")
        self.case = case


def _restart_clock(process: ReliefProcess, case: ReliefCase) -> None:
    """The case's deadline is the earliest step still outstanding."""
    pending = []
    if case.approved_on is None and case.approval_due:
        pending.append((case.approval_due, f"主要负责同志审批（{approval_days()}个工作日内）"))
    if case.paid_on and case.explained_on is None:
        assert case.explanation_due is not None  # set with the payment
        pending.append((case.explanation_due, f"事后补充说明（支付后{explanation_days()}个工作日内）"))
    process.due_date, process.deadline_note = min(pending) if pending else (None, "")
    process.save(update_fields=["due_date", "deadline_note"])


@transaction.atomic
def propose(process: ReliefProcess, *, person, kind: str, reason: str, amount: Decimal, payment_method: str, application, user, today: date) -> ReliefCase:
    """The clerk proposes an amount within the cap from the township reserve fund (M6).

    One hardship event of a household gets one case: the same facts proposed again (a double
    click, a retried request, a second clerk) raise AlreadyProposed with the first case,
    before anything is checked or paid. The database's unique key decides between concurrent
    requests: the losers' INSERT waits for the winner's transaction and then fails."""
    household = person.household
    region_code, period = handling_region(user, household, today)
    key = event_key(reason)
    existing = _same_event(household, key)
    if existing is not None:
        raise AlreadyProposed(existing)
    if application is not None and application.household_id != household.pk:
        raise ValidationError({"application": "所选申请不是该人员家庭的申请"})
    if not reason.strip():
        raise ValidationError({"reason": "请写明困难情形"})
    caps = caps_for(region_code, household.area_type, today)
    small_first = check_amount(caps, amount)
    _check_balance(region_code, amount)
    try:
        with transaction.atomic():
            case = ReliefCase.objects.create(
                household=household,
                person=person,
                region_code=region_code,
                kind=kind,
                reason=reason.strip(),
                event_key=key,
                amount=amount,
                payment_method=payment_method,
                from_application=application,
                emergency_period=period,
                dibao_standard=caps.dibao_standard,
                interim_cap=caps.interim_cap,
                cap_multiplier=caps.multiplier,
                small_amount_cap=caps.small_amount_cap,
                small_amount_first=small_first,
                proposed_on=today,
                created_by=user,
                # Above the small-amount cap the principal approves before anything is paid.
                approval_due=None if small_first else add_working_days(today, approval_days()),
            )
    except IntegrityError:
        existing = _same_event(household, key)
        if existing is None:
            raise
        raise AlreadyProposed(existing) from None
    if not case.above_cap:
        # Above the cap the decision is the county's: issued when the county head decides.
        case.notice = notices.decision(case, user)
        case.save(update_fields=["notice"])
    process.about(case, f"{person.name} {case.get_kind_display()} {amount}元")
    process.save()
    _restart_clock(process, case)
    return case


@transaction.atomic
def pay(case: ReliefCase, user, today: date) -> ReliefCase:
    """Pay from the reserve fund: one conditional UPDATE, the ledger entry and the case in one
    transaction. The UPDATE matches no row when the balance would go negative (and the
    CheckConstraint stops anything that bypasses this), so concurrent payments cannot overdraw.
    A case already paid is left as it is (a retried node pays nothing twice)."""
    case = ReliefCase.objects.select_for_update().get(pk=case.pk)
    if case.paid_on is not None:
        return case
    fund = fund_of(case.region_code)
    if not ReserveFund.objects.filter(pk=fund.pk, balance__gte=case.amount).update(balance=F("balance") - case.amount):
        fund.refresh_from_db()
        raise _insufficient(fund.balance)
    fund.refresh_from_db()
    assert case.notice is not None  # the decision notice comes before any payment
    FundEntry.objects.create(
        fund=fund,
        amount=-case.amount,
        kind=FundEntryKind.PAYMENT,
        reference=f"临时救助决定书 {case.notice.number}",
        relief=case,
        balance_after=fund.balance,
        created_by=user,
    )
    approval_due = add_working_days(today, approval_days()) if case.small_amount_first else None
    case.pay(today, add_working_days(today, explanation_days()), approval_due)
    case.save()
    _restart_clock(case.reliefprocess, case)
    return case


def _check_balance(region_code: str, amount: Decimal) -> None:
    """Refuse an amount the township's reserve fund cannot pay now (M6: it never goes negative)."""
    fund = fund_of(region_code)
    if amount > fund.balance:
        raise _insufficient(fund.balance)


@transaction.atomic
def approve(case: ReliefCase, user, password: str, today: date) -> ReliefCase:
    """The township principal approves by signing the 临时救助决定书 (reusing the notices'
    signing): after payment for small amounts, before payment above the small-amount cap.
    Above the interim cap the principal reviews and reports to the county, whose head then
    decides and signs (county_decide); the password confirms the review."""
    from documents.services import sign_notice

    case = ReliefCase.objects.select_for_update().get(pk=case.pk)
    if case.approved_on is not None:
        raise ValidationError("该临时救助已审批，不能重复审批")
    if case.above_cap:
        if not password or not user.check_password(password):
            raise ValidationError("密码不正确，未报县级审批")
        case.report_to_county(user, today)
    elif case.paid_on is None:
        _check_balance(case.region_code, case.amount)
        case.approve_before_payment(user, today)
    else:
        case.approve_after_payment(user, today)
    if case.notice is not None:
        sign_notice(case.notice, user, password)
    case.save()
    _restart_clock(case.reliefprocess, case)
    return case


@transaction.atomic
def county_decide(case: ReliefCase, user, *, approved: bool, reason: str, password: str, today: date) -> ReliefCase:
    """The county head decides a relief above the interim cap (docs/policy.md "Temporary relief":
    not refused by the township, decided by the county) and signs the county's 临时救助决定书:
    approved, it is then paid from the township reserve fund as any other; refused, the
    decision states the reason and nothing is paid."""
    from documents.services import sign_notice

    # Before the decision is drafted: a mistyped password renders and stores nothing.
    if not password or not user.check_password(password):
        raise ValidationError("密码不正确，文书未签发")
    case = ReliefCase.objects.select_for_update().get(pk=case.pk)
    if case.state != ReliefState.REPORTED:
        raise ValidationError("该临时救助不在县级审批阶段，不能审批")
    if approved:
        _check_balance(case.region_code, case.amount)
        case.county_approve(user, today)
    else:
        if not reason.strip():
            raise ValidationError({"reason": "不予批准时必须填写理由"})
        case.county_refuse(user, today, reason.strip())
    case.notice = notices.decision(case, user)
    sign_notice(case.notice, user, password)
    case.save()
    _restart_clock(case.reliefprocess, case)
    return case


@transaction.atomic
def explain(case: ReliefCase, text: str, today: date) -> ReliefCase:
    """事后补充说明 (M6), filed by the clerk after payment."""
    if not text.strip():
        raise ValidationError({"explanation": "请填写事后补充说明"})
    case = ReliefCase.objects.select_for_update().get(pk=case.pk)
    case.file_explanation(text.strip(), today)
    case.save()
    _restart_clock(case.reliefprocess, case)
    return case


@transaction.atomic
def close(case: ReliefCase) -> ReliefCase:
    case = ReliefCase.objects.select_for_update().get(pk=case.pk)
    case.close()
    case.save()
    return case


@transaction.atomic
def top_up(township_code: str, amount: Decimal, reference: str, user) -> FundEntry:
    """Money allocated to the township's reserve fund (opened on its first top-up), with its 拨款文号."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "拨入金额应大于0"})
    if not reference.strip():
        raise ValidationError({"reference": "请填写拨款文号"})
    fund, _ = ReserveFund.objects.get_or_create(township_id=regions.township_of(township_code))
    ReserveFund.objects.filter(pk=fund.pk).update(balance=F("balance") + amount)
    fund.refresh_from_db()
    return FundEntry.objects.create(
        fund=fund, amount=amount, kind=FundEntryKind.TOP_UP, reference=reference.strip(), balance_after=fund.balance, created_by=user
    )
