"""Signals into action (M1), flow layer: a recheck for a beneficiary's member, a discovery
lead for someone else whose household we know, the county's placing task for someone we do
not know. Each signal in its own transaction, locked: a run killed halfway and run again
opens the rest, nothing twice."""

from datetime import date

from django.db import transaction
from django.db.models.functions import Substr

from workflows.discovery import handoff as discovery_handoff
from workflows.policy import monitoring as rules
from workflows.recheck import handoff as recheck_handoff

from . import services
from .flows import MonitoringFlow
from .models import Signal, SignalState


def open_action(pk: int, today: date) -> str | None:
    """Open the action of one pending signal; what was opened ("recheck", "lead", "place"), or
    None when there was nothing left to open."""
    with transaction.atomic():
        signal = services.locked_pending(pk)
        if signal is None:
            return None
        # The action the comparison classified (the rule table as it stood then).
        if signal.action == rules.RECHECK and signal.beneficiary is not None:
            earlier = services.open_recheck_for(signal)
            if earlier is not None:  # once per person and event
                services.mark_open(signal, recheck=earlier)
                return None
            recheck = recheck_handoff.open_on_event(
                signal.beneficiary,
                event=rules.recheck_event(signal.event, services.rule_table()),
                detail=services.situation(signal),
                user=services.actor(signal),
                today=today,
                member=signal.member,
            )
            services.mark_open(signal, recheck=recheck)
            return "recheck"
        if signal.household is not None:
            lead = discovery_handoff.record_lead_from(
                source=discovery_handoff.MONITORING,
                external_id=f"monitoring:{signal.event}:{signal.id_number}",
                village=signal.household.hukou_region,
                person_name=signal.name,
                situation=services.situation(signal),
                user=services.actor(signal),
                id_number=signal.id_number,
                household=signal.household,
                risk_signs=[rules.LEAD_RISK_SIGNS[signal.event]] if signal.event in rules.LEAD_RISK_SIGNS else [],
                due_working_days=services.action_working_days(),
                today=today,
            )
            services.mark_open(signal, lead=lead)
            return "lead"
        MonitoringFlow.start.run(signal=signal, today=today)
        return "place"


def open_actions(feed_pk: int, today: date, prefix: str = "") -> dict[str, int]:
    """Every pending action of a feed's signals (in the region ``prefix`` when given)."""
    opened = {"recheck": 0, "lead": 0, "place": 0}
    pending = Signal.objects.filter(feed_id=feed_pk, state=SignalState.PENDING, region_code__startswith=prefix)
    for pk in pending.order_by("pk").values_list("pk", flat=True):
        kind = open_action(pk, today)
        if kind:
            opened[kind] += 1
    return opened


def pending_areas(feed_pk: int) -> list[str]:
    """The townships (9-digit prefixes) with actions to open; the county's own prefix holds
    the signals about people it has yet to place."""
    pending = Signal.objects.filter(feed_id=feed_pk, state=SignalState.PENDING)
    return sorted(set(pending.annotate(area=Substr("region_code", 1, 9)).values_list("area", flat=True)))
