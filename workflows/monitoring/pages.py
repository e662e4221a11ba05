"""Staff pages of low-income monitoring (M1): this month's deliveries per county and
department, a feed and its raw rows, the signals with their actions, the dashboard and the
low-income register. Outside the reader's regions a record does not exist (404)."""

from datetime import date
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from forms import monitoring as forms
from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import get_scoped_or_404, scoped
from workflows.engine.links import process_link

from . import charts, delivery, selectors, services
from . import dashboard as figures
from . import register as low_income
from .models import EventKind, Feed, FeedRow, Signal, SignalState, Via

VIEW_FEED = "monitoring.view_feed"
VIEW_SIGNAL = "monitoring.view_signal"
VIEW_DASHBOARD = "monitoring.view_dashboard"


def _month(text: str | None, default: date) -> date:
    if not text:
        return default
    return services.parse_month(text)


def _counties(user) -> list[Region]:
    return list(scoped(Region.objects.filter(level=regions.LEVEL_COUNTY), user, "code").order_by("code"))


@login_required
@permission_required(VIEW_FEED, raise_exception=True)
def deliveries(request):
    """M1 made visible: for each county in the reader's regions, whether each department's
    data of the month arrived and were compared."""
    today = timezone.localdate()
    try:
        month = _month(request.GET.get("month"), delivery.data_month(today))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        month = delivery.data_month(today)
    counties = _counties(request.user)
    shown = counties[:20]
    statuses = delivery.status([c.code for c in shown], month)
    rows = [{"county": c, "deliveries": statuses[c.code]} for c in shown]
    for row in rows:
        row["missing"] = [d.department.name for d in row["deliveries"] if not d.arrived]
    recent = scoped(Feed.objects.select_related("department", "county"), request.user).order_by("-created")[:20]
    context = {
        "rows": rows,
        "more_counties": max(0, len(counties) - 20),
        "month": month,
        "month_key": f"{month:%Y-%m}",
        "due": delivery.month_after(month),
        "recent": recent,
        "may_import": request.user.has_perm("monitoring.import_feed"),
    }
    return render(request, "monitoring/deliveries.html", context)


