"""Reads of low-income monitoring for pages and other apps: signals with their action's
outcome, within the reader's regions."""

from datetime import date

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Value, When

from workflows.core.scoping import scoped
from workflows.discovery.models import OPEN_STATES as LEAD_OPEN
from workflows.recheck.models import OPEN_STATES as RECHECK_OPEN

from .models import Signal, SignalState

#: A signal's action is closed when its lead was concluded or its recheck decided.
CLOSED = Q(state=SignalState.OPEN) & (
    (Q(lead__isnull=False) & ~Q(lead__state__in=[s.value for s in LEAD_OPEN]))
    | (Q(recheck__isnull=False) & ~Q(recheck__state__in=[s.value for s in RECHECK_OPEN]))
)
CLOSED_ON = Case(
    When(lead__concluded_on__isnull=False, then=F("lead__concluded_on")),
    When(recheck__decided_on__isnull=False, then=F("recheck__decided_on")),
    default=Value(None),
    output_field=DateField(),
)


def with_outcome(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("feed__department", "lead__process", "recheck__recheckprocess", "process").annotate(
        closed=Case(When(CLOSED, then=Value(True)), default=Value(False)), closed_on=CLOSED_ON
    )


def signals_in_scope(user) -> QuerySet:
    return with_outcome(scoped(Signal.objects.all(), user))


def household_signals(household, user) -> list[Signal]:
    return list(signals_in_scope(user).filter(household=household).order_by("-event_date", "-pk")[:50])


def outcome_label(signal) -> str:
    if signal.state == SignalState.RECORDED:
        return "仅记录"
    if signal.state == SignalState.PENDING:
        return "待启动处置"
    if getattr(signal, "closed", False):
        return "已办结"
    if signal.lead_id is None and signal.recheck_id is None:
        return "待县民政安排核查"
    return "处置中"


def overdue(queryset: QuerySet, today: date) -> QuerySet:
    return queryset.filter(due_on__lt=today).exclude(CLOSED).exclude(state=SignalState.RECORDED)


def counts_by_event(queryset: QuerySet) -> dict[str, int]:
    return dict(queryset.values_list("event").annotate(n=Count("pk")).order_by())
