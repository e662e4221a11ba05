"""Reads of petitions for pages and other apps, always within the reader's regions and
without what the reader is recused from (core.Recusal)."""

from datetime import timedelta

from django.db.models import QuerySet

from workflows.core.scoping import scoped

from . import services
from .models import DONE_STATES, Petition, RiskLevel


def visible(user) -> QuerySet:
    return scoped(Petition.objects.select_related("body", "household"), user)


def ledger(petition: Petition, user) -> dict:
    """M14: what the filing shows beside a petition: the same person's earlier petitions and
    the same matter's, those the reader may see."""
    earlier = services.earlier_petitions(petition.petitioner_id_number, petition.matter_key, petition.received_on, exclude_pk=petition.pk)
    allowed = set(visible(user).filter(pk__in=[p.pk for p in earlier]).values_list("pk", flat=True))
    shown = [p for p in earlier if p.pk in allowed]
    return {
        "person": [p for p in shown if petition.petitioner_id_number and p.petitioner_id_number == petition.petitioner_id_number],
        "matter": [p for p in shown if p.matter_key == petition.matter_key],
        "window_days": services.repeat_window_days(),
        "withheld": len(earlier) - len(shown),
    }


def household_petitions(household, user) -> list[Petition]:
    return list(visible(user).filter(household=household).order_by("-received_on")[:20])


def case_petitions(process, user) -> list[Petition]:
    return list(visible(user).filter(case_id=process.pk).order_by("-received_on")[:20])


def repeat_list(user, today) -> QuerySet:
    """The county's repeat-petition governance list: repeats in the window, newest first."""
    since = today - timedelta(days=services.repeat_window_days())
    return visible(user).filter(repeat=True, received_on__gte=since).order_by("-received_on")


def risk_list(user) -> QuerySet:
    """People at psychological risk and their handoffs (M14)."""
    return visible(user).filter(risk__in=[RiskLevel.HIGH, RiskLevel.WATCH]).order_by("follow_up_on", "-received_on")


def open_petitions(user) -> QuerySet:
    return visible(user).exclude(state__in=[s.value for s in DONE_STATES])
