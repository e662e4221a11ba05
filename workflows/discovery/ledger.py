"""The village ledger (M3 工作台账): one filtered, scoped query for the page and the xlsx."""

from io import BytesIO

from django.db.models import Count, Max, Q
from django.utils import timezone
from openpyxl import Workbook

from forms.discovery import LedgerFilterForm
from workflows.core.scoping import scoped

from .models import OPEN_STATES, Lead


def filtered(request):
    """The filter form and the leads it selects, in the user's regions only."""
    form = LedgerFilterForm(request.GET or None, user=request.user)
    leads = scoped(Lead.objects.all(), request.user)
    if form.is_bound and not form.is_valid():
        # A filter naming a village outside the user's regions selects nothing.
        return form, leads.none()
    if form.is_valid():
        data = form.cleaned_data
        if data["village"]:
            leads = leads.filter(village=data["village"])
        if data["state"]:
            leads = leads.filter(state=data["state"])
        if data["source"]:
            leads = leads.filter(source=data["source"])
        if data["status"] == "open":
            leads = leads.filter(state__in=OPEN_STATES)
        elif data["status"] == "closed":
            leads = leads.exclude(state__in=OPEN_STATES)
    return form, leads


def rows(leads):
    """The ledger lines grouped by village, carrying everything the page and the export show,
    so the number of queries does not grow with the number of lines."""
    return (
        leads.select_related("village", "process", "application__applicationprocess")
        .annotate(visit_count=Count("visits"), last_visit=Max("visits__visited_on"))
        .order_by("region_code", "-created", "-pk")
    )


def village_totals(leads):
    """Per village: all leads, still open, closed (one grouped query)."""
    return (
        leads.order_by()
        .values("village_id", "village__name")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(state__in=OPEN_STATES)), closed=Count("pk", filter=~Q(state__in=OPEN_STATES)))
        .order_by("village_id")
    )


def title(user, form) -> str:
    """The ledger's heading: the chosen village, else the regions the user works in."""
    village = form.cleaned_data.get("village") if form.is_bound and form.is_valid() else None
    if village is not None:
        names = [village.full_name]
    elif user.is_superuser:
        names = ["全省"]
    else:
        names = [role.region.full_name for role in user.staff_roles.select_related("region__parent__parent__parent")]
    return "、".join(dict.fromkeys(names)) + "困难群众主动发现工作台账"


HEADERS = [
    "序号",
    "村（社区）",
    "发现渠道",
    "工单（预警）编号",
    "姓名",
    "公民身份号码",
    "住址",
    "困难情况",
    "风险标识",
    "上报人",
    "登记时间",
    "走访次数",
    "最近走访日期",
    "状态",
    "乡镇评估意见",
    "处置结果",
]


def workbook(leads, heading: str) -> bytes:
    """xlsx with a title row and Chinese headers; ID numbers masked (DESIGN §4.7)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("工作台账")
    sheet.append([heading])
    sheet.append(HEADERS)
    for number, lead in enumerate(rows(leads).iterator(chunk_size=2000), start=1):
        sheet.append(
            [
                number,
                lead.village.name,
                lead.get_source_display(),
                lead.external_id,
                lead.person_name,
                lead.masked_id,
                lead.address,
                lead.situation,
                lead.get_risk_signs_display(),
                lead.reported_by,
                timezone.localtime(lead.created).strftime("%Y-%m-%d %H:%M"),
                lead.visit_count,
                lead.last_visit.isoformat() if lead.last_visit else "",
                lead.get_state_display(),
                lead.assessment_note,
                lead.outcome_display(),
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
