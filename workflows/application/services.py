"""Operations of the application process; the only code that calls Application transitions."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from workflows.core.services import audit, check_visit, enrol_beneficiary, household_facts, record_outcome, standard_for
from workflows.core.verification import get_adapter
from workflows.policy import procedure, rules
from workflows.policy.calendar import add_working_days
from workflows.policy.models import Standard

from . import notices
from .models import Application, ApplicationProcess, ApplicationState, Investigation, Objection, Verification


def procedure_days(application: Application) -> int:
    """The application's time limit from acceptance (``procedure.procedure_days``)."""
    return procedure.procedure_days(delegated=application.delegated, extended=bool(application.extension_reason))


@transaction.atomic
def file_application(
    process: ApplicationProcess, *, household, applicant, kind, channel, staff_relative, staff_relative_note, delegated, user, today: date
) -> Application:
    if applicant.household_id != household.pk:
        raise ValidationError({"applicant": "申请人不是该家庭的成员"})
    if Application.objects.filter(household=household, kind=kind).exclude(state__in=["approved", "refused"]).exists():
        raise ValidationError({"household": "该家庭已有同类申请正在办理，不能重复申请"})
    application = Application.objects.create(
        household=household,
        applicant=applicant,
        kind=kind,
        channel=channel,
        staff_relative=staff_relative,
        staff_relative_note=staff_relative_note,
        delegated=delegated,
        filed_on=today,
        created_by=user,
    )
    process.about(application, f"{household.head_name}家庭 {application.get_kind_display()}申请")
    # Acceptance itself is due promptly; the procedure clock starts at acceptance.
    days = procedure.ACCEPTANCE_WORKING_DAYS
    process.count_due(today, days, f"申请后{days}个工作日内受理或一次性告知补正")
    process.save()
    return application


def _restart_clock(process: ApplicationProcess, application: Application) -> None:
    days = procedure_days(application)
    reason = f"（延长原因：{application.extension_reason}）" if application.extension_reason else ""
    assert application.accepted_on is not None  # the clock restarts from acceptance
    process.count_due(application.accepted_on, days, f"受理后{days}个工作日内办结{reason}")
    process.save(update_fields=["due_date", "deadline_note"])


@transaction.atomic
def accept(process: ApplicationProcess, today: date, user) -> Application:
    """受理, with the 受理通知书 stating the time limit."""
    application = process.application
    assert application is not None  # filed when the process started
    application.accept(today)
    application.save()
    _restart_clock(process, application)
    notices.acceptance(application, user, procedure_days(application))
    return application


@transaction.atomic
def request_correction(process: ApplicationProcess, items: list[str], user, today: date) -> Application:
    """一次性告知: every missing item in one notice."""
    items = [i.strip() for i in items if i.strip()]
    if not items:
        raise ValidationError({"missing_items": "请逐项列明需要补正的材料"})
    application = process.application
    assert application is not None  # filed when the process started
    application.request_correction(items)
    application.save()
    notices.correction(application, user, add_working_days(today, procedure.CORRECTION_WORKING_DAYS))
    return application


@transaction.atomic
def extend_deadline(process: ApplicationProcess, reason: str) -> None:
    """Special cases (objection, living away from hukou, hard investigation): up to 45 days."""
    if not reason.strip():
        raise ValidationError({"extension_reason": "延长办理期限必须说明原因"})
    application = process.application
    assert application is not None  # filed when the process started
    application.extension_reason = reason.strip()
    application.save(update_fields=["extension_reason"])
    _restart_clock(process, application)


def record_investigation(
    application: Application,
    *,
    user,
    investigator_1,
    investigator_2,
    visited_on,
    living_conditions,
    findings,
    self_care: dict | None = None,
    today: date | None = None,
) -> Investigation:
    """入户调查 by two investigators, on a day between the application and today; for 特困, the
    six-activity self-care assessment (特困人员认定办法), whose level decides the care standard."""
    level = check_visit(
        investigator_1=investigator_1,
        investigator_2=investigator_2,
        visited_on=visited_on,
        since=application.filed_on,
        since_label="申请日期",
        self_care=self_care,
        today=today,
    )
    return Investigation.objects.create(
        application=application,
        investigator_1=investigator_1,
        investigator_2=investigator_2,
        visited_on=visited_on,
        living_conditions=living_conditions,
        findings=findings,
        self_care=dict(self_care or {}),
        self_care_level=level,
        recorded_by=user,
    )


def run_verification(application: Application) -> Verification:
    result = get_adapter().verify(application.household)
    return Verification.objects.create(
        application=application,
        source=result.source,
        monthly_income=result.monthly_income,
        assets_total=result.assets_total,
        details=result.details,
        assets=result.assets,
    )


def _verified_assets(application: Application):
    """The assets the economic verification found, by kind; None (the registry's) when there is
    no verification, or only one recorded before assets were kept by kind."""
    verification = application.verifications.order_by("-completed", "-pk").first()
    if verification is None or (not verification.assets and verification.assets_total):
        return None
    return [rules.AssetFacts(kind=a["kind"], value=Decimal(a["value"]), exempt_use=bool(a.get("exempt_use"))) for a in verification.assets]


def _self_care(application: Application) -> dict:
    investigation = application.investigations.exclude(self_care_level="").order_by("-recorded", "-pk").first()
    return {application.applicant_id: investigation.self_care_level} if investigation else {}


def evaluate(application: Application, today: date, *, property_override: str = "") -> tuple[Standard, rules.HouseholdFacts, rules.Outcome]:
    """The rules' decision for the application, from the registry, the verification and the
    investigation: the one computation behind both the clerk's explanation and the recorded
    assessment (``rules.application_outcome``)."""
    household = application.household
    standard = standard_for(household, today)
    facts = household_facts(household, today, assets=_verified_assets(application), self_care=_self_care(application), property_override=property_override)
    member_ids = list(household.members.values_list("pk", flat=True))
    member_index = member_ids.index(application.applicant_id) if application.kind in ("tekun", "single_person") else None
    return standard, facts, rules.application_outcome(application.kind, facts, standard.values(today), member_index)


