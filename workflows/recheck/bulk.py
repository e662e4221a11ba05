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

from workflows.core import regions

from . import selectors, services
from .flows import RecheckFlow


def open_township_rechecks_now(township: str, until: date, today: date) -> int:
    """A 复核 process for each due beneficiary of the township (the township's bulk start too)."""
    opened = 0
    for beneficiary in selectors.due_beneficiaries(regions.prefix_of(township), until).select_related("household").iterator(chunk_size=500):
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
    """Start now the rechecks due by the end of next month in the clerk's townships."""
    today = timezone.localdate()
    until = selectors.due_by(today)
    townships = sorted({regions.township_of(r.region_id) for r in request.user.staff_roles.all() if regions.level_of(r.region_id) in ("township", "village")})
    started = 0
    for township in townships:
        started += open_township_rechecks_now(township, until, today)
    if started:
        messages.success(request, f"已启动{started}户的定期复核，入户核查任务已派发。")
    else:
        messages.info(request, "没有需要启动的复核：到期的保障对象均已有在办复核。")
    return HttpResponseRedirect(reverse("recheck:list"))
