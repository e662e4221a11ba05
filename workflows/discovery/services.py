"""Operations of proactive discovery (M3); the only code that calls Lead transitions."""

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workflows.core import regions
from workflows.core.models import Member
from workflows.core.validators import validate_not_after_today

from .models import Decision, DiscoveryProcess, Lead, LeadSource, LeadState, Visit


def registered_household(id_number: str, village_code: str):
    """The registry household of a person, when they are registered in the same township:
    a lead is worked by the township where it was found (M3: 乡镇统筹)."""
    if not id_number:
        return None
    township_prefix = regions.prefix_of(regions.township_of(village_code))
    member = Member.objects.filter(id_number=id_number, household__region_code__startswith=township_prefix).select_related("household").first()
    return member.household if member else None


@transaction.atomic
def record_lead(
    process: DiscoveryProcess,
    *,
    village,
    source,
    person_name,
    situation,
    user,
    reported_by="",
    external_id="",
    id_number="",
    household=None,
    address="",
    risk_signs=(),
    due_working_days: int | None = None,
    today: date | None = None,
) -> Lead:
    """A line in the village ledger, and the process that will follow it up; a referral that
    must be acted on in time (a monitoring signal) carries its deadline in working days."""
    external_id = external_id.strip()
    if source in (LeadSource.HOTLINE, LeadSource.MONITORING) and not external_id:
        raise ValidationError({"external_id": "12345工单和监测预警必须填写工单（预警）编号"})
    id_number = id_number.strip().upper()
    lead = Lead.objects.create(
        village=village,
        source=source,
        external_id=external_id,
        person_name=person_name.strip(),
        id_number=id_number,
        household=household or registered_household(id_number, village.code),
        address=address,
        situation=situation,
        risk_signs=list(risk_signs),
        reported_by=reported_by or user.get_full_name() or user.username,
        created_by=user,
    )
    process.about(lead, f"{lead.person_name}（{village.name}，{lead.get_source_display()}）")
    if due_working_days is not None:
        process.count_due(today or timezone.localdate(), due_working_days, f"{lead.get_source_display()}：{due_working_days}个工作日内入户核实并处置")
    process.save()
    return lead


@transaction.atomic
def record_visit(lead: Lead, *, user, visitor_1, visitor_2="", visited_on: date, place, findings, today: date) -> Visit:
    """入户核实: one visit record; the lead becomes verified."""
    if visitor_2.strip() and visitor_1.strip() == visitor_2.strip():
        raise ValidationError({"visitor_2": "同行走访人不能与走访人相同"})
    validate_not_after_today(visited_on, "走访日期", today=today, field="visited_on")
    visit = Visit.objects.create(
        lead=lead, visitor_1=visitor_1.strip(), visitor_2=visitor_2.strip(), visited_on=visited_on, place=place, findings=findings, recorded_by=user
    )
    lead.verify()
    lead.save()
    return visit


@transaction.atomic
def assess(lead: Lead, *, user, decision, note, today: date, household=None, referred_to="", close_reason="") -> Lead:
    """The township clerk's assessment and choice of outcome; each outcome needs its detail."""
    referred_to, close_reason = referred_to.strip(), close_reason.strip()
    if household is not None:
        lead.household = household
    if decision == Decision.FILE and lead.household_id is None:
        raise ValidationError({"household": "代为申请前，该对象须已在“家庭档案”中登记：请先登记家庭，再选择家庭档案"})
    if decision == Decision.REFER and not referred_to:
        raise ValidationError({"referred_to": "请写明转介去向（部门或救助帮扶项目）"})
    if decision == Decision.CLOSE and not close_reason:
        raise ValidationError({"close_reason": "办结必须说明理由"})
    lead.assess(
        decision=decision,
        note=note.strip(),
        user=user,
        day=today,
        referred_to=referred_to if decision == Decision.REFER else "",
        close_reason=close_reason if decision == Decision.CLOSE else "",
    )
    lead.save()
    return lead


def conclude(lead: Lead, today: date) -> Lead:
    """Apply the outcome chosen at assessment."""
    outcomes: dict[str, Callable[[date], object]] = {Decision.FILE: lead.file, Decision.REFER: lead.refer, Decision.CLOSE: lead.close}
    outcomes[lead.decision](today)
    lead.save()
    return lead


def link_application(sender, instance, created, **kwargs):
    """post_save of Application: a new application for a household answers the oldest lead
    filed for it that has no application yet."""
    if not created:
        return
    lead = Lead.objects.filter(household_id=instance.household_id, state=LeadState.FILED, application__isnull=True).order_by("concluded_on", "pk").first()
    if lead is not None:
        Lead.objects.filter(pk=lead.pk).update(application=instance)
