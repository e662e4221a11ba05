"""Task views of the payment cycle and its file pages (roster xlsx, bank file, report)."""

from functools import reduce
from operator import or_

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import payments as forms
from workflows.core import regions
from workflows.core.scoping import get_scoped_or_404
from workflows.engine.views import ServiceFormMixin

from . import bankfile, roster, services
from .models import CycleState, LineStatus, PaymentCycle, RosterLine

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF_PERMS = ("payments.submit_roster", "payments.allocate_funds", "payments.upload_bank_result")


class OpenCycleView(ServiceFormMixin, CreateProcessView):
    form_class = forms.OpenCycleForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, process):
        process.save()
        county, month = form.cleaned_data["county"], form.cleaned_data["month"]
        try:
            # A colleague opening the same month at the same moment passes the service's
            # check too; the database's one-cycle-per-month constraint then refuses ours.
            with transaction.atomic():
                services.open_cycle(process, county, month)
        except IntegrityError:
            raise ValidationError({"month": f"{county.name}{month:%Y年%-m月}的发放批次已经开启"})


class CycleTaskView(ServiceFormMixin, UpdateProcessView):
    def get_context_data(self, **kwargs):
        cycle = self.request.activation.process.cycle
        return super().get_context_data(cycle=cycle, townships=roster.township_totals(cycle.lines.all()), **kwargs)


class ReviewRosterView(CycleTaskView):
    form_class = forms.ReviewRosterForm

    def form_valid(self, form):
        if form.cleaned_data["action"] != form.REBUILD:
            return super().form_valid(form)
        # A rebuild keeps the task open: the officer reviews the new roster, then submits.
        try:
            cycle = roster.build_roster(self.request.activation.process.cycle)
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        messages.success(self.request, f"花名册已重新生成：{cycle.line_count}笔，合计{cycle.total_amount}元")
        return HttpResponseRedirect(self.request.get_full_path())

    def perform(self, form, process):
        services.submit_roster(process, timezone.localdate())


class AllocateView(CycleTaskView):
    form_class = forms.AllocateForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.allocate_funds(process, day=data["allocated_on"], reference=data["reference"], amount=data["amount"])


class UploadResultView(CycleTaskView):
    form_class = forms.UploadResultForm

    def perform(self, form, process):
        upload = form.cleaned_data["result_file"]
        bankfile.import_result(process.cycle, upload, upload.name, self.request.user)
        services.set_due(process, None, "")


class CloseCycleView(CycleTaskView):
    form_class = forms.CloseCycleForm

    def perform(self, form, process):
        services.close_cycle(process, timezone.localdate(), self.request.user)


# --- pages outside the flow's task views ------------------------------------------------------


def _cycle(request, pk, perms=STAFF_PERMS) -> PaymentCycle:
    """The cycle if it lies in the user's counties (else 404, DESIGN §4.3) and the user holds
    one of `perms` (else 403)."""
    cycle = get_scoped_or_404(PaymentCycle.objects.select_related("county"), request.user, pk=pk)
    if not any(request.user.has_perm(p) for p in perms):
        raise PermissionDenied
    return cycle


@login_required
def roster_xlsx(request, pk):
    """The roster as a workbook for finance: one row per line, IDs and accounts masked."""
    from openpyxl import Workbook

    cycle = _cycle(request, pk)
    if cycle.state == CycleState.OPEN:
        raise Http404("花名册尚未生成")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{cycle.month:%Y年%-m月}")
    sheet.append([f"{cycle}花名册（共{cycle.line_count}笔，合计{cycle.total_amount}元）"])
    sheet.append(["序号", "乡镇（街道）代码", "姓名", "身份证号", "类别", "人数", "应发（元）", "冲抵（元）", "实发（元）", "开户银行", "账号", "参考号"])
    labels = dict(RosterLine._meta.get_field("kind").choices)
    rows = cycle.lines.order_by("region_code", "pk").values_list(
        "region_code", "name", "id_number", "kind", "covered_members", "gross_amount", "offset_amount", "amount", "bank_name", "card_number", "reference"
    )
    for n, (region, name, id_number, kind, members, gross, offset, amount, bank, card, ref) in enumerate(rows.iterator(chunk_size=2000), start=1):
        sheet.append(
            [
                n,
                region[:9],
                name,
                RosterLine(id_number=id_number).masked_id,
                labels[kind],
                members,
                gross,
                offset,
                amount,
                bank,
                RosterLine(card_number=card).masked_card,
                ref,
            ]
        )
    response = HttpResponse(content_type=XLSX)
    book.save(response)
    response["Content-Disposition"] = content_disposition_header(True, f"{cycle.batch}花名册.xlsx")
    return response


@login_required
def bank_file(request, pk):
    """The bank file (full account and ID numbers: the bank must pay), streamed."""
    cycle = _cycle(request, pk, perms=("payments.upload_bank_result", "payments.submit_roster"))
    if cycle.state not in (CycleState.DISBURSING, CycleState.RECONCILED, CycleState.CLOSED):
        raise Http404("资金尚未拨付，银行发放文件尚未生成")
    from workflows.core.services import audit

    audit(request.user, "download", "bank_file", cycle.pk, cycle.region_code, f"下载{cycle}银行发放文件")
    response = StreamingHttpResponse(bankfile.bank_file_chunks(cycle), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{cycle.batch}银行发放文件.csv")
    return response


@login_required
def report(request, pk):
    """发放报告: per township what was due, paid and failed; the failed lines (masked)."""
    cycle = _cycle(request, pk, perms=(*STAFF_PERMS, "payments.view_paymentprocess"))
    failed = cycle.lines.filter(status=LineStatus.FAILED).order_by("region_code", "pk")[:500]
    return render(request, "payments/report.html", {"cycle": cycle, "townships": roster.township_totals(cycle.lines.all()), "failed": failed})


@login_required
def township_totals(request):
    """A township clerk's view of payments: their township's totals per month, and the lines
    the bank could not pay, whose accounts the township corrects in the registry."""
    if not request.user.has_perm("payments.view_township_totals"):
        raise PermissionDenied
    codes = [c for c in request.user.staff_roles.values_list("region_id", flat=True) if regions.level_of(c) == regions.LEVEL_TOWNSHIP]
    in_townships = reduce(or_, (Q(region_code__startswith=regions.prefix_of(c)) for c in codes), Q(pk__in=[]))
    lines = RosterLine.objects.filter(in_townships).exclude(cycle__state=CycleState.OPEN)
    cycles = PaymentCycle.objects.filter(pk__in=lines.values("cycle_id")).select_related("county").order_by("-month")[:12]
    months = [{"cycle": c, "totals": roster.township_totals(lines.filter(cycle=c))} for c in cycles]
    failed = lines.filter(status=LineStatus.FAILED).select_related("cycle__county").order_by("-cycle__month", "region_code", "pk")[:200]
    return render(request, "payments/township_totals.html", {"months": months, "failed": failed})


class FixAccountView(ServiceFormMixin, UpdateProcessView):
    """修正发放账户: the failed line, the account on file, and the form for the new one."""

    form_class = forms.FixAccountForm

    def get_initial(self):
        line = self.request.activation.process.line
        return {"account_name": line.account_name or line.name, "card_number": line.card_number, "bank_name": line.bank_name}

    def get_context_data(self, **kwargs):
        return super().get_context_data(line=self.request.activation.process.line, **kwargs)

    def perform(self, form, process):
        data = form.cleaned_data
        process.account = services.fix_account(
            process.line, account_name=data["account_name"], card_number=data["card_number"], bank_name=data["bank_name"], user=self.request.user
        )
        process.save(update_fields=["account"])
