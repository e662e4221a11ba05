"""Staff lists of petitions: those in hand with their clocks, the repeat-petition governance
list and the people at psychological risk with their handoffs (M14)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from workflows.core.scoping import get_scoped_or_404
from workflows.engine.links import process_link

from . import selectors, services
from .models import DONE_STATES, Petition

VIEW = "petitions.view_petition"


def _lines(rows, today):
    return [{"p": p, "overdue": _overdue(p, today), "link": process_link(p.petitionprocess.pk) if hasattr(p, "petitionprocess") else ""} for p in rows]


def _overdue(petition: Petition, today) -> bool:
    if petition.state in [s.value for s in DONE_STATES]:
        return False
    due = petition.hotline_due if petition.is_hotline else (petition.handling_due or petition.acceptance_due)
    return due is not None and due < today


@login_required
@permission_required(VIEW, raise_exception=True)
def list_page(request):
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    rows = selectors.open_petitions(request.user) if show == "open" else selectors.visible(request.user)
    rows = rows.select_related("petitionprocess").order_by("-received_on", "-pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request, "petitions/list.html", {"page": page, "lines": _lines(page.object_list, today), "show": show, "query": f"show={show}", "today": today}
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def repeats_page(request):
    today = timezone.localdate()
    rows = selectors.repeat_list(request.user, today).select_related("petitionprocess")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "petitions/repeats.html",
        {"page": page, "lines": _lines(page.object_list, today), "window_days": services.repeat_window_days(), "threshold": services.repeat_threshold()},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def risks_page(request):
    today = timezone.localdate()
    rows = selectors.risk_list(request.user).select_related("petitionprocess")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "petitions/risks.html", {"page": page, "lines": _lines(page.object_list, today), "today": today})


@login_required
def follow_up(request, pk):
    # Outside the reader's regions (or withheld from them) the petition does not exist: 404
    # before anything else is said about the request.
    petition = get_scoped_or_404(Petition.objects.all(), request.user, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    try:
        try:
            on = date.fromisoformat(request.POST.get("on", ""))
        except ValueError:
            raise ValidationError("请填写跟进日期（年-月-日）") from None
        services.follow_up(petition, note=request.POST.get("note", ""), on=on, user=request.user, today=timezone.localdate())
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已记录{petition.petitioner_name}的跟进情况")
    return HttpResponseRedirect(reverse("petitions:risks"))
