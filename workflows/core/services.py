"""Operations on the household registry: the only place that writes to it from processes."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from workflows.policy import rules
from workflows.policy.models import Standard

from . import regions
from .models import Assessment, AuditLog, Beneficiary, BeneficiaryState, Employment, Household, Overpayment, OverpaymentState, Recusal, Relation
from .scoping import recusal_label
from .validators import validate_not_after_today, validate_not_before

EMPLOYED = {Employment.EMPLOYED, Employment.FLEXIBLE, Employment.FARMING}


def asset_facts(assets) -> tuple[rules.AssetFacts, ...]:
    """Registry assets (or anything with kind, value, exempt_use) as the rules see them."""
    return tuple(rules.AssetFacts(kind=a.kind, value=a.value, exempt_use=a.exempt_use) for a in assets)


def household_facts(household: Household, on: date, *, assets=None, self_care: dict | None = None, property_override: str = "") -> rules.HouseholdFacts:
    """The plain facts the pure rules take, read from the registry: members, incomes, assets
    by kind, rigid costs and the persons outside the household with a duty to support.

    ``assets`` replaces the registry's assets (e.g. with what the economic verification found);
    ``self_care`` maps a member's pk to the self-care level the investigation assessed;
    ``property_override`` is the clerk's written reason for finding the property within the
    rules despite the local limits."""
    members = [m for m in household.members.all() if m.died_on is None and m.left_on is None]
    index: dict[int | None, int] = {m.pk: i for i, m in enumerate(members)}  # None: an income of the household
    self_care = self_care or {}
    return rules.HouseholdFacts(
        members=tuple(
            rules.MemberFacts(
                age=m.age_on(on),
                disability_type=m.disability_type,
                disability_grade=m.disability_grade,
                serious_illness=m.serious_illness,
                employed=m.employment in EMPLOYED,
                in_school=m.in_school,
                self_care=self_care.get(m.pk, ""),
            )
            for m in members
        ),
        incomes=tuple(rules.IncomeFacts(kind=i.kind, monthly_amount=i.monthly_amount, member_index=index.get(i.member_id)) for i in household.incomes.all()),
        rigid_costs=sum((c.monthly_amount for c in household.rigid_costs.all()), Decimal("0")),
        assets=asset_facts(household.assets.all() if assets is None else assets),
        supporters=tuple(rules.SupporterFacts(name=s.name, duty=s.duty, monthly_income=s.monthly_income, unable=s.unable) for s in household.supporters.all()),
        property_override=property_override,
    )


def standard_for(household: Household, on: date) -> Standard:
    """The standard in force for the household's county and urban/rural type on a day."""
    return Standard.in_force(regions.county_of(household.region_code), household.area_type, on)


@transaction.atomic
def assess_household(household: Household, on: date | None = None) -> Assessment:
    """Apply the rules with the standard in force and record the result with its steps."""
    on = on or timezone.localdate()
    standard = standard_for(household, on)
    result = rules.assess(household_facts(household, on), standard.values(on))
    return Assessment.objects.create(
        household=household,
        standard=standard,
        per_capita_income=result.per_capita,
        dibao_eligible=result.dibao_eligible,
        marginal=result.marginal,
        dibao_amount=result.dibao_amount,
        steps=[list(step) for step in result.steps],
    )


def check_visit(
    *, investigator_1: str, investigator_2: str, visited_on: date, since: date, since_label: str, self_care: dict | None = None, today: date | None = None
) -> str:
    """The checks of a home visit (``HomeVisit``): two different investigators (最低生活保障审核确认办法),
    on a day between ``since`` and today; for 特困 the six-activity self-care assessment, whose
    level (returned, "" when none) decides the care standard (特困人员认定办法)."""
    validate_not_after_today(visited_on, "入户日期", today=today or timezone.localdate(), field="visited_on")
    validate_not_before(visited_on, since, "入户日期", since_label, field="visited_on")
    if investigator_1.strip() == investigator_2.strip():
        raise ValidationError({"investigator_2": "入户调查应由两名不同的工作人员进行"})
    if not self_care:
        return ""
    try:
        return rules.self_care_level(self_care)
    except ValueError as error:
        raise ValidationError(str(error)) from None


def record_view(user, household: Household) -> None:
    """DESIGN §4.7: every view of a household's detail is written to the audit log."""
    AuditLog.objects.create(
        user=user if user.is_authenticated else None,
        action="view",
        object_type="household",
        object_id=str(household.pk),
        region_code=household.region_code,
    )


