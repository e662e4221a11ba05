"""Operations of a recheck (docs/policy.md "Recheck, gradual exit, termination"): the only
code that calls Recheck transitions. A beneficiary's own changes go through core's services."""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from workflows.core import regions
from workflows.core import services as registry
from workflows.core.locks import lock_county
from workflows.core.models import Beneficiary, BeneficiaryState, Member, OverpaymentPlan
from workflows.core.validators import validate_not_after_today
from workflows.core.verification import get_adapter
from workflows.policy import recheck as rules
from workflows.policy.calendar import cn_date, first_of_month, next_month
from workflows.policy.outcome import application_outcome
from workflows.policy.rules import AssetFacts

from . import notices
from .models import OPEN_STATES, Recheck, RecheckProcess, RecheckState, RecheckVisit

#: The beneficiary kinds and the decision (``application_outcome``) that rechecks each.
KIND_OF = {"dibao": "dibao", "tekun_concentrated": "tekun", "tekun_dispersed": "tekun", "marginal": "marginal", "single_person": "single_person"}
#: 社会救助暂行办法 art 18: ending 特困 support is announced before it takes effect (days).
TEKUN_PUBLICITY_DAYS = 7


def event_deadline(trigger: str, today: date) -> date:
    """The event's deadline by the team defaults, or this deployment's months per event
    (settings.RECHECK_EVENT_MONTHS, e.g. {"monitoring": 2})."""
    return rules.event_deadline(trigger, today, getattr(settings, "RECHECK_EVENT_MONTHS", None))


def _deadline_note(why: str, due_on: date) -> str:
    return f"{why}：{cn_date(due_on)}前完成复核"


class AlreadyOpen(Exception):
    def __init__(self, recheck: Recheck):
        super().__init__(str(recheck))
        self.recheck = recheck


def open_recheck_for(beneficiary: Beneficiary) -> Recheck | None:
    return beneficiary.rechecks.filter(state__in=[s.value for s in OPEN_STATES]).first()


@transaction.atomic
def open_recheck(
    process: RecheckProcess,
    beneficiary: Beneficiary,
    *,
    trigger: str,
    today: date,
    due_on: date | None = None,
    event_date: date | None = None,
    event_member: Member | None = None,
    event_detail: str = "",
    event_key: str = "",
) -> Recheck:
    """Open the beneficiary's recheck. A beneficiary never has two open: a second one raises
    ``AlreadyOpen`` with the first (the database's partial unique index decides races)."""
    if beneficiary.state in (BeneficiaryState.TERMINATED, BeneficiaryState.EXITED):
        raise ValidationError("该保障对象已停保或退出，无需复核")
    if due_on is None:
        due_on = (beneficiary.next_recheck_on or today) if trigger == "scheduled" else event_deadline(trigger, today)
    try:
        with transaction.atomic():
            recheck = Recheck.objects.create(
                beneficiary=beneficiary,
                trigger=trigger,
                event_key=event_key,
                event_date=event_date,
                event_member=event_member,
                event_detail=event_detail[:300],
                opened_on=today,
                due_on=due_on,
            )
    except IntegrityError:
        existing = open_recheck_for(beneficiary) or beneficiary.rechecks.filter(event_key=event_key).exclude(event_key="").first()
        if existing is None:
            raise
        raise AlreadyOpen(existing) from None
    process.about(recheck, f"{beneficiary.household.head_name}家庭 {recheck.get_trigger_display()}")
    process.due_date, process.deadline_note = due_on, _deadline_note(recheck.get_trigger_display(), due_on)
    process.save()
    return recheck


@transaction.atomic
def note_event_on_open(recheck: Recheck, *, trigger: str, today: date, event_date, event_member, event_detail: str, event_key: str) -> Recheck:
    """An event for a beneficiary whose recheck is already open: the open one takes it (its
    deadline the earlier of the two); the same event twice changes nothing."""
    recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
    if event_key and recheck.event_key == event_key:
        return recheck
    deadline = event_deadline(trigger, today)
    detail = f"{rules.EVENT_LABELS[trigger]}（{cn_date(event_date)}）：{event_detail}" if event_date else f"{rules.EVENT_LABELS[trigger]}：{event_detail}"
    recheck.event_detail = "；".join(x for x in (recheck.event_detail, detail) if x)[:300]
    if recheck.trigger == "scheduled":
        recheck.trigger, recheck.event_date, recheck.event_member = trigger, event_date, event_member
    if not recheck.event_key:
        recheck.event_key = event_key
    recheck.due_on = min(recheck.due_on, deadline)
    recheck.save()
    process = recheck.recheckprocess
    if process.due_date is None or deadline < process.due_date:
        process.due_date, process.deadline_note = deadline, _deadline_note(rules.EVENT_LABELS[trigger], deadline)
        process.save(update_fields=["due_date", "deadline_note"])
    return recheck


