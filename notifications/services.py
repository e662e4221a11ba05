"""Sending notifications: one entry point for every process.

    notify(clerk, "task_assigned", {...}, link=task_url, key=f"task_assigned:{task.pk}")

A message is a Django template ``notifications/messages/<kind>.txt``: its first line is the
title (email subject), the rest the body.
"""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.utils import timezone

from .models import ChannelPreference, Delivery, Notification
from .tasks import deliver

# Who holds a permission, for with_perm(): the model backend, because the login backend
# (django-axes) answers no permission question and Django refuses to guess between the two.
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

SMS_SIGNATURE = "【皖救助】"  # mainland SMS gateways reject messages without a signature


def render_message(kind: str, context: dict) -> tuple[str, str]:
    # Plain text: no HTML escaping, a name like "A&B" stays as it is.
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)  # the backend named "django" in settings.TEMPLATES
    template = backend.engine.get_template(f"notifications/messages/{kind}.txt")
    text = template.render(Context(context, autoescape=False))
    title, _, body = text.strip().partition("\n")
    return title.strip(), body.strip()


def preference_for(user) -> ChannelPreference:
    """The user's saved preference, or the defaults (unsaved) when they never chose."""
    return ChannelPreference.objects.filter(user=user).first() or ChannelPreference(user=user)


def notify(user, kind: str, context: dict, link: str = "", *, key: str) -> Notification:
    """Create the in-app notification once per (user, key) and schedule email/SMS as the user
    prefers. Calling it again with the same key returns the first notification and sends nothing."""
    title, body = render_message(kind, context)
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            idempotency_key=f"{user.pk}:{key}", defaults={"user": user, "kind": kind, "title": title, "body": body, "link": link}
        )
        if not created:
            return notification
        for channel, recipient, subject, text, eta in _channels(user, preference_for(user), title, body, link):
            _schedule(channel, recipient, subject, text, notification.idempotency_key, notification, eta=eta)
    return notification


def notify_many(users, kind: str, context: dict, link: str = "", *, key: str) -> None:
    """notify() for several users at once, for the engine's hot path (every new task): the
    message is rendered once and the work is a fixed number of queries however many users.

    The same guarantee, once per (user, key): when some of them have it already (a repeat),
    the bulk insert fails as a whole and notify() one by one skips those.
    """
    users = list({user.pk: user for user in users}.values())
    if not users:
        return
    title, body = render_message(kind, context)
    fresh = [Notification(user=u, kind=kind, title=title, body=body, link=link, idempotency_key=f"{u.pk}:{key}") for u in users]
    deliveries, etas = [], []
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(fresh)
            prefs = {p.user_id: p for p in ChannelPreference.objects.filter(user__in=users)}
            for notification in fresh:
                pref = prefs.get(notification.user_id) or ChannelPreference(user=notification.user)
                for channel, recipient, subject, text, eta in _channels(notification.user, pref, title, body, link):
                    deliveries.append(
                        Delivery(
                            channel=channel,
                            recipient=recipient,
                            subject=subject,
                            text=text,
                            idempotency_key=notification.idempotency_key,
                            notification=notification,
                        )
                    )
                    etas.append(eta)
            Delivery.objects.bulk_create(deliveries)
    except IntegrityError:
        for user in users:
            notify(user, kind, context, link, key=key)
        return
    transaction.on_commit(lambda: [deliver.apply_async(args=[d.pk], eta=eta) for d, eta in zip(deliveries, etas, strict=False)])


def _channels(user, pref: ChannelPreference, title: str, body: str, link: str) -> list[tuple]:
    """The (channel, recipient, subject, text, eta) a new notification is also sent by."""
    channels: list[tuple[str, str, str, str, datetime | None]] = []
    if pref.email and user.email:
        text = body + (f"\n{settings.PUBLIC_BASE_URL.rstrip('/')}{link}" if link else "")
        channels.append((Delivery.EMAIL, user.email, title, text, None))
    if pref.sms and pref.phone:
        # SMS buzzes a phone: hold it until the user's quiet hours end (email waits in the inbox anyway)
        channels.append((Delivery.SMS, pref.phone, "", SMS_SIGNATURE + title + "：" + body, pref.quiet_until(timezone.localtime())))
    return channels


def send_message(channel: str, recipient: str, kind: str, context: dict, *, key: str) -> Delivery:
    """A standalone message to someone without an account (a citizen's phone or email)."""
    title, body = render_message(kind, context)
    text = SMS_SIGNATURE + body if channel == Delivery.SMS else body
    with transaction.atomic():
        return _schedule(channel, recipient, title, text, key)


def _schedule(channel, recipient, subject, text, key, notification=None, eta=None) -> Delivery:
    """Insert the delivery row first (unique per channel and key), then queue the send once the
    transaction commits, so that the worker always finds the row."""
    delivery, created = Delivery.objects.get_or_create(
        channel=channel, idempotency_key=key, defaults={"recipient": recipient, "subject": subject, "text": text, "notification": notification}
    )
    if created:
        transaction.on_commit(lambda: deliver.apply_async(args=[delivery.pk], eta=eta))
    return delivery


def mark_read(queryset) -> int:
    return queryset.filter(read_at__isnull=True).update(read_at=timezone.now())


def settle(keys, keep_user_id: int | None = None) -> int:
    """Mark read, for everyone but `keep_user_id`, what asked them to act on something that no
    longer waits for them (a task done, cancelled or taken by a colleague): the bell then counts
    only work still open. `keys` are (kind, key) pairs, the key as given to notify(); one that
    ends in ":" stands for every key beginning with it (a reminder a day, say)."""
    match = Q()
    for kind, key in keys:
        # Stored as "<user pk>:<key>", and a user pk holds no colon.
        lookup = "idempotency_key__contains" if key.endswith(":") else "idempotency_key__endswith"
        match |= Q(kind=kind, **{lookup: f":{key}"})
    if not match:
        return 0
    unread = Notification.objects.filter(match)
    if keep_user_id is not None:
        unread = unread.exclude(user_id=keep_user_id)
    return mark_read(unread)