@transaction.atomic
def assess(application: Application, *, corrected_amount=None, correction_reason: str = "", property_override: str = "", user=None, today: date) -> Application:
    """Apply the rules; the clerk may correct the amount, or find the property within the rules
    despite the local limits, each with a written reason (the override is audited)."""
    if corrected_amount is not None and not correction_reason.strip():
        raise ValidationError({"correction_reason": "人工调整保障金必须写明原因"})
    if corrected_amount is not None and application.kind == "marginal":
        raise ValidationError({"corrected_amount": "低保边缘家庭只认定身份，不发放保障金，不能填写保障金"})
    property_override = property_override.strip()
    standard, facts, outcome = evaluate(application, today, property_override=property_override)
    assessment = record_outcome(application.household, standard, facts, outcome, today)
    if property_override:
        audit(user, "property_override", "application", application.pk, application.region_code, f"财产状况人工认定符合规定：{property_override}")
    amount = corrected_amount if corrected_amount is not None else outcome.monthly_amount
    application.record_assessment(assessment, outcome.eligible, amount, correction_reason.strip(), outcome, property_override)
    application.save()
    return application


@transaction.atomic
def start_publicity(application: Application, today: date) -> date:
    """公示 for 7 days in the village; the last day counts in full (届满 includes the day)."""
    ends = today + timedelta(days=procedure.PUBLIC_NOTICE_DAYS)
    application.publicize(ends)
    application.save()
    return ends


def record_objection(application: Application, *, user, content: str, raised_by: str, today: date) -> Objection:
    application.refresh_from_db()
    ends = application.publicity_ends
    if application.state != "publicized" or ends is None or today > ends:
        raise ValidationError("公示期已结束（或尚未开始），不能再登记异议；如有问题请按信访渠道反映")
    if not content.strip():
        raise ValidationError({"content": "请填写异议内容"})
    return Objection.objects.create(application=application, received_on=today, raised_by=raised_by, content=content, recorded_by=user)


@transaction.atomic
def close_publicity(application: Application) -> None:
    """At the end of 公示: open objections re-open the investigation; otherwise on to review.

    A second firing finds the case no longer publicized and changes nothing.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != "publicized":
        return
    open_objections = application.objections.filter(resolved=False)
    if open_objections.exists():
        open_objections.update(resolved=True)
        application.reopen_investigation()
    else:
        application.close_publicity()
    application.save()


BENEFICIARY_KIND = {"dibao": "dibao", "tekun": "tekun_dispersed", "marginal": "marginal", "single_person": "single_person"}


@transaction.atomic
def decide(application: Application, *, approved: bool, reason: str, day: date) -> Application:
    """Record the joint review's collective decision; approval enrolls the beneficiary.

    Safe to call twice: a case no longer awaiting review is left as it is.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.state != "awaiting_review":
        return application
    if not reason.strip():
        raise ValidationError({"reason": "审核确认意见必须写明理由"})
    if not approved:
        application.refuse(day, reason.strip())
        application.save()
        _start_delivery_clock(application)
        return application
    if application.kind == "marginal":
        amount = Decimal("0.00")  # a marginal household is recognised, not paid
    elif application.proposed_amount:
        amount = application.proposed_amount
    else:
        raise ValidationError("评估结论没有拟保障金，不能批准；请先复查评估")
    application.approve(day, reason.strip())
    single = application.kind in ("tekun", "single_person")
    application.beneficiary = enrol_beneficiary(
        application.household,
        member=application.applicant if single else None,
        kind=BENEFICIARY_KIND[application.kind],
        monthly_amount=amount,
        covered_members=1 if single else application.household.members.count(),
        first_paid_month=procedure.first_paid_month(day),
        decided_on=day,
    )
    application.save()
    return application


def _start_delivery_clock(application: Application) -> None:
    """From a refusal on, the case's deadline is the notice's delivery: 3 working days after the
    decision (最低生活保障审核确认办法). The 送达 task shows it and escalation watches it."""
    days = procedure.REFUSAL_DELIVERY_WORKING_DAYS
    process = ApplicationProcess.objects.get(application=application)
    process.count_due(application.decided_on, days, f"决定后{days}个工作日内送达不予批准决定书")
    process.save(update_fields=["due_date", "deadline_note"])


def decision_notice(application: Application):
    """The 批准决定书 or 不予批准决定书 of a decided case, once the review meeting has issued it."""
    from documents.models import Notice
    from documents.services import case_key_for

    kind = "approval" if application.state == ApplicationState.APPROVED else "refusal"
    return Notice.objects.filter(case_key=case_key_for(kind, application)).first()


@transaction.atomic
def deliver_decision(process: ApplicationProcess, *, user, method: str | None, day: date | None, proof=None):
    """送达 the decision notice, recorded on the notice (method, date, 送达回证) by the documents
    delivery service. A delivery already recorded on the notice's own page stands as it is."""
    from documents.delivery import record_delivery
    from documents.models import NoticeState

    assert process.application is not None  # filed when the process started
    notice = decision_notice(process.application)
    if notice is None or notice.state == NoticeState.RENDERED:
        raise ValidationError("决定书尚未签发，签发后才能送达；请待联审会议纪要签发、决定书生成后再办理")
    if notice.state != NoticeState.SIGNED:
        return notice
    if not method or day is None:
        raise ValidationError({"method": "请填写送达方式和送达日期"})
    return record_delivery(notice, user, method, day, proof)
