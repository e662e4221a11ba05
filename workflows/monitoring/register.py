"""The low-income register (docs/policy.md "Low-income monitoring"; 民办函〔2024〕31号): who is
in it and from which source. Benefit households from the enrolment register; households in
rigid-expense hardship and 防返贫 monitoring subjects from the departments' data; households
found in need by discovery from the village ledger."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from workflows.core.models import Beneficiary, BeneficiaryState
from workflows.core.scoping import scoped
from workflows.discovery.models import Lead, LeadState

from .models import Signal

ON_BENEFITS = [BeneficiaryState.ACTIVE, BeneficiaryState.SUSPENDED, BeneficiaryState.GRADUAL_EXIT]

#: category → (label, source)
CATEGORIES = {
    "dibao": ("最低生活保障家庭", "低保审核确认"),
    "tekun": ("特困人员", "特困人员认定"),
    "marginal": ("低保边缘家庭", "低保边缘家庭认定"),
    "single_person": ("单人户", "单人户纳入低保"),
    "rigid_expense": ("刚性支出困难家庭", "医保部门比对：医疗费用个人负担达到标准"),
    "poverty_watch": ("防返贫监测对象", "乡村振兴部门比对"),
    "discovery": ("主动发现的困难群众", "村（社区）主动发现台账"),
}
BENEFIT_KINDS = {"dibao": ["dibao"], "tekun": ["tekun_concentrated", "tekun_dispersed"], "marginal": ["marginal"], "single_person": ["single_person"]}


def _queryset(user, category: str) -> QuerySet:
    if category in BENEFIT_KINDS:
        return (
            scoped(Beneficiary.objects.filter(kind__in=BENEFIT_KINDS[category], state__in=ON_BENEFITS), user)
            .select_related("household")
            .order_by("region_code", "pk")
        )
    if category == "rigid_expense":
        since = timezone.localdate() - timedelta(days=365)
        return scoped(Signal.objects.filter(event="medical_cost", state__in=["pending", "open"], found_on__gte=since), user).order_by("-found_on", "pk")
    if category == "poverty_watch":
        return scoped(Signal.objects.filter(event="poverty_watch"), user).order_by("-found_on", "pk")
    return scoped(Lead.objects.filter(state__in=[LeadState.VERIFIED, LeadState.ASSESSED, LeadState.FILED]), user).order_by("-created", "pk")


def entries(user, category: str) -> QuerySet:
    return _queryset(user, category or "dibao")


def counts(user) -> list[tuple[str, str, int]]:
    return [(code, label, _queryset(user, code).count()) for code, (label, _) in CATEGORIES.items()]


def row(category: str, record) -> dict:
    """One line of the register, whatever the record behind it."""
    label, source = CATEGORIES[category or "dibao"]
    if isinstance(record, Beneficiary):
        return {
            "name": record.household.head_name,
            "id": "",
            "region": record.region_code,
            "category": label,
            "source": source,
            "since": record.first_paid_month,
        }
    if isinstance(record, Signal):
        return {"name": record.name, "id": record.masked_id, "region": record.region_code, "category": label, "source": source, "since": record.event_date}
    return {
        "name": record.person_name,
        "id": record.masked_id,
        "region": record.region_code,
        "category": label,
        "source": source,
        "since": record.created.date(),
    }
