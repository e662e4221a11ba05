from django.db import transaction
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow

from workflows.core import regions
from workflows.discovery import handoff as discovery_handoff
from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import If
from workflows.recheck import handoff as recheck_handoff

from . import services
from .models import PetitionProcess, PetitionReviewProcess, PetitionState
from .views import AnswerReviewView, CallbackView, DecideExtensionView, HandleView, RegisterView, RequestReviewView, RouteView, SignView

REGISTER = "petitions.register_petition"


def handle_permission(activation) -> str:
    """The body's own petition officers handle it (a county's do not get the townships')."""
    return f"petitions.handle_{activation.process.petition.level}"


def sign_permission(activation) -> str:
    """The head of the body signs: the township principal, the county head; a city's petition
    office signs its own."""
    level = activation.process.petition.level
    return {regions.LEVEL_TOWNSHIP: "petitions.sign_township", regions.LEVEL_COUNTY: "petitions.sign_county"}.get(level, f"petitions.handle_{level}")


def answer_permission(activation) -> str:
    return f"petitions.answer_{activation.process.review.body_level}"


class PetitionFlow(CaseFlow):
    """信访 and 12345 (信访工作条例 arts 17–36; M14): registered from any channel (the window, a
    letter, a call, a group visit, a 12345 order by API or by hand, the online form) → the body
    routes it within 15 日: accepts it, forwards or assigns it, tells the petitioner where to go
    or which legal procedure applies, objects to a forwarded one within 5 工作日, or answers
    that a matter closed by 复核 is not accepted again → handled within 60 日 (one extension of
    at most 30 日, approved by the head) with a risk assessment and, where needed, a handoff
    → the head signs the reply and the 信访处理意见书 goes out → a 12345 order is called back:
    an unsatisfied, well-founded caller sends it back to be done again."""

    process_class = PetitionProcess
    process_title = "信访办理"
    process_description = "信访件和12345工单的登记、受理告知、办理、延期、审签答复和回访"
    process_summary_template = "{{ process.summary }}"

    register = flow.Start(RegisterView.as_view()).Annotation(title="登记信访件").Permission(REGISTER).Next(this.route)
    # The online form and the 12345 API (public.py, api.py).
    receive = flow.StartHandle(this.receive_petition).Annotation(title="接收网上信访、12345工单").Next(this.route)
    route = flow.View(RouteView.as_view()).Annotation(title="受理告知").Permission(handle_permission).Next(this.check_accepted)
    check_accepted = If(this.is_accepted).Then(this.handle).Else(this.end).Annotation(title="是否受理")
    handle = flow.View(HandleView.as_view()).Annotation(title="调查办理").Permission(handle_permission).Next(this.check_extension)
    check_extension = If(this.wants_extension).Then(this.approve_extension).Else(this.sign).Annotation(title="是否申请延期")
    approve_extension = flow.View(DecideExtensionView.as_view()).Annotation(title="批准延期").Permission(sign_permission).Next(this.handle)
    sign = flow.View(SignView.as_view()).Annotation(title="审签答复").Permission(sign_permission).Next(this.check_signed)
    check_signed = If(this.is_signed).Then(this.open_case_action).Else(this.handle).Annotation(title="是否签发")
    # A reply that shows a household wrongly included or left out: a recheck, or a lead.
    open_case_action = flow.Function(this.follow_into_case).Annotation(title="启动复核或登记线索").Next(this.check_hotline)
    check_hotline = If(this.is_hotline).Then(this.callback).Else(this.end).Annotation(title="是否12345工单")
    callback = flow.View(CallbackView.as_view()).Annotation(title="回访").Permission(handle_permission).Next(this.check_redo)
    check_redo = If(this.is_redo).Then(this.handle).Else(this.end).Annotation(title="是否退回重办")
    end = flow.End().Annotation(title="办结")

    def receive_petition(self, activation, **petition):
        with transaction.atomic():
            activation.process.save()
            services.register(activation.process, today=petition.pop("today", None) or timezone.localdate(), **petition)
        return activation.process

    @staticmethod
    def _petition(activation):
        petition = activation.process.petition
        petition.refresh_from_db()  # the services save their own, locked copy
        return petition

    def is_accepted(self, activation):
        return self._petition(activation).state == PetitionState.ACCEPTED

    def wants_extension(self, activation):
        return bool(self._petition(activation).extension_requested)

    def is_signed(self, activation):
        return self._petition(activation).state in (PetitionState.REPLIED, PetitionState.CLOSED)

    def follow_into_case(self, activation):
        petition = self._petition(activation)
        user, today = petition.reply_signed_by, timezone.localdate()
        if petition.case_action == "recheck":
            beneficiary = services.active_beneficiary(petition)
            if beneficiary is not None:
                recheck = recheck_handoff.open_on_event(beneficiary, event="petition", detail=services.case_action_detail(petition), user=user, today=today)
                services.link_case(petition, recheck.recheckprocess)
        elif petition.case_action == "lead" and petition.household_id:
            household = petition.household
            lead = discovery_handoff.record_lead_from(
                source=discovery_handoff.PETITION,
                external_id=petition.number,
                village=household.hukou_region,
                person_name=petition.petitioner_name,
                situation=services.case_action_detail(petition),
                id_number=petition.petitioner_id_number,
                household=household,
                user=user,
            )
            services.link_case(petition, lead.process)

    def is_hotline(self, activation):
        return self._petition(activation).is_hotline

    def is_redo(self, activation):
        return self._petition(activation).state == PetitionState.ACCEPTED


class PetitionReviewFlow(CaseFlow):
    """复查 and 复核 (信访工作条例 arts 35–36): the petitioner asks the body above within 30 日
    of receiving the answer; it answers within 30 日 (hearing time not counted) with its
    复查意见书 or 复核意见书. After 复核 the matter is final."""

    process_class = PetitionReviewProcess
    process_title = "信访复查复核"
    process_description = "对信访处理意见请求复查、对复查意见请求复核"
    process_summary_template = "{{ process.summary }}"

    request = flow.Start(RequestReviewView.as_view()).Annotation(title="登记复查（复核）请求").Permission(REGISTER).Next(this.answer)
    answer = flow.View(AnswerReviewView.as_view()).Annotation(title="出具复查（复核）意见").Permission(answer_permission).Next(this.end)
    end = flow.End().Annotation(title="办结")
