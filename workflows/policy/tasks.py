"""Beat job: the administrators load the coming year's holiday calendar before it is needed."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from . import calendar


@shared_task
def warn_missing_calendar(today: str | None = None) -> int:
    """Tell every administrator (superusers, and whoever may load a year: policy.add_holidayyear),
    once a week, which years within calendar.LOOKAHEAD_DAYS still have no official holiday
    arrangement. A deadline is never counted in a year without one (DESIGN §4.4), so from the
    day a clock reaches that year, its tasks cannot be submitted. Returns the notifications due
    (a rerun in the same week creates none: the key holds the week)."""
    from notifications.services import notify_many

    day = date.fromisoformat(today) if today else timezone.localdate()
    years = calendar.missing_years(day)
    if not years:
        return 0
    admins = list(get_user_model().objects.with_perm("policy.add_holidayyear").order_by("pk"))
    week = day.isocalendar()
    for year in years:
        context = {"year": year, "first_day": date(year, 1, 1), "today": day}
        notify_many(admins, "calendar_missing", context, reverse("admin:policy_holidayyear_import"), key=f"calendar-missing:{year}:{week.year}-W{week.week:02d}")
    return len(admins) * len(years)
