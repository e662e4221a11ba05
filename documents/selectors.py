"""Reads about notices for other apps (the landing page, the notices list)."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from workflows.core import regions

from .models import Notice, NoticeState
from .services import SIGNING_ROLES

# Notices a process task signs (the minutes, the spot-check report, the interim-relief
# decision) or that are signed under the authority of signed minutes (the meeting's
# decisions): their leader is asked by that task, not by this list.
SIGNED_BY_TASK = ("minutes", "spotcheck_report", "interim_relief", "approval", "refusal")


def awaiting_signature(user) -> QuerySet:
    """Rendered notices this user is the leader to sign on the sign page (services.may_sign,
    as one query): issued at the level of a region where the user holds the signing role."""
    if user is None or not user.is_authenticated:
        return Notice.objects.none()
    conditions = [
        Q(region_code__startswith=regions.prefix_of(code), issuer__region__level=level)
        for level, role in SIGNING_ROLES.items()
        for code in user.staff_roles.filter(role=role).values_list("region_id", flat=True)
    ]
    if not conditions:
        return Notice.objects.none()
    return Notice.objects.filter(reduce(or_, conditions), state=NoticeState.RENDERED).exclude(kind__in=SIGNED_BY_TASK).exclude(pdf="").order_by("created", "id")
