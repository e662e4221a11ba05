"""Jobs of low-income monitoring: a feed's actions opened after its comparison, raw data
deleted after its retention period, deliveries reminded and escalated (M1)."""

from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import actions, delivery, services


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else timezone.localdate()


@shared_task
def open_feed_actions(feed_pk: int, today: str | None = None) -> dict[str, int]:
    """After a feed is compared: one job per township with actions to open, for however many
    workers there are (a county's feed can call for thousands). Idempotent: a signal whose
    action is open is skipped."""
    day = _day(today)
    areas = actions.pending_areas(feed_pk)
    if len(areas) <= 1:
        return actions.open_actions(feed_pk, day)
    for area in areas:
        open_area_actions.delay(feed_pk, area, day.isoformat())
    return {"jobs": len(areas)}


@shared_task
def open_area_actions(feed_pk: int, prefix: str, today: str | None = None) -> dict[str, int]:
    return actions.open_actions(feed_pk, _day(today), prefix)


def on_feed_compared(sender, feed, **kwargs) -> None:
    """services.feed_compared: the feed's actions open once its comparison is committed."""
    transaction.on_commit(lambda: open_feed_actions.delay(feed.pk))


@shared_task
def delete_expired_raw(today: str | None = None) -> int:
    """Daily: raw files and rows past the retention period (the signals stay)."""
    return services.delete_expired_raw(_day(today))


@shared_task
def remind_deliveries(today: str | None = None) -> int:
    """Daily: before the month ends, the county officers of counties whose data have not all
    arrived; after it, their heads and the city (once per county, month and step)."""
    return delivery.remind(_day(today))