@transaction.atomic
def record_outcome(household: Household, standard: Standard, facts: rules.HouseholdFacts, outcome: rules.Outcome, on: date) -> Assessment:
    """Record an application's decision by the rules (``rules.application_outcome``) as the
    household's assessment: the household's dibao standing beside it, and the outcome's own
    steps, which are what the clerk was shown."""
    standing = rules.assess(facts, standard.values(on))
    return Assessment.objects.create(
        household=household,
        standard=standard,
        per_capita_income=standing.per_capita,
        dibao_eligible=standing.dibao_eligible,
        marginal=standing.marginal,
        dibao_amount=standing.dibao_amount,
        steps=[list(step) for step in outcome.steps],
    )


def audit(user, action: str, object_type: str, object_id, region_code: str, detail: str = "") -> AuditLog:
    """An entry in the audit log (DESIGN §4.7), e.g. a clerk's written override of a rule."""
    return AuditLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        detail=detail[:300],
    )


def recuse(users, records, reason: str) -> None:
    """Withhold ``records`` from ``users`` (信访工作条例 art 28 withdrawal; arts 29–30 an
    accusation kept from the accused). Each pair once, however often it is asked."""
    rows = [
        Recusal(user=user, record_type=recusal_label(type(record)), record_id=record.pk, reason=reason[:200])
        for user in {u for u in users if u is not None}
        for record in records
        if record is not None
    ]
    Recusal.objects.bulk_create(rows, ignore_conflicts=True)


def present_members(household: Household):
    """The members the rules count: not dead, hukou not moved out."""
    return household.members.filter(died_on__isnull=True, left_on__isnull=True)


def record_member_event(member, event: str, day: date, today: date | None = None) -> None:
    """A member's death or hukou moved out of the county, on ``day`` (not in the future, not
    before the member's birth). Recorded once: a second report of the same event changes nothing."""
    field = {"death": "died_on", "hukou_out": "left_on"}[event]
    label = "死亡日期" if event == "death" else "迁出日期"
    validate_not_after_today(day, label, today=today or timezone.localdate(), field="event_date")
    validate_not_before(day, member.birth_date, label, "出生日期", field="event_date")
    if getattr(member, field) is None:
        setattr(member, field, day)
        member.save(update_fields=[field])


def change_head(household: Household, new_head) -> None:
    """停旧建新 as a change of head: after the head's death the household continues under
    ``new_head`` (a present member), not as a new application."""
    if new_head.household_id != household.pk or new_head.died_on is not None or new_head.left_on is not None:
        raise ValidationError({"new_head": "新户主必须是本户在世且未迁出的成员"})
    household.members.filter(relation=Relation.HEAD).exclude(pk=new_head.pk).update(relation=Relation.OTHER)
    new_head.relation = Relation.HEAD
    new_head.save(update_fields=["relation"])
    fill_head_name(household)


def fill_head_name(household: Household) -> None:
    """户主姓名 follows the member recorded as head (the lowest such), blank when none is."""
    head = household.members.filter(relation=Relation.HEAD).order_by("pk").values_list("name", flat=True).first() or ""
    if household.head_name != head:
        household.head_name = head
        household.save(update_fields=["head_name", "updated"])


# --- beneficiaries: enrolled, changed, exited and terminated only here (DESIGN §4.11) ----------


def recheck_due(household: Household, kind: str, after: date) -> date:
    """When a beneficiary decided (or rechecked) on ``after`` is rechecked next: the county's
    interval for its kind and the household's stability (``rules.recheck_interval_months``)."""
    standard = standard_for(household, after)
    months = rules.recheck_interval_months(kind, household_facts(household, after), standard.recheck_values())
    return rules.next_recheck_date(after, months)


def enrol_beneficiary(
    household: Household, *, kind: str, monthly_amount: Decimal, covered_members: int, first_paid_month: date, member=None, decided_on: date | None = None
) -> Beneficiary:
    """A decided application's household (or, for 特困 and 单人户, its member) becomes a
    beneficiary, paid from `first_paid_month`, rechecked from the decision on. A marginal
    household is recognised at 0.00."""
    decided_on = decided_on or timezone.localdate()
    return Beneficiary.objects.create(
        household=household,
        member=member,
        kind=kind,
        monthly_amount=monthly_amount,
        covered_members=covered_members,
        first_paid_month=first_paid_month,
        next_recheck_on=recheck_due(household, kind, decided_on),
    )


def terminate_beneficiary(beneficiary: Beneficiary, reason: str, last_paid_month: date | None = None) -> Beneficiary:
    """Stop a benefit for good, with its reason (社会救助暂行办法 art 13: a written reason).
    ``last_paid_month`` is the last month still paid (the decision's month, or a death's);
    none: no further line from now."""
    beneficiary.terminate(reason, last_paid_month)
    beneficiary.save()
    return beneficiary


