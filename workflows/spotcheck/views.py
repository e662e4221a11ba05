from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import spotcheck as forms
from workflows.core.scoping import get_scoped_or_404, scoped
from workflows.engine.views import ServiceFormMixin

from . import services
from .models import SpotCheck


class OpenSpotCheckView(ServiceFormMixin, CreateProcessView):
    """By hand, for any period: the county officer's own county."""

    form_class = forms.OpenSpotCheckForm
    template_name = "engine/start.html"

    def perform(self, form, process):
        county = services.county_of_user(self.request.user)
        if county is None:
            raise ValidationError("只有县级民政经办人员可以发起抽查")
        services.open_spot_check(process, county=county, period_start=form.cleaned_data["period_start"], period_end=form.cleaned_data["period_end"])


class CaseTaskView(ServiceFormMixin, UpdateProcessView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.request.activation.process.sampled_case, **kwargs)


class CheckCaseView(CaseTaskView):
    form_class = forms.CheckCaseForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_check(
            process.sampled_case, result=data["result"], evidence=data["evidence"], evidence_file=data["evidence_file"], user=self.request.user
        )


class RectifyView(CaseTaskView):
    form_class = forms.RectifyForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.rectify(process.sampled_case, action=data["action"], note=data["note"], amount=data["amount"], user=self.request.user)


class SignReportView(ServiceFormMixin, UpdateProcessView):
    form_class = forms.SignReportForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(spot_check=self.request.activation.process.spot_check, **kwargs)

    def perform(self, form, process):
        services.sign_report(process.spot_check, self.request.user, form.cleaned_data["password"])


@login_required
def cases_page(request, pk):
    """Every sampled case of one check with its status; "ok" for several at once."""
    # Scope first: another region's check does not exist for this user (404, as a missing
    # id), whether or not their role may see checks at all; only then the role (403).
    spot_check = get_scoped_or_404(SpotCheck.objects.select_related("county", "sample_list", "report"), request.user, pk=pk)
    if not request.user.has_perm("spotcheck.view_spotcheck"):
        raise PermissionDenied
    cases = list(spot_check.cases.select_related("application__household__hukou_region__parent", "checked_by", "casecheckprocess"))
    pending = [c for c in cases if c.state == "pending"]
    form = forms.BulkOkForm(request.POST or None, cases=pending)
    if request.method == "POST" and not request.user.has_perm("spotcheck.check_case"):
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            done = services.record_checks_ok(spot_check, form.cleaned_data["cases"], evidence=form.cleaned_data["evidence"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, f"已登记{done}件核查无问题")
            return redirect("spotcheck:cases", pk=spot_check.pk)
    return render(
        request, "spotcheck/cases.html", {"spot_check": spot_check, "cases": cases, "form": form, "coverage": services.coverage_by_township(spot_check)}
    )


@login_required
@permission_required("spotcheck.view_spotcheck", raise_exception=True)
def coverage_page(request):
    """Per township and month, the share of decided cases actually checked (M8: ≥ 30%)."""
    year = request.GET.get("year", "")
    rows = services.coverage(request.user, int(year) if year.isdigit() else None)
    checks = scoped(SpotCheck.objects.select_related("county"), request.user)[:24]
    return render(request, "spotcheck/coverage.html", {"rows": rows, "year": year, "checks": checks})