@login_required
@permission_required("monitoring.import_feed", raise_exception=True)
def upload(request):
    today = timezone.localdate()
    form = forms.UploadFeedForm(request.POST or None, request.FILES or None, user=request.user, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.import_feed(
                department=data["department"],
                county=data["county"],
                month=data["month"],
                data=data["file"],
                filename=data["file"].name,
                user=request.user,
                via=Via.UPLOAD,
                today=today,
            )
        except ValidationError as error:
            # The service names the field a refusal is about; a file's rows go under the file.
            for field, refusals in getattr(error, "error_dict", {"file": error.error_list}).items():
                form.add_error(field if field in form.fields else "file", refusals)
        except PermissionDenied as error:
            form.add_error("county", str(error))
        else:
            if result.applied:
                messages.success(
                    request,
                    f"已比对 {result.rows} 行，比中本地人员 {result.matched} 行，新预警 {result.signals} 条，其中 {result.actions} 条需处置，正在启动复核和入户核查",
                )
            else:
                messages.info(request, "该文件此前已导入比对，本次未作任何改动")
            return HttpResponseRedirect(reverse("monitoring:feed", args=[result.feed.pk]))
    return render(
        request, "monitoring/upload.html", {"form": form, "events": EventKind.objects.select_related("department"), "columns": services.rules.COLUMN_LABELS}
    )


@login_required
def feed_detail(request, pk):
    # Outside the reader's regions the feed does not exist: 404 before anything else.
    feed = get_scoped_or_404(Feed.objects.select_related("department", "county", "uploaded_by"), request.user, pk=pk)
    if not request.user.has_perm(VIEW_FEED):
        raise PermissionDenied
    rows = Paginator(FeedRow.objects.filter(feed=feed).order_by("line"), 50).get_page(request.GET.get("page"))
    found = selectors.with_outcome(Signal.objects.filter(feed=feed)).order_by("pk")[:200]
    context = {
        "feed": feed,
        "page": rows,
        "signals": [_signal_line(s) for s in found],
        "may_see_rows": request.user.has_perm("monitoring.view_raw_row"),
    }
    return render(request, "monitoring/feed.html", context)


@login_required
def raw_row(request, pk):
    row = get_scoped_or_404(FeedRow.objects.select_related("feed__department", "member__household"), request.user, pk=pk)
    if not request.user.has_perm("monitoring.view_raw_row"):
        raise PermissionDenied
    services.view_raw_row(request.user, row)
    return render(request, "monitoring/raw_row.html", {"row": row})


def _signal_line(signal: Signal) -> dict:
    link, lead, recheck = "", signal.lead, signal.recheck
    if lead is not None and hasattr(lead, "process"):
        link = process_link(lead.process.pk)
    elif recheck is not None and hasattr(recheck, "recheckprocess"):
        link = process_link(recheck.recheckprocess.pk)
    elif hasattr(signal, "process"):
        link = process_link(signal.process.pk)
    return {"s": signal, "outcome": selectors.outcome_label(signal), "link": link}


@login_required
@permission_required(VIEW_SIGNAL, raise_exception=True)
def signals(request):
    """Every signal in the reader's regions (a township: its own; the county: all, with the
    ones about people it has not placed yet), with its action and whether it is closed."""
    today = timezone.localdate()
    queryset = selectors.signals_in_scope(request.user).select_related("feed__department", "process")
    township = request.GET.get("township", "")
    event = request.GET.get("event", "")
    show = request.GET.get("show", "open")
    if township:
        queryset = queryset.filter(region_code__startswith=township[:9])
    if event:
        queryset = queryset.filter(event=event)
    if show == "open":
        queryset = queryset.exclude(state=SignalState.RECORDED).exclude(selectors.CLOSED)
    elif show == "overdue":
        queryset = selectors.overdue(queryset, today)
    elif show == "actions":
        queryset = queryset.exclude(state=SignalState.RECORDED)
    page = Paginator(queryset.order_by("-found_on", "-pk"), 50).get_page(request.GET.get("page"))
    townships = scoped(Region.objects.filter(level=regions.LEVEL_TOWNSHIP), request.user, "code").order_by("code")
    query = urlencode({k: v for k, v in {"township": township, "event": event, "show": show}.items() if v})
    context = {
        "page": page,
        "lines": [_signal_line(s) for s in page.object_list],
        "today": today,
        "townships": townships,
        "events": EventKind.objects.all(),
        "township": township,
        "event": event,
        "show": show,
        "query": query,
    }
    return render(request, "monitoring/signals.html", context)


def _dashboard_context(request):
    today = timezone.localdate()
    month = _month(request.GET.get("month"), delivery.data_month(today))
    stats = figures.monthly(request.user, month, today)
    return stats, month, today


@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def dashboard(request):
    try:
        stats, month, today = _dashboard_context(request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return HttpResponseRedirect(reverse("monitoring:dashboard"))
    context = {
        "stats": stats,
        "month": month,
        "month_key": f"{month:%Y-%m}",
        "signals_chart": charts.bars("各类预警（条）", [(line.label, line.count) for line in stats.by_event]),
        "actions_chart": charts.grouped_bars(
            "处置情况（件）", [a.name for a in stats.per_area], {"启动处置": [a.actions for a in stats.per_area], "已办结": [a.closed for a in stats.per_area]}
        ),
    }
    return render(request, "monitoring/dashboard.html", context)


@login_required
@permission_required(VIEW_DASHBOARD, raise_exception=True)
def dashboard_export(request):
    try:
        stats, month, today = _dashboard_context(request)
    except ValidationError as error:
        return HttpResponse(error.messages[0], status=400, content_type="text/plain; charset=utf-8")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("各地情况")
    sheet.append(["地区", "应报部门", "已报送比对", "预警（条）", "启动处置（件）", "已办结（件）", "超期未办结（件）", "办结天数中位数"])
    for a in [*stats.per_area, stats.totals]:
        sheet.append([a.name, a.expected, a.delivered, a.signals, a.actions, a.closed, a.overdue, a.median_days])
    sheet = book.create_sheet("预警类别")
    sheet.append(["类别", "条数"])
    for line in stats.by_event:
        sheet.append([line.label, line.count])
    sheet = book.create_sheet("未报送部门")
    sheet.append(["县（市、区）", "未报送比对的部门"])
    for name, missing in stats.missing:
        sheet.append([name, "、".join(missing)])
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"低收入人口监测_{stats.area_name}_{month:%Y-%m}.xlsx")
    return response


@login_required
@permission_required(VIEW_SIGNAL, raise_exception=True)
def register(request):
    """The low-income register (docs/policy.md "Low-income monitoring"), each entry with its
    source."""
    category = request.GET.get("category", "")
    if category and category not in low_income.CATEGORIES:
        raise Http404("没有这一类别")
    entries = low_income.entries(request.user, category)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    lines = [low_income.row(category, record) for record in page.object_list]
    names = dict(Region.objects.filter(code__in={line["region"] for line in lines}).values_list("code", "name"))
    for line in lines:
        line["region"] = names.get(line["region"], line["region"])
    context = {
        "page": page,
        "lines": lines,
        "counts": low_income.counts(request.user),
        "categories": low_income.CATEGORIES,
        "category": category or "dibao",
        "query": urlencode({"category": category}) if category else "",
    }
    return render(request, "monitoring/register.html", context)
