from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from workflows.core.models import Region
from workflows.policy.calendar import first_of_month, next_month

from . import roster, services
from .flows import AccountFixFlow, PaymentFlow
from .models import PaymentCycle


@shared_task
def open_monthly_cycles(today: str | None = None) -> int:
    """M10: open each county's payment cycle (run daily by beat). A month's cycle opens from
    its opening day (services.opening_day: the first working day of the month its roster is
    due in); a later run finds it open and does nothing, so a missed day is caught up."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    this_month = first_of_month(day)
    opened = 0
    counties = Region.objects.filter(level="county", staffrole__role="county_officer").distinct()
    for month in (this_month, next_month(this_month)):
        if day < services.opening_day(month):
            continue
        existing = set(PaymentCycle.objects.filter(month=month).values_list("county_id", flat=True))
        for county in counties:
            if county.code not in existing:
                PaymentFlow.monthly.run(county=county, month=month)
                opened += 1
    return opened


def open_account_fixes_now(cycle: PaymentCycle) -> int:
    """One 修正发放账户 process per failed line of `cycle` that has none yet, in the township
    clerk's queue (M10: failed lines are paid again, to a corrected account)."""
    opened = 0
    for line in services.lines_to_fix(cycle).iterator(chunk_size=roster.BATCH_SIZE):
        AccountFixFlow.start.run(line=line)
        opened += 1
    return opened


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def open_account_fixes(self, cycle_id: int) -> int:
    """After a result import: a 修正发放账户 task for each failed line (idempotent)."""
    try:
        with transaction.atomic():
            return open_account_fixes_now(PaymentCycle.objects.get(pk=cycle_id))
    except Exception as exc:  # a lock or a lost connection: try again; the job opens none twice
        raise self.retry(exc=exc)


def on_results_imported(sender, cycle, **kwargs) -> None:
    """The account fixes, one task per failed line, once the import commits: a job, since
    thousands of tasks must not hold the import's transaction open."""
    cycle_id = cycle.pk
    transaction.on_commit(lambda: open_account_fixes.delay(cycle_id))
