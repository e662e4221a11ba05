from django.utils.functional import SimpleLazyObject


def unread_count(request):
    """``notifications_unread`` for the bell: one COUNT query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": SimpleLazyObject(lambda: user.notifications.filter(read_at__isnull=True).count())}
