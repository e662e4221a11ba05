"""The supervision pages of petition work (docs/policy.md "Petitions": 信访工作条例 art 21,
the figures of the information system; arts 44–45, not accepting, not telling or not finishing
in time is accountable; M14): the month's statistics of the reader's regions, their Excel
export, and the monthly 通报 the county (or city) issues."""

import re
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from documents.issuers import issuer_for
from documents.services import issue_notice
from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import scope_prefixes

from . import statistics

VIEW = "petitions.view_statistics"
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
#: The bulletin goes down to the bodies below the issuer.
ADDRESSEES = {
    regions.LEVEL_COUNTY: "各乡镇人民政府、街道办事处，县直有关单位",
    regions.LEVEL_CITY: "各县（市、区）民政局，市直有关单位",
    regions.LEVEL_PROVINCE: "各市民政局，省直有关单位",
}
#: The widest bar of the chart, in pixels (SVG width attribute).
BAR_WIDTH = 320


def _month(raw: str | None, today) -> tuple[int, int]:
    """``YYYY-MM``, no later than this month; absent: this month."""
    if not raw:
        return today.year, today.month
    match = MONTH.match(raw.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 2000:
        raise ValueError(f"月份格式不正确：“{raw}”，请按“年-月”选择，例如{today:%Y-%m}")
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) > (today.year, today.month):
        raise ValueError(f"{year}年{month}月尚未到来，请选择本月或以前的月份")
    return year, month


def _bars(lines: list[statistics.Line]) -> list[dict]:
    top = max((line.count for line in lines), default=0)
    return [{"label": line.label, "count": line.count, "width": round(BAR_WIDTH * line.count / top) if top else 0, "y": i * 26} for i, line in enumerate(lines)]


def _bulletin_area(user) -> tuple[str, str] | None:
    """The one county, city or province whose bulletin the reader may issue: (code, level)."""
    prefixes = scope_prefixes(user)
    if len(prefixes) != 1 or "" in prefixes:
        return None
    code = next(iter(prefixes)).ljust(12, "0")
    level = regions.level_of(code)
    return (code, level) if level in ADDRESSEES else None


@login_required
@permission_required(VIEW, raise_exception=True)
def statistics_page(request):
    today = timezone.localdate()
    try:
        year, month = _month(request.GET.get("month"), today)
    except ValueError as error:
        context = {"error": str(error), "month_key": f"{today:%Y-%m}", "today": today}
        return render(request, "petitions/statistics.html", context, status=400)
    stats = statistics.monthly(request.user, year, month, today)
    area = _bulletin_area(request.user)
    context = {
        "stats": stats,
        "month_key": stats.key,
        "today": today,
        "channel_bars": _bars(stats.by_channel),
        "chart_height": len(stats.by_channel) * 26,
        "bar_width": BAR_WIDTH,
        "may_issue": area is not None,
        "month_ended": (year, month) < (today.year, today.month),
    }
    return render(request, "petitions/statistics.html", context)


def _sheet(book, title: str, headers: list[str], rows) -> None:
    sheet = book.create_sheet(title)
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))


def _number(value):
    return "" if value is None else float(value)


@login_required
@permission_required(VIEW, raise_exception=True)
def statistics_export(request):
    today = timezone.localdate()
    try:
        year, month = _month(request.GET.get("month"), today)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    stats = statistics.monthly(request.user, year, month, today)
    t = stats.totals
    book = Workbook(write_only=True)
    _sheet(
        book,
        "总体情况",
        ["项目", "数值"],
        [
            ("地区", stats.area_name),
            ("月份", stats.label),
            ("登记（件）", t.received),
            ("受理（件）", t.accepted),
            ("办结（件）", t.closed),
            (f"超期（件，截至{today:%Y-%m-%d}）", t.overdue),
            ("平均办理时长（日）", _number(t.avg_days)),
            ("回访（件）", t.called_back),
            ("满意率（%）", _number(t.satisfaction_rate)),
            ("重复信访（件）", t.repeats),
            ("重复信访率（%）", _number(t.repeat_rate)),
        ],
    )
    _sheet(book, "来源渠道", ["渠道", "件数"], ((line.label, line.count) for line in stats.by_channel))
    _sheet(book, "信访类型", ["类型", "件数"], ((line.label, line.count) for line in stats.by_kind))
    _sheet(book, "超期情况", ["超期环节（时限）", "件数"], ((line.label, line.count) for line in stats.overdue_by_clock))
    _sheet(book, "反映集中的问题", ["问题", "件数"], ((line.label, line.count) for line in stats.hot_matters))
    _sheet(
        book,
        "各地区情况",
        ["地区", "登记（件）", "受理（件）", "办结（件）", "超期（件）", "平均办理时长（日）", "满意率（%）", "重复信访率（%）"],
        (
            (a.name, a.received, a.accepted, a.closed, a.overdue, _number(a.avg_days), _number(a.satisfaction_rate), _number(a.repeat_rate))
            for a in [*stats.per_area, t]
        ),
    )
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"信访统计_{stats.area_name}_{stats.key}.xlsx")
    return response


@login_required
@permission_required(VIEW, raise_exception=True)
@require_POST
def statistics_bulletin(request):
    """The month's 信访工作月度通报 of the reader's county (or city), issued once per area and
    month (a second request opens the same notice). The figures are the whole area's: the
    bulletin is the body's, whoever of its staff prints it."""
    today = timezone.localdate()
    back = reverse("petitions:statistics")
    raw = request.POST.get("month", "")
    try:
        year, month = _month(raw, today)
        if (year, month) >= (today.year, today.month):
            raise ValueError("本月尚未结束：月度通报在次月印发，本月情况请查看统计页面")
    except ValueError as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(back)
    back = f"{back}?{urlencode({'month': f'{year:04d}-{month:02d}'})}"
    area = _bulletin_area(request.user)
    if area is None:
        messages.error(request, "月度通报由县（市、区）、市或省民政部门印发；您的辖区不是单一的县级以上区划，不能印发通报")
        return HttpResponseRedirect(back)
    code, level = area
    stats = statistics.monthly(regions.prefix_of(code), year, month, today)
    try:
        notice = issue_notice(
            kind="petition_bulletin",
            issuer=issuer_for(code, level),
            case=Region.objects.get(code=code),
            case_key=f"petition_bulletin:{code}:{stats.key}",
            addressee_name=ADDRESSEES[level],
            region_code=code,
            context=statistics.bulletin_context(stats),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return HttpResponseRedirect(back)
    return HttpResponseRedirect(reverse("documents:notice_pdf", args=[notice.pk]))
