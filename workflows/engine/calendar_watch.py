"""Beat job: the administrators load the coming year's holiday calendar before it is needed
(DESIGN §4.4). The calendar is policy's; telling people is the engine's, above notifications."""

from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from notifications.services import PERMISSION_BACKEND, notify_many
from workflows.policy import calendar
from workflows.policy.holiday_import import IMPORT_PERMISSION


@shared_task
def warn_missing_calendar(today: str | None = None) -> int:
    """Tell every administrator (superusers, and whoever may load a year: policy.add_holidayyear),
    once a week, which years within calendar.LOOKAHEAD_DAYS still have no official holiday
    arrangement: a year answered provisionally (its deadlines are 暂定 until the notice is
    loaded), and a year with no calendar at all (a deadline is never counted there, so from the
    day a clock reaches it, its tasks cannot be submitted; DESIGN §4.4). Runs from beat, and
    when an administrator logs in, for the embedded mode where nothing runs beat. Returns the
    notifications due (a rerun in the same week creates none: the key holds the week)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    due = [(year, "calendar_provisional") for year in calendar.provisional_years(day)]
    due += [(year, "calendar_missing") for year in calendar.missing_years(day)]
    if not due:
        return 0
    admins = list(get_user_model().objects.with_perm(IMPORT_PERMISSION, backend=PERMISSION_BACKEND).order_by("pk"))
    week = day.isocalendar()
    for year, kind in due:
        context = {"year": year, "first_day": date(year, 1, 1), "today": day}
        key = f"{kind.replace('_', '-')}:{year}:{week.year}-W{week.week:02d}"
        notify_many(admins, kind, context, reverse("admin:policy_holidayyear_import"), key=key)
    return len(admins) * len(due)


def warn_administrator_on_login(sender, request, user, **kwargs) -> None:
    """An administrator who logs in hears of the coming year at once (django's user_logged_in)."""
    if user.has_perm(IMPORT_PERMISSION):
        warn_missing_calendar.delay()
