"""Reads of rechecks for pages, jobs and other apps."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr

from workflows.core.models import Beneficiary, BeneficiaryState
from workflows.core.scoping import scoped
from workflows.policy.calendar import add_months, last_of_month

from .models import OPEN_STATES, Recheck

#: States a beneficiary is rechecked in (a suspended one too: it may resume or stop).
RECHECKED_STATES = (BeneficiaryState.ACTIVE, BeneficiaryState.GRADUAL_EXIT, BeneficiaryState.SUSPENDED)


def due_by(month: date) -> date:
    """Due in the coming month: by the last day of the month after ``month``."""
    return last_of_month(add_months(month, 1))


def due_beneficiaries(prefix: str, until: date):
    """Beneficiaries of the region (code prefix) due a recheck on or before ``until`` with none
    open: one indexed range read on (next_recheck_on, state), filtered by region."""
    open_recheck = Recheck.objects.filter(beneficiary_id=OuterRef("pk"), state__in=[s.value for s in OPEN_STATES])
    return (
        Beneficiary.objects.filter(next_recheck_on__lte=until, state__in=[s.value for s in RECHECKED_STATES], region_code__startswith=prefix)
        .exclude(Exists(open_recheck))
        .order_by("next_recheck_on", "pk")
    )


def due_counts_by_township(prefix: str, until: date) -> dict[str, int]:
    """How many are due per township (the opener fans out one job per township), grouped in
    the database: one pass over the due rows, none of them read into Python."""
    rows = due_beneficiaries(prefix, until).order_by().annotate(township=Substr("region_code", 1, 9)).values("township").annotate(n=Count("pk"))
    return {row["township"].ljust(12, "0"): row["n"] for row in rows}


def township_list(user, *, status: str = "", village: str = "", today: date):
    """The township's page: by default every beneficiary due by the end of next month, in
    gradual exit or with a recheck in progress; or only the overdue, the gradual exits, the
    open rechecks; in the user's regions only."""
    beneficiaries = scoped(Beneficiary.objects.select_related("household", "household__hukou_region"), user)
    if village:
        beneficiaries = beneficiaries.filter(region_code=village)
    open_recheck = Recheck.objects.filter(beneficiary_id=OuterRef("pk"), state__in=[s.value for s in OPEN_STATES])
    rechecked = [s.value for s in RECHECKED_STATES]
    beneficiaries = beneficiaries.annotate(has_open=Exists(open_recheck))
    if status == "overdue":
        beneficiaries = beneficiaries.filter(next_recheck_on__lt=today, state__in=rechecked)
    elif status == "gradual_exit":
        beneficiaries = beneficiaries.filter(state=BeneficiaryState.GRADUAL_EXIT)
    elif status == "open":
        beneficiaries = beneficiaries.filter(has_open=True)
    else:
        due = Q(next_recheck_on__lte=due_by(today), state__in=rechecked)
        beneficiaries = beneficiaries.filter(due | Q(state=BeneficiaryState.GRADUAL_EXIT) | Q(has_open=True))
    return beneficiaries.order_by("next_recheck_on", "pk")


def open_rechecks_of(beneficiary_ids) -> dict[int, Recheck]:
    rows = Recheck.objects.filter(beneficiary_id__in=list(beneficiary_ids), state__in=[s.value for s in OPEN_STATES]).select_related("recheckprocess")
    return {r.beneficiary_id: r for r in rows}


def history(household) -> list[Recheck]:
    """Every recheck of the household's beneficiaries, newest first, with its notice."""
    return list(
        Recheck.objects.filter(beneficiary__household=household).select_related("beneficiary", "notice", "recheckprocess").order_by("-opened_on", "-pk")
    )
