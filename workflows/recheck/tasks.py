"""Beat jobs of rechecks: the monthly opener (fanned out per township) and the month's
gradual exits and amount changes."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from workflows.core import regions
from workflows.core import services as registry
from workflows.policy.calendar import first_of_month, is_first_working_day_of_month

from . import selectors
from .bulk import open_due_rechecks_in


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task
def open_due_rechecks(today: str | None = None, force: bool = False) -> int:
    """On the first working day of each month (run daily by beat), one job per township that
    opens a recheck for every beneficiary due by the end of the coming month. Running it twice
    opens nothing new: a beneficiary with an open recheck is not due."""
    day = _day(today)
    if not force and not is_first_working_day_of_month(day):
        return 0
    until = selectors.due_by(day)
    townships = sorted(selectors.due_counts_by_township("", until))
    for township in townships:
        open_township_rechecks.delay(township, until.isoformat(), day.isoformat())
    return len(townships)


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def open_township_rechecks(self, township: str, until: str, today: str) -> int:
    try:
        return open_due_rechecks_in(regions.prefix_of(township), date.fromisoformat(until), date.fromisoformat(today))
    except Exception as exc:  # a lock or a lost connection: try again; nothing opens twice
        raise self.retry(exc=exc)


@shared_task
def settle_month(today: str | None = None) -> dict:
    """M2 and recheck decisions, each month (run daily; idempotent): gradual exits whose last
    month has passed end; amounts decided for this month become the monthly amount."""
    month = first_of_month(_day(today))
    return {"exited": registry.finish_gradual_exits(month), "amounts": registry.fold_amount_changes(month)}