def event_key_for(trigger: str, member: Member | None, event_date: date | None, reference: str = "") -> str:
    """Once per person and event: a death is one event per member; others by their reference
    (a work order, a data row) or their day."""
    if trigger in ("death", "hukou_out") and member is not None:
        return f"{trigger}:{member.pk}"
    return f"{trigger}:{member.pk if member else ''}:{reference or (event_date.isoformat() if event_date else '')}"[:80]


# --- the visit, the proposal ------------------------------------------------------------------


@transaction.atomic
def record_visit(
    recheck: Recheck, *, user, investigator_1, investigator_2, visited_on, living_conditions, findings, self_care=None, today: date
) -> RecheckVisit:
    """入户核查 with the application's checks (``core.services.check_visit``)."""
    level = registry.check_visit(
        investigator_1=investigator_1,
        investigator_2=investigator_2,
        visited_on=visited_on,
        since=recheck.opened_on - timedelta(days=31),
        since_label="复核启动前一个月",
        self_care=self_care,
        today=today,
    )
    recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
    visit = RecheckVisit.objects.create(
        recheck=recheck,
        investigator_1=investigator_1,
        investigator_2=investigator_2,
        visited_on=visited_on,
        living_conditions=living_conditions,
        findings=findings,
        self_care=dict(self_care or {}),
        self_care_level=level,
        recorded_by=user,
    )
    if recheck.state == RecheckState.OPEN:
        recheck.mark_visited()
        recheck.save()
    return visit


def evaluate(recheck: Recheck, today: date):
    """The rules' decision now, as for an application (``application_outcome``, continuing):
    the registry's present members, the assets the verification adapter finds, the visit's
    self-care level; returns (standard, facts, outcome)."""
    beneficiary = recheck.beneficiary
    household = beneficiary.household
    standard = registry.standard_for(household, today)
    found = get_adapter().verify(household)
    assets = [AssetFacts(kind=a["kind"], value=Decimal(a["value"]), exempt_use=bool(a.get("exempt_use"))) for a in found.assets]
    members = list(registry.present_members(household).values_list("pk", flat=True))
    visit = recheck.visits.exclude(self_care_level="").order_by("-recorded", "-pk").first()
    self_care = {beneficiary.member_id: visit.self_care_level} if visit and beneficiary.member_id else {}
    facts = registry.household_facts(household, today, assets=assets, self_care=self_care)
    kind = KIND_OF[beneficiary.kind]
    member_index = members.index(beneficiary.member_id) if kind in ("tekun", "single_person") and beneficiary.member_id in members else None
    if not members or (kind in ("tekun", "single_person") and member_index is None):
        # No one left, or the person the benefit is for is no longer a present member.
        return standard, facts, None
    return standard, facts, application_outcome(kind, facts, standard.values(today), member_index, continuing=True)


def suggested_outcome(recheck: Recheck, outcome) -> str:
    """What the rules point to, shown beside the township's choice (never chosen for it)."""
    beneficiary = recheck.beneficiary
    if outcome is None:
        return "terminate"
    if not outcome.eligible:
        above = outcome.per_capita > outcome.standard > 0
        return "gradual_exit" if above and beneficiary.kind in ("dibao", "single_person") else "terminate"
    if outcome.monthly_amount is not None and outcome.monthly_amount != beneficiary.amount_for(next_month(recheck.opened_on)):
        return "change_amount"
    return "continue"


