"""Staff pages for notices: a scoped list, an audited detail, delivery and acknowledgement.

Out of the user's region a notice does not exist for them: 404 (DESIGN §4.3).
"""

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.generic import ListView

from forms.documents import DeliveryForm
from workflows.core.scoping import get_scoped_or_404, scoped
from workflows.core.services import audit

from .delivery import record_acknowledgement, record_delivery
from .kinds import KIND_CHOICES
from .models import Notice, NoticeState


class NoticeListView(LoginRequiredMixin, ListView):
    template_name = "documents/notice_list.html"
    context_object_name = "notices"
    paginate_by = 20

    def filters(self) -> dict:
        """Only known values: a tampered query string filters nothing instead of erring."""
        kind, state = self.request.GET.get("kind", ""), self.request.GET.get("state", "")
        return {"kind": kind if kind in dict(KIND_CHOICES) else "", "state": state if state in NoticeState.values else ""}

    def get_queryset(self):
        # Every column comes from the notice row itself: one query for the page, one to count.
        lookups = {field: value for field, value in self.filters().items() if value}
        return scoped(Notice.objects.filter(**lookups), self.request.user).order_by("-created", "-id")

    def get_context_data(self, **kwargs):
        selected = self.filters()
        query = "&".join(f"{k}={v}" for k, v in selected.items() if v)
        return super().get_context_data(selected=selected, kinds=KIND_CHOICES, states=NoticeState.choices, query=query, **kwargs)


def _notice(request, pk) -> Notice:
    return get_scoped_or_404(Notice.objects.select_related("issuer", "signed_by", "created_by", "replaces"), request.user, pk=pk)


def _detail_page(request, notice, form, status=200):
    return render(request, "documents/notice_detail.html", {"notice": notice, "form": form, "States": NoticeState}, status=status)


@login_required
def notice_detail(request, pk):
    notice = _notice(request, pk)
    # DESIGN §4.7: every view of a record with personal data is written to the audit log.
    audit(request.user, "view", "notice", notice.pk, notice.region_code)
    return _detail_page(request, notice, DeliveryForm(initial={"day": timezone.localdate()}))


@login_required
def notice_deliver(request, pk):
    notice = _notice(request, pk)  # scope before method: out of scope is 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DeliveryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            record_delivery(notice, request.user, form.cleaned_data["method"], form.cleaned_data["day"], form.cleaned_data["proof"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已记录送达")
            return redirect("documents:notice_detail", pk=notice.pk)
    return _detail_page(request, notice, form, status=400)


@login_required
def notice_acknowledge(request, pk):
    notice = _notice(request, pk)  # scope before method: out of scope is 404 for any method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        record_acknowledgement(notice, request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "已确认签收")
    return redirect("documents:notice_detail", pk=notice.pk)


@login_required
def notice_proof(request, pk):
    notice = _notice(request, pk)
    if not notice.delivery_proof:
        raise Http404("没有送达回证")
    suffix = Path(notice.delivery_proof.name).suffix
    return FileResponse(notice.delivery_proof.open("rb"), as_attachment=True, filename=f"送达回证-{notice.number}{suffix}")
