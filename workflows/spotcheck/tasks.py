from datetime import date

from celery import shared_task
from django.utils import timezone

from workflows.policy.calendar import add_months, is_first_working_day_of_month, last_of_month


@shared_task
def ensure_monthly_spot_checks(today: str | None = None) -> int:
    """M8: on the first working day of a month, open last month's spot check for every county
    whose townships decided cases in it (run daily by beat; a later run finds them and stops)."""
    from workflows.application.models import Application
    from workflows.core import regions
    from workflows.core.models import Region

    from .flows import SpotCheckFlow
    from .models import SpotCheck
    from .services import DECIDED

    day = date.fromisoformat(today) if today else timezone.localdate()
    if not is_first_working_day_of_month(day):
        return 0
    start = add_months(day, -1)
    end = last_of_month(start)
    decided = Application.objects.filter(state__in=DECIDED, decided_on__range=(start, end)).values_list("region_code", flat=True).distinct()
    counties = sorted({regions.county_of(code) for code in decided})
    done = set(SpotCheck.objects.filter(period_start=start, period_end=end).values_list("county_id", flat=True))
    opened = 0
    for county in counties:
        if county in done:
            continue
        SpotCheckFlow.monthly.run(county=Region.objects.get(code=county), period_start=start, period_end=end, today=day)
        opened += 1
    return opened
