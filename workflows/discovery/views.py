"""Task views of proactive discovery (M3) and the village ledger pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import discovery as forms
from workflows.application.flows import ApplicationFlow
from workflows.engine.views import ServiceFormMixin

from . import ledger, services
from .models import Decision


class RecordLeadView(ServiceFormMixin, CreateProcessView):
    form_class = forms.RecordLeadForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_lead(
            process,
            village=data["village"],
            source=data["source"],
            external_id=data["external_id"],
            person_name=data["person_name"],
            id_number=data["id_number"],
            household=data["household"],
            address=data["address"],
            situation=data["situation"],
            risk_signs=data["risk_signs"],
            reported_by=data["reported_by"],
            user=self.request.user,
        )


class LeadTaskView(ServiceFormMixin, UpdateProcessView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(lead=self.request.activation.process.lead, **kwargs)


class VerifyView(LeadTaskView):
    form_class = forms.VisitForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_visit(
            process.lead,
            user=self.request.user,
            visitor_1=data["visitor_1"],
            visitor_2=data["visitor_2"],
            visited_on=data["visited_on"],
            place=data["place"],
            findings=data["findings"],
            today=timezone.localdate(),
        )


class AssessView(LeadTaskView):
    form_class = forms.AssessLeadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "lead": self.request.activation.process.lead}

    def perform(self, form, process):
        data = form.cleaned_data
        services.assess(
            process.lead,
            user=self.request.user,
            decision=data["decision"],
            note=data["assessment_note"],
            household=data["household"],
            referred_to=data["referred_to"],
            close_reason=data["close_reason"],
            today=timezone.localdate(),
        )

    def get_success_url(self):
        lead = self.request.activation.process.lead
        if lead.decision != Decision.FILE:
            return super().get_success_url()
        # Filing on the person's behalf continues in the application's own start page,
        # prefilled with the household; the new application links back to this lead.
        messages.info(self.request, f"已决定为{lead.person_name}代为提出救助申请，请登记申请（申请渠道选择“主动发现代为申请”）")
        return f"{ApplicationFlow.start.reverse('execute')}?household={lead.household_id}"


@login_required
@permission_required("discovery.view_lead", raise_exception=True)
def ledger_page(request):
    form, leads = ledger.filtered(request)
    page = Paginator(ledger.rows(leads), 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "discovery/ledger.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "villages": ledger.village_totals(leads),
            "title": ledger.title(request.user, form),
        },
    )


@login_required
@permission_required("discovery.view_lead", raise_exception=True)
def ledger_export(request):
    form, leads = ledger.filtered(request)
    today = timezone.localdate()
    title = ledger.title(request.user, form)
    response = HttpResponse(
        ledger.workbook(leads, f"{title}（导出日期：{today:%Y年%m月%d日}）"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"{title}_{today:%Y%m%d}.xlsx")
    return response
