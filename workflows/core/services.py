"""Operations on the household registry: the only place that writes to it from processes."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from workflows.policy import rules
from workflows.policy.models import Standard

from . import regions
from .models import Assessment, AuditLog, Employment, Household, Relation

EMPLOYED = {Employment.EMPLOYED, Employment.FLEXIBLE, Employment.FARMING}


def household_facts(household: Household, on: date) -> rules.HouseholdFacts:
    """The plain facts the pure rules take, read from the registry."""
    members = list(household.members.all())
    index = {m.pk: i for i, m in enumerate(members)}
    return rules.HouseholdFacts(
        members=tuple(
            rules.MemberFacts(
                age=m.age_on(on),
                disability_type=m.disability_type,
                disability_grade=m.disability_grade,
                serious_illness=m.serious_illness,
                employed=m.employment in EMPLOYED,
                in_school=m.in_school,
            )
            for m in members
        ),
        incomes=tuple(
            rules.IncomeFacts(kind=i.kind, monthly_amount=i.monthly_amount, member_index=index.get(i.member_id))
            for i in household.incomes.all()
        ),
    )


@transaction.atomic
def assess_household(household: Household, on: date | None = None) -> Assessment:
    """Apply the rules with the standard in force and record the result with its steps."""
    on = on or timezone.localdate()
    standard = Standard.in_force(regions.county_of(household.region_code), household.area_type, on)
    result = rules.assess(household_facts(household, on), standard.values())
    return Assessment.objects.create(
        household=household,
        standard=standard,
        per_capita_income=result.per_capita,
        dibao_eligible=result.dibao_eligible,
        marginal=result.marginal,
        dibao_amount=result.dibao_amount,
        steps=[list(step) for step in result.steps],
    )


def record_view(user, household: Household) -> None:
    """DESIGN §4.7: every view of a household's detail is written to the audit log."""
    AuditLog.objects.create(
        user=user if user.is_authenticated else None,
        action="view",
        object_type="household",
        object_id=str(household.pk),
        region_code=household.region_code,
    )


def fill_head_name(household: Household) -> None:
    """户主姓名 follows the member recorded as head (the lowest such), blank when none is."""
    head = household.members.filter(relation=Relation.HEAD).order_by("pk").values_list("name", flat=True).first() or ""
    if household.head_name != head:
        household.head_name = head
        household.save(update_fields=["head_name", "updated"])