@transaction.atomic
def propose(
    recheck: Recheck,
    *,
    user,
    outcome: str,
    reason: str,
    today: date,
    new_amount: Decimal | None = None,
    exit_months: int | None = None,
    delegated: bool = True,
    member: Member | None = None,
    new_head: Member | None = None,
) -> Recheck:
    """The township's proposal, with the rules' computation recorded beside it. Reducing or
    stopping needs the facts and reasons in writing (art 13)."""
    recheck = Recheck.objects.select_for_update().select_related("beneficiary__household").get(pk=recheck.pk)
    beneficiary = recheck.beneficiary
    errors = {}
    if outcome not in rules.OUTCOME_LABELS:
        errors["outcome"] = "请选择复核结论"
    if outcome != "continue" and not reason.strip():
        errors["reason"] = "调整、渐退、暂停或停止保障必须写明事实与理由"
    if outcome == "change_amount" and (new_amount is None or new_amount <= 0):
        errors["new_amount"] = "调整保障金必须填写调整后的月保障金（大于0）；不再符合条件的请选择渐退或停止保障"
    if outcome == "gradual_exit":
        if beneficiary.kind not in ("dibao", "single_person"):
            errors["outcome"] = "渐退期只适用于低保家庭（含单人户）"
        try:
            rules.validate_exit_months(exit_months if exit_months is not None else 0)
        except ValueError as error:
            errors["exit_months"] = str(error)
    if outcome == "stop_member_share":
        if member is None or member.household_id != beneficiary.household_id:
            errors["member"] = "请选择拒不接受就业的成员"
        elif beneficiary.covered_members <= 1:
            errors["member"] = "单人保障的，请选择停止保障"
    if outcome in ("change_amount", "gradual_exit", "stop_member_share") and beneficiary.kind == "marginal":
        errors["outcome"] = "低保边缘家庭只认定身份，不发放保障金"
    errors.update(_head_checks(recheck, outcome, new_head))
    if errors:
        raise ValidationError(errors)
    standard, facts, result = evaluate(recheck, today)
    if outcome == "gradual_exit" and (result is None or not result.per_capita > result.standard):
        # M2: a gradual exit is for a household whose per-capita income rose above the standard.
        raise ValidationError(
            {"outcome": "按当前登记的家庭收入测算，月人均收入未超过当地低保标准，不适用渐退期；收入已变化的，请先办理家庭信息变更（登记新的收入）后再提出"}
        )
    if result is not None:
        recheck.assessment = registry.record_outcome(beneficiary.household, standard, facts, result, today)
        recheck.rule_eligible, recheck.rule_amount = result.eligible, result.monthly_amount
    else:
        recheck.rule_eligible, recheck.rule_amount = False, None
    if outcome == "stop_member_share":
        # Art 45: that member's share stops; the others' stays (the amount per person × the rest).
        share = (beneficiary.monthly_amount / beneficiary.covered_members).quantize(Decimal("0.01"))
        new_amount = beneficiary.monthly_amount - share
        recheck.event_member = member
    recheck.outcome = outcome
    recheck.reason = reason.strip()
    recheck.new_amount = new_amount if outcome in ("change_amount", "stop_member_share") else None
    recheck.exit_months = exit_months if outcome == "gradual_exit" else None
    recheck.delegated = delegated
    recheck.new_head = new_head if outcome != "terminate" else None
    recheck.proposed_by, recheck.proposed_on = user, today
    recheck.propose()
    recheck.save()
    return recheck


def _head_checks(recheck: Recheck, outcome: str, new_head: Member | None) -> dict:
    """After a death or a move: the sole member gone, the benefit stops; the head gone, the
    household goes on under a new head chosen among the present members (停旧建新)."""
    gone = recheck.event_member if recheck.trigger in ("death", "hukou_out") else None
    if gone is None or recheck.beneficiary.kind in rules.TEKUN_KINDS:
        return {}
    present = registry.present_members(recheck.beneficiary.household)
    if not present.exists():
        return {} if outcome == "terminate" else {"outcome": "家庭唯一成员已死亡或迁出，应停止保障"}
    if gone.relation == "head" and outcome != "terminate":
        if new_head is None:
            return {"new_head": "户主已死亡或迁出，请指定新户主（停旧建新，不需重新申请）"}
        if new_head.pk not in set(present.values_list("pk", flat=True)):
            return {"new_head": "新户主必须是本户在世且未迁出的成员"}
    return {}


# --- the decision -------------------------------------------------------------------------------


