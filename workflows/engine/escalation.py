"""Overdue cases are escalated to the leader who answers for them (M8: the township principal
is the first responsible person; county cases go to the county civil-affairs head)."""

from datetime import date

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.services import notify
from workflows.core import regions
from workflows.core.models import Recusal, StaffRole

from .assignment import escalation_key
from .links import process_link
from .models import CaseProcess


def leaders_for(region_code: str):
    """Who answers for a case past its deadline: not those who may act on its task
    (assignment.recipients) but the leader above them."""
    township = regions.township_of(region_code)
    if regions.level_of(township) == regions.LEVEL_TOWNSHIP:
        roles = StaffRole.objects.filter(role=StaffRole.TOWNSHIP_PRINCIPAL, region_id=township)
    else:
        roles = StaffRole.objects.filter(role=StaffRole.COUNTY_HEAD, region_id=regions.county_of(region_code))
    return [r.user for r in roles.select_related("user") if r.user.is_active]


def escalate_overdue(today: date) -> int:
    """Tell the responsible leader once about every open task whose case is past its deadline."""
    tasks = (
        Task.objects.filter(flow_task_type="HUMAN", finished__isnull=True, status__in=[STATUS.NEW, STATUS.ASSIGNED], process__caseprocess__due_date__lt=today)
        .select_related("owner", "process__caseprocess")
        .order_by("pk")
    )
    sent = 0
    # Leaders recused from a case (core.Recusal: an accusation against them) are not told of it.
    withheld = set(Recusal.objects.filter(record_type=CaseProcess.recusal_label).values_list("record_id", "user_id"))
    for task in tasks:
        case = task.process.caseprocess
        context = {
            "process_title": task.flow_task.flow_class.process_title,
            "summary": case.summary,
            "due_date": case.due_date,
            "due_provisional": case.due_provisional,
            "task_title": task.title,
            "owner": (task.owner.get_full_name() or task.owner.username) if task.owner_id else "",
        }
        for leader in leaders_for(case.region_code):
            if (case.pk, leader.pk) in withheld:
                continue
            notify(leader, "overdue_escalation", context, link=process_link(case.pk), key=escalation_key(case.pk, task.pk))
            sent += 1
    return sent
