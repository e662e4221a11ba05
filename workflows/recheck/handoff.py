"""What other processes may do to rechecks: open one on an event they found (a petition's
reply that a beneficiary should not go on as before, a department's data). Flow layer."""

from datetime import date

from django.db import transaction

from workflows.core.models import Beneficiary, Member

from . import services
from .flows import RecheckFlow


def open_on_event(beneficiary: Beneficiary, *, event: str, detail: str, user, today: date, member: Member | None = None):
    """A recheck on ``event`` with its deadline, or the open one, which takes the event: the
    recheck (Recheck) either way. A death or a move names the member it is about."""
    try:
        with transaction.atomic():
            process = RecheckFlow.event.run(beneficiary=beneficiary, event=event, detail=detail, user=user, today=today, member=member)
        return process.recheck
    except services.AlreadyOpen as already:
        return services.report_event_on_open(already.recheck, event=event, event_date=today, member=member, detail=detail, user=user, today=today)
