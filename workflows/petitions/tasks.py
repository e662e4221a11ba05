"""Beat job of petitions: replies whose 复查 period passed unasked close (arts 35–36)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def close_unreviewed(today: str | None = None) -> int:
    """Daily; idempotent (a closed petition is not replied any more)."""
    return services.close_unreviewed(date.fromisoformat(today) if today else timezone.localdate())
