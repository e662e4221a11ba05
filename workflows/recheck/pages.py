"""The township's recheck list (due, overdue, in gradual exit), its xlsx and its bulk start."""

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from forms.recheck import RecheckFilterForm
from workflows.core import services as registry
from workflows.core.models import Overpayment
from workflows.core.scoping import scoped

from . import selectors

HEADERS = ["序号", "村（社区）", "户主", "保障类别", "月保障金（元）", "保障人数", "状态", "上次复核", "下次复核", "渐退期截止", "在办复核"]


def _filtered(request):
    form = RecheckFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        return form, selectors.township_list(request.user, today=today).none(), today
    rows = selectors.township_list(request.user, status=data.get("status", ""), village=data["village"].code if data.get("village") else "", today=today)
    return form, rows, today


def _open(rows) -> dict:
    return selectors.open_rechecks_of(b.pk for b in rows)


@login_required
@permission_required("recheck.view_recheckprocess", raise_exception=True)
def township_page(request):
    form, rows, today = _filtered(request)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    opened = _open(page.object_list)
    lines = [{"b": b, "recheck": opened.get(b.pk), "overdue": b.next_recheck_on is not None and b.next_recheck_on < today} for b in page.object_list]
    return render(
        request,
        "recheck/list.html",
        {"form": form, "page": page, "lines": lines, "query": query.urlencode(), "today": today, "may_start": request.user.has_perm("recheck.start_recheck")},
    )


def _export_rows(sheet, batch) -> None:
    """One batch of numbered lines, with their open rechecks read in one query."""
    opened = _open(b for _, b in batch)
    for number, b in batch:
        recheck = opened.get(b.pk)
        sheet.append(
            [
                number,
                b.household.hukou_region.name,
                b.household.head_name,
                b.get_kind_display(),
                float(b.monthly_amount),
                b.covered_members,
                b.get_state_display(),
                b.last_rechecked_on.isoformat() if b.last_rechecked_on else "",
                b.next_recheck_on.isoformat() if b.next_recheck_on else "",
                b.gradual_exit_until.strftime("%Y-%m") if b.gradual_exit_until else "",
                f"{recheck.get_trigger_display()}（{recheck.get_state_display()}）" if recheck else "",
            ]
        )


@login_required
@permission_required("recheck.view_recheckprocess", raise_exception=True)
def township_export(request):
    form, rows, today = _filtered(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("复核名单")
    sheet.append([f"保障对象复核名单（导出日期：{today:%Y年%m月%d日}）"])
    sheet.append(HEADERS)
    batch: list = []
    for number, b in enumerate(rows.iterator(chunk_size=2000), start=1):
        batch.append((number, b))
        if len(batch) == 2000:
            _export_rows(sheet, batch)
            batch = []
    _export_rows(sheet, batch)
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"复核名单_{today:%Y%m%d}.xlsx")
    return response


@login_required
@permission_required("recheck.view_recheck", raise_exception=True)
def overpayments_page(request):
    """多发保障金: the region's overpayments, what remains, and (for the county head) write-off."""
    rows = scoped(Overpayment.objects.select_related("beneficiary__household__hukou_region"), request.user).order_by("state", "-created")
    error = ""
    if request.method == "POST":
        chosen = request.POST.get("overpayment", "")
        overpayment = get_object_or_404(rows, pk=int(chosen) if chosen.isdigit() else 0)
        try:
            registry.write_off_overpayment(overpayment, request.user, request.POST.get("reason", ""))
        except ValidationError as refused:
            error = "；".join(refused.messages)
        else:
            messages.success(request, f"已核销{overpayment}。")
            return HttpResponseRedirect(reverse("recheck:overpayments"))
    may_write_off = request.user.staff_roles.filter(role="county_head").exists()
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "recheck/overpayments.html", {"page": page, "may_write_off": may_write_off, "error": error})
