import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from workflows.policy import organisation, procedure
from workflows.policy.calendar import is_first_working_day_of_month

log = logging.getLogger(__name__)


@shared_task
def ensure_monthly_meetings(today: str | None = None) -> int:
    """M8: on the first working day of a month, open a meeting for every township that has
    none this month (run daily by beat; a later run the same month finds them and stops)."""
    from workflows.core.models import Region
    from workflows.policy.calendar import add_working_days

    from . import services
    from .flows import ReviewMeetingFlow
    from .models import ReviewMeeting

    day = date.fromisoformat(today) if today else timezone.localdate()
    if not is_first_working_day_of_month(day):
        return 0
    opened = 0
    townships = Region.objects.filter(level="township", staffrole__role="township_clerk").distinct()
    for township in townships:
        if ReviewMeeting.objects.filter(township=township, scheduled_on__year=day.year, scheduled_on__month=day.month).exists():
            continue
        members = services.default_members(township)
        if len(members) < organisation.REVIEW_GROUP_MIN_MEMBERS:
            log.warning("%s 联审小组成员不足%d人，未能自动安排本月会议", township, organisation.REVIEW_GROUP_MIN_MEMBERS)
            continue
        ReviewMeetingFlow.monthly.run(
            township=township,
            scheduled_on=add_working_days(day, procedure.MEETING_PLANNED_AFTER_WORKING_DAYS),
            place=f"{township.name}人民政府会议室",
            members=members,
            today=day,
        )
        opened += 1
    return opened
