"""Celery task: sending one delivery, at most once."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from . import sms
from .models import Delivery


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.EMAIL:
        send_mail(delivery.subject, delivery.text, None, [delivery.recipient])
    else:
        sms.get_backend().send(delivery.recipient, delivery.text, key=delivery.idempotency_key)


@shared_task(bind=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=30, retry_backoff_max=3600)
def deliver(self, delivery_id: int) -> str:
    """Send one delivery at most once.

    The row is locked while sending, so a duplicate message waits and then finds it 'sent';
    a retry after a send that succeeded (e.g. the worker died before acking) finds it 'sent'
    too. A failure is recorded (attempts, error) before Celery retries with backoff.
    """
    failure = None
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status == Delivery.SENT:
            return "skipped"
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as exc:  # recorded here, re-raised below for Celery's autoretry
            failure = exc
            delivery.status, delivery.last_error = Delivery.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        else:
            delivery.status, delivery.sent_at, delivery.last_error = Delivery.SENT, timezone.now(), ""
        delivery.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    if failure is not None:
        raise failure
    return "sent"