@transaction.atomic
def decide(recheck: Recheck, *, user, approve: bool, comment: str, today: date) -> Recheck:
    """Approve (applied at once, or after the 公示 for ending 特困 support) or send back to the
    township with the reason. Deciding twice does nothing the second time."""
    recheck = Recheck.objects.select_for_update().get(pk=recheck.pk)
    if recheck.state != RecheckState.PROPOSED:
        return recheck
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": "退回重新核查必须写明理由"})
        recheck.send_back(comment.strip())
        recheck.save()
        return recheck
    recheck.decided_by, recheck.decided_on, recheck.decision_comment = user, today, comment.strip()
    if recheck.needs_publicity:
        recheck.publicity_until = today + timedelta(days=TEKUN_PUBLICITY_DAYS)
        recheck.start_publicity()
        recheck.save()
        notices.tekun_end_publicity(recheck, user)
        return recheck
    return apply_decision(recheck, today)


def last_paid_month(recheck: Recheck, decided_on: date) -> date:
    """No payment from the month after the decision; after a death, after the death's month."""
    if recheck.trigger == "death" and recheck.event_date is not None and recheck.event_date <= decided_on:
        return rules.death_last_paid_month(recheck.event_date)
    if recheck.publicity_until is not None:
        # Art 18: ending 特困 support takes effect after its 公示.
        return first_of_month(recheck.publicity_until)
    return first_of_month(decided_on)


@transaction.atomic
def apply_decision(recheck: Recheck, today: date) -> Recheck:
    """The decided outcome takes effect through core's services; its notice is issued; the next
    recheck is scheduled. Applied once (a second call finds it decided)."""
    recheck = Recheck.objects.select_for_update().select_related("beneficiary__household").get(pk=recheck.pk)
    if recheck.state == RecheckState.DECIDED:
        return recheck
    # A roster being built for the county is finished first (before), or waits (after).
    lock_county(regions.county_of(recheck.region_code))
    beneficiary = Beneficiary.objects.select_for_update().get(pk=recheck.beneficiary_id)
    decided_on = recheck.decided_on or today
    effective = next_month(decided_on)
    outcome = recheck.outcome
    overpaid = _overpaid_months(recheck, beneficiary, decided_on)
    if recheck.new_head is not None:
        registry.change_head(beneficiary.household, recheck.new_head)
    if beneficiary.state == BeneficiaryState.SUSPENDED and outcome in ("continue", "change_amount", "stop_member_share"):
        # Found again and still eligible: the benefit resumes with the next roster built.
        registry.resume_beneficiary(beneficiary)
    if outcome in ("change_amount", "stop_member_share"):
        assert recheck.new_amount is not None  # proposed with the outcome
        members = beneficiary.covered_members - 1 if outcome == "stop_member_share" else None
        if recheck.trigger in ("death", "hukou_out") and beneficiary.member_id is None:
            # The amount is for the members who remain.
            members = registry.present_members(beneficiary.household).count()
        registry.change_amount(beneficiary, recheck.new_amount, effective, members)
        recheck.notice = notices.amount_change(recheck, beneficiary)
    elif outcome == "gradual_exit":
        assert recheck.exit_months is not None  # proposed with the outcome
        last = rules.exit_last_month(effective, recheck.exit_months)
        step_down = registry.standard_for(beneficiary.household, decided_on).gradual_exit_step_down
        registry.start_gradual_exit(beneficiary, last, recheck.exit_months, step_down)
        recheck.notice = notices.gradual_exit(recheck, beneficiary, effective, last)
    elif outcome == "suspend":
        if beneficiary.state != BeneficiaryState.SUSPENDED:
            registry.suspend_beneficiary(beneficiary, recheck.reason[:200])
        # The rosters built from now skip it: this month's, if not yet built, and the next.
        effective = first_of_month(decided_on)
        recheck.notice = notices.suspension(recheck, beneficiary, effective)
    elif outcome == "terminate":
        last = last_paid_month(recheck, decided_on)
        registry.terminate_beneficiary(beneficiary, recheck.reason[:200], last)
        effective = next_month(last)
        recheck.notice = notices.termination(recheck, beneficiary, effective)
    if outcome in ("continue", "change_amount", "stop_member_share", "suspend"):
        registry.schedule_recheck(beneficiary, decided_on, registry.recheck_due(beneficiary.household, beneficiary.kind, decided_on))
    else:
        # Leaving (gradual exit, termination): no further recheck is due.
        registry.schedule_recheck(beneficiary, decided_on, None)
    recheck.effective_month = effective
    recheck.decided_on = decided_on
    if overpaid:
        _record_overpayment(recheck, beneficiary, overpaid)
    recheck.decide()
    recheck.save()
    return recheck