def change_amount(beneficiary: Beneficiary, amount: Decimal, from_month: date, covered_members: int | None = None) -> Beneficiary:
    """A recheck's new amount, paid from ``from_month`` (the month after the decision; art 13).
    A change already pending is replaced."""
    beneficiary.next_amount, beneficiary.next_amount_from = amount, from_month
    if covered_members is not None:
        beneficiary.covered_members = covered_members
    beneficiary.save(update_fields=["next_amount", "next_amount_from", "covered_members", "updated"])
    return beneficiary


def start_gradual_exit(beneficiary: Beneficiary, last_month: date, months: int | None = None, step_down: bool = False) -> Beneficiary:
    """M2: paid until ``last_month`` (inclusive), then exited by ``finish_gradual_exits``;
    with ``step_down`` (the county's rule) each month's amount falls by equal steps."""
    beneficiary.start_gradual_exit(last_month, months, step_down)
    beneficiary.save()
    return beneficiary


def suspend_beneficiary(beneficiary: Beneficiary, reason: str) -> Beneficiary:
    """Suspended (e.g. unreachable): skipped by the rosters built from now until resumed."""
    if not reason.strip():
        raise ValueError("暂停保障必须说明原因")
    beneficiary.suspend(reason.strip())
    beneficiary.save()
    return beneficiary


def resume_beneficiary(beneficiary: Beneficiary) -> Beneficiary:
    beneficiary.resume()
    beneficiary.save()
    return beneficiary


def schedule_recheck(beneficiary: Beneficiary, rechecked_on: date | None, next_on: date | None) -> Beneficiary:
    """The day of the next recheck (``rules.next_recheck_date``), after one done on ``rechecked_on``."""
    if rechecked_on is not None:
        beneficiary.last_rechecked_on = rechecked_on
    beneficiary.next_recheck_on = next_on
    beneficiary.save(update_fields=["last_rechecked_on", "next_recheck_on", "updated"])
    return beneficiary


def record_overpayment(
    beneficiary: Beneficiary, *, cause: str, first_month: date, last_month: date, months: int, amount: Decimal, plan: str, source: str = ""
) -> Overpayment:
    """Months paid after eligibility ended, with how they are recovered (art 68). Recorded once
    per source: recording it again returns the first."""
    if amount <= 0 or months <= 0:
        raise ValidationError("多发金额和月数必须大于0")
    existing = beneficiary.overpayments.filter(source=source).first() if source else None
    if existing is not None:
        return existing
    return Overpayment.objects.create(
        beneficiary=beneficiary, cause=cause[:300], first_month=first_month, last_month=last_month, months=months, amount=amount, plan=plan, source=source
    )


def record_recovery(overpayment_id: int, amount: Decimal) -> None:
    """A deduction paid out (its benefit line paid): counted as recovered; recovered in full,
    the overpayment closes. Under a row lock, never above the amount (a constraint too)."""
    with transaction.atomic():
        overpayment = Overpayment.objects.select_for_update().get(pk=overpayment_id)
        overpayment.recovered = min(overpayment.amount, overpayment.recovered + amount)
        if overpayment.recovered >= overpayment.amount:
            overpayment.state = OverpaymentState.RECOVERED
        overpayment.save(update_fields=["recovered", "state"])


def write_off_overpayment(overpayment: Overpayment, user, reason: str) -> Overpayment:
    """The county head writes off what cannot be recovered (e.g. no estate, no one liable),
    with a written reason; audited."""
    if not reason.strip():
        raise ValidationError({"close_reason": "核销必须写明理由"})
    if not user.staff_roles.filter(role="county_head", region_id=regions.county_of(overpayment.region_code)).exists():
        raise PermissionDenied("只有本县民政负责人可以核销多发保障金")
    overpayment.state, overpayment.plan, overpayment.closed_by, overpayment.close_reason = OverpaymentState.WRITTEN_OFF, "write_off", user, reason.strip()
    overpayment.save()
    audit(user, "write_off", "overpayment", overpayment.pk, overpayment.region_code, f"核销多发保障金 {overpayment.remaining} 元：{reason.strip()}")
    return overpayment


def finish_gradual_exits(month: date) -> int:
    """M2: every gradual exit whose last month is before ``month`` ends: the beneficiary exits.
    Set-based and idempotent (a second run finds none); the state change is this module's."""
    return Beneficiary.objects.filter(state=BeneficiaryState.GRADUAL_EXIT, gradual_exit_until__lt=month).update(
        state=BeneficiaryState.EXITED, end_reason="渐退期届满", updated=timezone.now()
    )


def fold_amount_changes(month: date) -> int:
    """A decided amount whose month has come becomes the monthly amount (rosters read either)."""
    return Beneficiary.objects.filter(next_amount_from__lte=month).update(
        monthly_amount=F("next_amount"), next_amount=None, next_amount_from=None, updated=timezone.now()
    )
