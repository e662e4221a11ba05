"""Opening rechecks in bulk: the monthly job's per-township step and the township's own
bulk start (both start RecheckFlow, so they sit beside the flow)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from workflows.core.scoping import scope_prefixes

from . import selectors, services
from .flows import RecheckFlow


def open_due_rechecks_in(prefix: str, until: date, today: date) -> int:
    """A 复核 process for each due beneficiary whose region code starts with ``prefix``: a
    township's for the monthly job, the user's own regions for the bulk start."""
    opened = 0
    for beneficiary in selectors.due_beneficiaries(prefix, until).select_related("household").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                RecheckFlow.scheduled.run(beneficiary=beneficiary, today=today)
        except services.AlreadyOpen:
            continue  # opened meanwhile (a bulk start, an event): one open recheck at a time
        opened += 1
    return opened


@login_required
@require_POST
@permission_required("recheck.start_recheck", raise_exception=True)
def bulk_start(request):
    """Start now the rechecks due by the end of next month in the user's own regions (a
    village's caseworker: the village; a township's clerk: the township)."""
    today = timezone.localdate()
    until = selectors.due_by(today)
    started = sum(open_due_rechecks_in(prefix, until, today) for prefix in sorted(scope_prefixes(request.user)))
    if started:
        messages.success(request, f"已启动{started}户的定期复核，入户核查任务已派发。")
    else:
        messages.info(request, "没有需要启动的复核：到期的保障对象均已有在办复核。")
    return HttpResponseRedirect(reverse("recheck:list"))