def _overpaid_months(recheck: Recheck, beneficiary: Beneficiary, decided_on: date) -> list[tuple[date, Decimal]]:
    """After a death or a move reported late: the months paid after the event's month up to the
    decision's (paid by its roster, due by the 5th, M10), each with what was paid beyond what is
    due now: all of it when the benefit stops, the difference when it goes on at a new amount."""
    if recheck.trigger not in ("death", "hukou_out") or recheck.event_date is None:
        return []
    if recheck.outcome not in ("terminate", "change_amount"):
        return []
    due_now = Decimal("0") if recheck.outcome == "terminate" else (recheck.new_amount or Decimal("0"))
    months, month = [], next_month(recheck.event_date)
    while month <= first_of_month(decided_on):
        if month >= beneficiary.first_paid_month:
            paid = beneficiary.amount_for(month)
            if paid > due_now:
                months.append((month, paid - due_now))
        month = next_month(month)
    return months


def _record_overpayment(recheck: Recheck, beneficiary: Beneficiary, months: list[tuple[date, Decimal]]) -> None:
    """Its record (repaid by the family when the benefit stops, else deducted from the later
    payments) and the 追回告知书."""
    assert recheck.event_date is not None  # months are overpaid only after a dated event
    beneficiary.refresh_from_db()
    stops = recheck.outcome == "terminate"
    overpayment = registry.record_overpayment(
        beneficiary,
        cause=f"{recheck.get_trigger_display()}（{cn_date(recheck.event_date)}）后仍发放：{recheck.event_detail}",
        first_month=months[0][0],
        last_month=months[-1][0],
        months=len(months),
        amount=sum((amount for _, amount in months), Decimal("0")),
        plan=OverpaymentPlan.REPAY if stops else OverpaymentPlan.DEDUCT,
        source=f"recheck:{recheck.pk}",
    )
    notices.recovery(recheck, beneficiary, overpayment)


def resume(beneficiary: Beneficiary) -> Beneficiary:
    """A suspended beneficiary found again: paid from the next roster built."""
    return registry.resume_beneficiary(beneficiary)


# --- events -------------------------------------------------------------------------------------


def _event_detail(event: str, member: Member | None, detail: str) -> str:
    who = f"{member.name}：" if member is not None else ""
    return f"{who}{detail.strip()}"


@transaction.atomic
def report_event(
    process: RecheckProcess, beneficiary: Beneficiary, *, event: str, event_date: date, member: Member | None, detail: str, user, today: date
) -> Recheck:
    """An event that opens a recheck at once, with the event's deadline. A death or a move is
    recorded on the member (not in the future, not before the birth). Raises ``AlreadyOpen``
    when the beneficiary's recheck is open (the caller joins the event to it)."""
    if event not in rules.EVENT_LABELS:
        raise ValidationError({"event": "请选择复核事由"})
    if member is not None and member.household_id != beneficiary.household_id:
        raise ValidationError({"member": "所选成员不是该保障家庭的成员"})
    if event in ("death", "hukou_out"):
        if member is None:
            raise ValidationError({"member": "家庭成员死亡或迁出的，请选择涉及的成员"})
        registry.record_member_event(member, event, event_date, today)
    else:
        validate_event_date(event_date, today)
    return open_recheck(
        process,
        beneficiary,
        trigger=event,
        today=today,
        event_date=event_date,
        event_member=member,
        event_detail=_event_detail(event, member, detail),
        event_key=event_key_for(event, member, event_date),
    )


def report_event_on_open(recheck: Recheck, *, event: str, event_date: date, member: Member | None, detail: str, user, today: date) -> Recheck:
    if event in ("death", "hukou_out") and member is not None:
        registry.record_member_event(member, event, event_date, today)
    return note_event_on_open(
        recheck,
        trigger=event,
        today=today,
        event_date=event_date,
        event_member=member,
        event_detail=_event_detail(event, member, detail),
        event_key=event_key_for(event, member, event_date),
    )


def validate_event_date(event_date: date, today: date) -> None:
    validate_not_after_today(event_date, "事件日期", today=today, field="event_date")
