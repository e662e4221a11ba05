"""Operations of a petition (docs/policy.md "Petitions": 信访工作条例 2022; M14): the only
code that calls Petition and PetitionReview transitions. Each checks its input and answers in
Chinese; the clocks come from ``workflows.policy.petitions``."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from workflows.core import regions
from workflows.core import services as registry
from workflows.core.models import BeneficiaryState, Recusal, Region
from workflows.core.validators import validate_id_number, validate_not_after_today
from workflows.policy import petitions as rules
from workflows.policy.calendar import cn_date

from . import notices
from .models import Petition, PetitionAttachment, PetitionProcess, PetitionReview, PetitionReviewProcess, PetitionState, ReviewState, RiskLevel
from .uploads import sniff

#: Where a petition goes after it is registered (arts 23, 31, 36).
ROUTES = {
    "accept": "属于本机关职责范围，予以受理",
    "forward": "属于下级机关职责，转送",
    "assign": "交办下级机关办理",
    "direct": "不属于本系统职责，告知向有权机关提出",
    "procedure": "应通过诉讼、仲裁、行政复议等法定途径解决，书面告知",
    "object": "转送交办至本机关但不属本机关职责，提出异议退回",
    "final": "已经复核终结，同一事实和理由不再受理",
    "moved": "同一事项已进入信访渠道，12345工单办结退出",
}


def repeat_window_days() -> int:
    return getattr(settings, "PETITION_REPEAT_WINDOW_DAYS", rules.REPEAT_WINDOW_DAYS)


def repeat_threshold() -> int:
    return getattr(settings, "PETITION_REPEAT_THRESHOLD", rules.REPEAT_THRESHOLD)


def hotline_days() -> tuple[int, int]:
    """12345 clocks of this deployment: (enquiries, others) in working days."""
    return (
        getattr(settings, "HOTLINE_ENQUIRY_WORKING_DAYS", rules.HOTLINE_ENQUIRY_WORKING_DAYS),
        getattr(settings, "HOTLINE_OTHER_WORKING_DAYS", rules.HOTLINE_OTHER_WORKING_DAYS),
    )


def matter_key_for(category: str, household_id: int | None, id_number: str, name: str) -> str:
    """The matter the repeat ledger follows: a category about a household, else about a person
    (by ID number, else by name)."""
    who = f"h{household_id}" if household_id else (f"p{id_number}" if id_number else "n" + hashlib.sha256(name.encode()).hexdigest()[:16])
    return f"{category}:{who}"


def earlier_petitions(id_number: str, matter_key: str, received_on: date, exclude_pk: int | None = None, limit: int = 50) -> list[Petition]:
    """M14 ledger: the same person's earlier petitions and the same matter's, newest first.
    Two index range scans (person, matter), each stopped at ``limit``, merged here: the cost
    does not grow with the number of petitions on file."""
    newest = ("-received_on", "-pk")
    found = {p.pk: p for p in Petition.objects.filter(matter_key=matter_key, received_on__lte=received_on).order_by(*newest)[:limit]}
    if id_number:
        found.update({p.pk: p for p in Petition.objects.filter(petitioner_id_number=id_number, received_on__lte=received_on).order_by(*newest)[:limit]})
    found.pop(exclude_pk, None)
    return sorted(found.values(), key=lambda p: (p.received_on, p.pk), reverse=True)[:limit]


def finalised_match(matter_key: str, received_on: date) -> Petition | None:
    """Art 36 ¶3: an earlier petition on the same matter whose 复核 is answered."""
    return (
        Petition.objects.filter(matter_key=matter_key, received_on__lte=received_on, reviews__level="review", reviews__state=ReviewState.ANSWERED)
        .order_by("-received_on")
        .first()
    )


@dataclass(frozen=True)
class Ledger:
    """Where a new petition stands in the M14 ledger when it is filed."""

    earlier_in_window: int
    repeat: bool
    final_of: Petition | None


def ledger_position(id_number: str, matter_key: str, received_on: date) -> Ledger:
    """M14: the same person's and matter's earlier petitions within the repeat window, whether
    this one is a repeat; art 36 ¶3: the matter's 复核-answered petition, if any."""
    window_start = received_on - timedelta(days=repeat_window_days())
    earlier = sum(1 for p in earlier_petitions(id_number, matter_key, received_on) if p.received_on >= window_start)
    return Ledger(earlier, rules.is_repeat(earlier, repeat_threshold()), finalised_match(matter_key, received_on))


def _clean_registration(*, channel, kind, category, matter, received_on, petitioner_name, id_number, group_size, representatives, work_order, today):
    errors = {}
    if not (matter or "").strip():
        errors["matter"] = "请填写反映的事项"
    if not (petitioner_name or "").strip():
        errors["petitioner_name"] = "请填写信访人姓名"
    if channel not in rules.CHANNEL_LABELS:
        errors["channel"] = "请选择来源渠道"
    if kind not in rules.KIND_LABELS:
        errors["kind"] = "请选择信访类型"
    if id_number:
        try:
            validate_id_number(id_number)
        except ValidationError as error:
            errors["petitioner_id_number"] = error.messages[0]
    if received_on > today:
        errors["received_on"] = "收到日期不能晚于今天"
    if channel == "hotline" and not work_order:
        errors["work_order"] = "12345工单必须填写工单号"
    if channel == "group_visit":
        if len(representatives) > rules.MAX_REPRESENTATIVES:
            errors["representatives"] = f"集体来访应推选不超过{rules.MAX_REPRESENTATIVES}名代表（《信访工作条例》第二十条），当前{len(representatives)}名"
        elif not representatives:
            errors["representatives"] = "集体来访请登记推选的代表"
        if group_size < 2:
            errors["group_size"] = "集体来访人数应不少于2人"
    if errors:
        raise ValidationError(errors)


def _case_staff(case) -> set:
    """Who worked on the case (its tasks' owners): an accusation about it is kept from them."""
    if case is None:
        return set()
    owners = Task.objects.filter(process_id=case.pk, owner__isnull=False).values_list("owner_id", flat=True)
    return set(get_user_model().objects.filter(pk__in=owners))


def _withheld_from(petition: Petition) -> set:
    users = set()
    if petition.accused_id:
        users.add(petition.accused)
    if petition.is_accusation:
        users |= _case_staff(petition.case)
    return users


@transaction.atomic
def register(
    process: PetitionProcess,
    *,
    body: Region,
    channel: str,
    kind: str,
    category: str,
    matter: str,
    received_on: date,
    petitioner_name: str,
    user=None,
    today: date,
    request: str = "",
    petitioner_id_number: str = "",
    petitioner_phone: str = "",
    petitioner_address: str = "",
    group_size: int = 1,
    representatives: list[str] | None = None,
    household=None,
    case=None,
    accused=None,
    accused_name: str = "",
    work_order: str = "",
    enquiry: bool = False,
    forwarded_by: str = "",
    attachments=(),
) -> Petition:
    """登记 (arts 17, 21, 23): every petition is entered, with the petitioner, the matter, the
    channel and, where known, the household and the case; the clock for telling the
    petitioner starts (15 日; for a forwarded one, 5 个工作日 to object; for a 12345 order its
    working days). The ledger counts the same person's and matter's earlier petitions."""
    id_number = (petitioner_id_number or "").strip().upper()
    work_order = (work_order or "").strip()
    representatives = [r.strip() for r in (representatives or []) if r and r.strip()]
    _clean_registration(
        channel=channel,
        kind=kind,
        category=category,
        matter=matter,
        received_on=received_on,
        petitioner_name=petitioner_name,
        id_number=id_number,
        group_size=group_size,
        representatives=representatives,
        work_order=work_order,
        today=today,
    )
    files = [sniff(upload) for upload in attachments]
    key = matter_key_for(category, household.pk if household else None, id_number, petitioner_name.strip())
    ledger = ledger_position(id_number, key, received_on)
    petition = Petition(
        number="",
        body=body,
        channel=channel,
        kind=kind,
        category=category,
        matter=matter.strip(),
        request=request.strip(),
        received_on=received_on,
        petitioner_name=petitioner_name.strip(),
        petitioner_id_number=id_number,
        petitioner_phone=petitioner_phone.strip(),
        petitioner_address=petitioner_address.strip(),
        group_size=group_size,
        representatives=representatives,
        household=household,
        case=case,
        accused=accused,
        accused_name=accused_name.strip() or (accused.get_full_name() if accused else ""),
        matter_key=key,
        earlier_in_window=ledger.earlier_in_window,
        repeat=ledger.repeat,
        final_of=ledger.final_of,
        work_order=work_order,
        enquiry=enquiry and channel == "hotline",
        forwarded_by=forwarded_by.strip(),
        acceptance_due=rules.acceptance_deadline(received_on),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    if channel == "hotline":
        enquiry_days, other_days = hotline_days()
        petition.hotline_due = rules.hotline_deadline(received_on, petition.enquiry, enquiry_days, other_days)
    if forwarded_by or channel == "forwarded":
        petition.objection_due = rules.objection_deadline(received_on)
    petition.save()
    petition.number = f"XF{regions.county_of(body.code)[:6]}{received_on.year}{petition.pk:07d}"
    petition.save(update_fields=["number"])
    for name, content_type, data in files:
        _attach(petition, name, content_type, data)
    due = (
        petition.hotline_due
        if petition.is_hotline
        else (min(petition.acceptance_due, petition.objection_due) if petition.objection_due else petition.acceptance_due)
    )
    process.about(petition, f"{petition.petitioner_name}：{petition.get_category_display()}（{petition.get_channel_display()}）")
    process.due_date, process.deadline_note = due, _deadline_note(petition)
    process.save()
    withhold(petition, _withheld_from(petition), "被反映人及其经办业务的工作人员不得知悉检举控告（《信访工作条例》第二十九条、第三十条）")
    return petition


def _day(day: date | None) -> str:
    return cn_date(day) if day else "—"


def _deadline_note(petition: Petition) -> str:
    if petition.is_hotline:
        assert petition.hotline_due is not None  # set for every 12345 order at registration
        return f"12345工单{'咨询类' if petition.enquiry else ''}办理期限：{cn_date(petition.hotline_due)}"
    if petition.objection_due:
        return f"不属本机关职责的，{cn_date(petition.objection_due)}前提出异议；受理告知期限{cn_date(petition.acceptance_due)}"
    return f"书面告知是否受理：{cn_date(petition.acceptance_due)}前"


def _attach(petition: Petition, name: str, content_type: str, data: bytes) -> PetitionAttachment:
    attachment = PetitionAttachment(petition=petition, name=name[:120], content_type=content_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    attachment.file.save(f"{petition.pk}-{attachment.sha256[:12]}", ContentFile(data), save=False)
    attachment.save()
    return attachment


def processes_of(petition: Petition) -> list:
    found = [petition.petitionprocess] if hasattr(petition, "petitionprocess") else []
    for review in petition.reviews.all():
        if hasattr(review, "petitionreviewprocess"):
            found.append(review.petitionreviewprocess)
    return found


def withhold(petition: Petition, users, reason: str) -> None:
    """Keep the petition, its processes, reviews and notices from ``users`` (arts 28–30)."""
    users = {u for u in users if u is not None}
    if not users:
        return
    records = [petition, *processes_of(petition), *petition.reviews.all(), *notices.of_petition(petition)]
    registry.recuse(users, records, reason)


def withheld_users(petition: Petition) -> list:
    ids = Recusal.objects.filter(record_type=Petition._meta.label, record_id=petition.pk).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids))


def _refresh_withholding(petition: Petition) -> None:
    """After a new process or notice: whoever the petition is withheld from, this is too."""
    users = withheld_users(petition)
    if users:
        withhold(petition, users, "与所涉信访件一并回避")


@transaction.atomic
def withdraw(petition: Petition, users, *, reason: str, user) -> None:
    """Art 28: staff with an interest in the matter withdraw from it."""
    if not reason.strip():
        raise ValidationError({"reason": "请说明回避理由"})
    if user in users:
        raise ValidationError({"users": "本人需要回避的，请由其他工作人员登记"})
    withhold(petition, users, f"回避：{reason.strip()}")
    registry.audit(user, "recusal", "petition", petition.pk, petition.region_code, "、".join(u.get_full_name() or u.username for u in users))


def _locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().get(pk=petition.pk)


@transaction.atomic
def route(petition: Petition, *, decision: str, reason: str = "", to_body: str = "", user, today: date) -> Petition:
    """Art 23, 31, 36: accept, forward or assign, tell where to go, direct to the legal
    procedure, object (a forwarded petition, within 5 工作日), refuse as final (a matter
    closed by 复核), or (a 12345 order whose matter is in the 信访 channel) leave 12345."""
    petition = _locked(petition)
    if petition.state != PetitionState.REGISTERED:
        raise ValidationError("该信访件已作出受理意见，请勿重复提交")
    if decision not in ROUTES:
        raise ValidationError({"decision": "请选择受理意见"})
    reason, to_body = reason.strip(), to_body.strip()
    if decision in ("forward", "assign", "direct") and not to_body:
        raise ValidationError({"to_body": "请填写转送、交办或告知的机关"})
    if decision in ("direct", "procedure", "object", "final", "moved") and not reason:
        raise ValidationError({"reason": "请说明理由"})
    if decision == "object":
        if not petition.objection_due:
            raise ValidationError({"decision": "只有上级转送、交办的信访件才能提出异议"})
        if today > petition.objection_due:
            raise ValidationError({"decision": f"异议期限已于{cn_date(petition.objection_due)}届满（5个工作日，《信访工作条例》第二十三条），应当办理"})
    if decision == "final" and petition.final_of is None:
        raise ValidationError({"decision": "未找到已经复核终结的同一事项，不能以“不再受理”答复"})
    if decision == "moved":
        if not petition.is_hotline:
            raise ValidationError({"decision": "只有12345工单可以转入信访渠道"})
        target = open_petition_on_matter(petition)
        if target is None:
            raise ValidationError({"decision": "未找到同一事项在办的信访件"})
        petition.moved_to = target
    petition.route, petition.route_reason, petition.to_body = decision, reason, to_body
    if decision == "accept":
        petition.accept()
        petition.accepted_on = today
        if petition.is_hotline:
            petition.hotline_signed_at, petition.hotline_signed_by = timezone.now(), user
        else:
            petition.handling_due = rules.handling_deadline(today)
    elif decision in ("forward", "assign"):
        petition.forward()
    elif decision in ("direct", "procedure"):
        petition.direct()
    elif decision == "object":
        petition.object_to()
    elif decision == "final":
        petition.refuse_as_final()
    else:
        petition.accept()
        petition.close()
    if decision in ("forward", "assign", "direct", "procedure", "object", "final", "moved"):
        petition.closed_on = today
    petition.save()
    process = petition.petitionprocess
    if decision == "accept":
        process.due_date = petition.hotline_due if petition.is_hotline else petition.handling_due
        process.deadline_note = "12345工单办理期限" if petition.is_hotline else f"自受理之日起60日内办结：{_day(petition.handling_due)}前"
        process.save(update_fields=["due_date", "deadline_note"])
    if not petition.is_hotline:
        notices.after_route(petition, user)
        _refresh_withholding(petition)
    return petition


def open_petition_on_matter(order: Petition) -> Petition | None:
    return (
        Petition.objects.filter(matter_key=order.matter_key, state__in=[PetitionState.REGISTERED, PetitionState.ACCEPTED])
        .exclude(channel="hotline")
        .exclude(pk=order.pk)
        .order_by("received_on")
        .first()
    )


@transaction.atomic
def record_handling(
    petition: Petition,
    *,
    investigation: str,
    facts: str,
    basis: str,
    outcome: str,
    opinion: str,
    risk: str,
    user,
    today: date,
    heard_on: date | None = None,
    mediation: str = "",
    mediation_text: str = "",
    risk_note: str = "",
    handoff_to: str = "",
    handoff_contact: str = "",
    handoff_on: date | None = None,
    extension_days: int = 0,
    extension_reason: str = "",
    case_action: str = "",
) -> Petition:
    """Art 32: investigate, hear the petitioner, mediate where both agree (art 33), and write
    the opinion: the facts and reasons, the legal basis, and 支持 / 解释说明 / 不予支持.
    M14: the psychological risk is assessed; a risk is handed off to a named department. Or
    ask the head for an extension (art 34: once, at most 30 日, with the reason)."""
    petition = _locked(petition)
    if petition.state != PetitionState.ACCEPTED:
        raise ValidationError("该信访件不在办理中")
    errors = {}
    if risk not in RiskLevel.values:
        errors["risk"] = "请评估信访人的心理风险"
    if risk == RiskLevel.HIGH:
        if not handoff_to.strip():
            errors["handoff_to"] = "发现心理危机风险的，应移交当地有关部门（如卫生健康、公安、乡镇综治中心），请填写移交部门"
        if not handoff_on:
            errors["handoff_on"] = "请填写移交日期"
        if not handoff_contact.strip():
            errors["handoff_contact"] = "请填写对接人及联系电话"
    if heard_on:
        try:
            validate_not_after_today(heard_on, "听取信访人意见日期", today=today)
        except ValidationError as error:
            errors["heard_on"] = error.messages[0]
    if handoff_on and handoff_on > today:
        errors["handoff_on"] = "移交日期不能晚于今天"
    if case_action == "recheck" and active_beneficiary(petition) is None:
        errors["case_action"] = "涉及家庭不是在保对象，不能启动复核；可能应保未保的，请选择登记主动发现线索"
    if case_action == "lead" and petition.household_id is None:
        errors["case_action"] = "登记主动发现线索需要知道涉及的家庭，请在登记时选择涉及家庭，或由县民政经办人通过转办线索登记"
    if mediation and not mediation_text.strip():
        errors["mediation_text"] = "达成调解或和解协议的，请写明协议内容"
    if extension_days:
        if petition.is_hotline:
            errors["extension_days"] = "12345工单按热线规定时限办理，不适用信访延期"
        elif petition.extension_days:
            errors["extension_days"] = "办理期限只能延长一次（《信访工作条例》第三十四条）"
        else:
            try:
                rules.validate_extension(extension_days)
            except ValueError as error:
                errors["extension_days"] = str(error)
        if not extension_reason.strip():
            errors["extension_reason"] = "请说明延期理由，理由将告知信访人"
    else:
        if not facts.strip():
            errors["facts"] = "请写明查明的事实和理由"
        if not opinion.strip():
            errors["opinion"] = "请写明处理意见"
        if outcome not in rules.OUTCOME_LABELS:
            errors["outcome"] = "请选择处理意见类别：支持、解释说明或不予支持"
        if not petition.is_hotline and not basis.strip():
            errors["basis"] = "请写明处理意见的法律、法规或政策依据"
    if errors:
        raise ValidationError(errors)
    petition.investigation, petition.heard_on = investigation.strip(), heard_on
    petition.mediation, petition.mediation_text = mediation, mediation_text.strip()
    petition.facts, petition.basis, petition.outcome, petition.opinion = facts.strip(), basis.strip(), outcome, opinion.strip()
    petition.risk, petition.risk_note = risk, risk_note.strip()
    petition.case_action = case_action if not extension_days else petition.case_action
    petition.handoff_to, petition.handoff_contact, petition.handoff_on = handoff_to.strip(), handoff_contact.strip(), handoff_on
    petition.extension_requested = extension_days
    if extension_days:
        petition.extension_reason = extension_reason.strip()
    petition.reply_sent_back = ""
    petition.save()
    if extension_days:
        # Stored on the process until the head decides: the petition's own period is unchanged.
        process = petition.petitionprocess
        process.deadline_note = f"申请延期{extension_days}日，待负责人批准；原期限{_day(petition.handling_due)}"
        process.save(update_fields=["deadline_note"])
        registry.audit(user, "extension_request", "petition", petition.pk, petition.region_code, f"{extension_days}日：{extension_reason.strip()}")
    return petition


@transaction.atomic
def decide_extension(petition: Petition, *, approve: bool, comment: str, user, today: date) -> Petition:
    """Art 34: the head approves the extension (and the petitioner is told why), or refuses
    it and the original period stands."""
    petition = _locked(petition)
    if not petition.extension_requested:
        raise ValidationError("该信访件没有待批准的延期申请")
    days = petition.extension_requested
    petition.extension_requested = 0
    process = petition.petitionprocess
    if approve:
        petition.extension_days = days
        assert petition.accepted_on is not None  # an extension is asked only while handling
        petition.handling_due = rules.handling_deadline(petition.accepted_on, days)
        petition.save()
        process.due_date = petition.handling_due
        process.deadline_note = f"经批准延长{days}日，{cn_date(petition.handling_due)}前办结"
        process.save(update_fields=["due_date", "deadline_note"])
        notices.extension(petition, days, user)
        _refresh_withholding(petition)
    else:
        if not comment.strip():
            raise ValidationError({"comment": "不批准延期的，请写明意见"})
        petition.save()
        process.deadline_note = f"延期未获批准（{comment.strip()}），{_day(petition.handling_due)}前办结"
        process.save(update_fields=["deadline_note"])
    registry.audit(user, "extension_decision", "petition", petition.pk, petition.region_code, ("批准" if approve else "不批准") + comment.strip())
    return petition


@transaction.atomic
def sign_reply(petition: Petition, *, approve: bool, comment: str, user, today: date) -> Petition:
    """The head signs the reply (art 32; a 12345 reply by the unit's responsible leader), and
    the 信访处理意见书 goes out; or sends it back with a comment. Signed twice: one notice."""
    petition = _locked(petition)
    if petition.state == PetitionState.REPLIED and petition.reply_signed_by_id:
        return petition
    if petition.state != PetitionState.ACCEPTED:
        raise ValidationError("该信访件不在待审签状态")
    if not approve:
        if not comment.strip():
            raise ValidationError({"comment": "退回修改的，请写明意见"})
        petition.reply_sent_back = comment.strip()
        petition.save(update_fields=["reply_sent_back"])
        return petition
    petition.reply()
    petition.replied_on, petition.reply_signed_by = today, user
    petition.save()
    if not petition.is_hotline:
        petition.opinion_notice = notices.opinion(petition, user)
        petition.save(update_fields=["opinion_notice"])
        _refresh_withholding(petition)
    return petition


@transaction.atomic
def record_callback(petition: Petition, *, satisfaction: str, well_founded: bool, note: str, user, today: date) -> Petition:
    """12345 回访: satisfaction recorded; an unsatisfied caller whose request is well founded
    sends the order back to be done again, on a new clock."""
    petition = _locked(petition)
    if not petition.is_hotline or petition.state != PetitionState.REPLIED:
        raise ValidationError("只有已答复的12345工单需要回访")
    if satisfaction not in ("satisfied", "basic", "unsatisfied"):
        raise ValidationError({"satisfaction": "请选择回访满意度"})
    petition.callback_on, petition.satisfaction = today, satisfaction
    petition.well_founded = well_founded if satisfaction == "unsatisfied" else None
    if satisfaction == "unsatisfied" and well_founded:
        petition.redo()
        petition.redo_count += 1
        enquiry_days, other_days = hotline_days()
        petition.hotline_due = rules.hotline_deadline(today, petition.enquiry, enquiry_days, other_days)
        petition.reply_signed_by, petition.replied_on = None, None
        petition.save()
        process = petition.petitionprocess
        process.due_date, process.deadline_note = (
            petition.hotline_due,
            f"回访不满意且诉求合理，退回重办（第{petition.redo_count}次）：{cn_date(petition.hotline_due)}前",
        )
        process.save(update_fields=["due_date", "deadline_note"])
    else:
        petition.close()
        petition.closed_on = today
        petition.save()
    registry.audit(user, "callback", "petition", petition.pk, petition.region_code, f"{petition.get_satisfaction_display()}；{note.strip()}")
    return petition


def active_beneficiary(petition: Petition):
    household = petition.household
    if household is None:
        return None
    return household.beneficiaries.exclude(state__in=[BeneficiaryState.TERMINATED, BeneficiaryState.EXITED]).order_by("pk").first()


def case_action_detail(petition: Petition) -> str:
    return f"信访件{petition.number}答复：{petition.opinion}"[:300]


@transaction.atomic
def link_case(petition: Petition, process) -> Petition:
    """The recheck or lead the reply opened, shown on the petition."""
    petition = _locked(petition)
    petition.linked_case_id = process.pk
    petition.save(update_fields=["linked_case"])
    return petition


# --- 复查 and 复核 -----------------------------------------------------------------------------


def review_body_for(petition: Petition) -> Region | None:
    """The body above the one that answered last: township → county → city → province."""
    last = petition.reviews.order_by("-pk").first()
    code = regions.parent_code(last.body_id if last else petition.body_id)
    return Region.objects.filter(code=code).first() if code else None


def last_answer_on(petition: Petition) -> date | None:
    last = petition.reviews.filter(state=ReviewState.ANSWERED).order_by("-pk").first()
    return last.answered_on if last else petition.replied_on


@transaction.atomic
def request_review(
    process: PetitionReviewProcess, petition: Petition, *, reply_received_on: date, requested_on: date, request: str, user, today: date
) -> PetitionReview:
    """Arts 35–36: 复查 of the reply, then 复核 of the 复查, each asked of the body above
    within 30 日 of receiving the answer; after 复核 there is none."""
    petition = _locked(petition)
    levels = list(petition.reviews.order_by("pk").values_list("level", "state"))
    if any(state == ReviewState.OPEN for _, state in levels):
        raise ValidationError("该信访件的复查（复核）正在办理中")
    level = rules.review_level_after([lvl for lvl, _ in levels])
    if level is None:
        raise ValidationError("该信访事项已经复核，复核意见为终结意见，不再受理复查、复核请求（《信访工作条例》第三十六条）")
    answered = last_answer_on(petition)
    if petition.state not in (PetitionState.REPLIED, PetitionState.CLOSED) or answered is None:
        raise ValidationError("该信访件尚未出具书面答复，不能请求复查")
    errors = {}
    if not request.strip():
        errors["request"] = "请填写复查（复核）请求及理由"
    if reply_received_on < answered:
        errors["reply_received_on"] = f"收到答复的日期不能早于答复日期（{cn_date(answered)}）"
    for field, day in (("reply_received_on", reply_received_on), ("requested_on", requested_on)):
        if day > today:
            errors.setdefault(field, "日期不能晚于今天")
    deadline = rules.review_request_deadline(reply_received_on)
    if requested_on > deadline and "reply_received_on" not in errors:
        word = rules.REVIEW_LEVEL_LABELS[level]
        errors["requested_on"] = (
            f"请求{word}的期限为收到答复之日起30日，已于{cn_date(deadline)}届满（《信访工作条例》第{'三十五' if level == 'recheck' else '三十六'}条），不予受理"
        )
    if errors:
        raise ValidationError(errors)
    body = review_body_for(petition)
    if body is None:
        raise ValidationError("没有可以受理复查（复核）的上级机关")
    try:
        with transaction.atomic():
            review = PetitionReview.objects.create(
                petition=petition,
                level=level,
                body=body,
                reply_received_on=reply_received_on,
                requested_on=requested_on,
                request=request.strip(),
                due_on=rules.review_answer_deadline(requested_on),
            )
    except IntegrityError:
        raise ValidationError("该信访件的复查（复核）已登记") from None
    process.about(review, f"{petition.petitioner_name}：{review.get_level_display()}（{petition.number}）")
    process.due_date, process.deadline_note = review.due_on, f"{review.get_level_display()}：自收到请求之日起30日内：{cn_date(review.due_on)}前"
    process.save()
    _refresh_withholding(petition)
    return review


@transaction.atomic
def answer_review(review: PetitionReview, *, outcome: str, facts: str, basis: str, opinion: str, paused_days: int, user, today: date) -> PetitionReview:
    """The 复查意见书 / 复核意见书. After 复核 the matter is final (art 36 ¶3)."""
    review = PetitionReview.objects.select_for_update().get(pk=review.pk)
    if review.state == ReviewState.ANSWERED:
        return review
    errors = {}
    if outcome not in rules.REVIEW_OUTCOME_LABELS:
        errors["outcome"] = "请选择维持、撤销或变更"
    if not facts.strip():
        errors["facts"] = "请写明查明的事实和理由"
    if not opinion.strip():
        errors["opinion"] = "请写明意见"
    if not basis.strip():
        errors["basis"] = "请写明依据"
    if paused_days < 0:
        errors["paused_days"] = "不计入期限的天数不能为负数"
    if errors:
        raise ValidationError(errors)
    review.outcome, review.facts, review.basis, review.opinion = outcome, facts.strip(), basis.strip(), opinion.strip()
    review.paused_days = paused_days
    review.due_on = rules.review_answer_deadline(review.requested_on, paused_days)
    review.answer()
    review.answered_on, review.answered_by = today, user
    review.save()
    review.notice = notices.review_opinion(review, user)
    review.save(update_fields=["notice"])
    petition = _locked(review.petition)
    if review.level == "review" and petition.state == PetitionState.REPLIED:
        petition.close()
        petition.closed_on = today
        petition.save()
    _refresh_withholding(petition)
    return review


@transaction.atomic
def close_unreviewed(today: date) -> int:
    """Replies whose 复查 period has passed with no request close (arts 35–36)."""
    closed = 0
    # No period has passed for a reply younger than 30 日: those are not read at all.
    candidates = (
        Petition.objects.select_for_update()
        .filter(state=PetitionState.REPLIED, replied_on__lt=today - timedelta(days=rules.REVIEW_REQUEST_DAYS))
        .exclude(channel="hotline")
    )
    for petition in candidates:
        answered = last_answer_on(petition)
        if petition.reviews.filter(state=ReviewState.OPEN).exists() or answered is None:
            continue
        if rules.review_request_deadline(answered) < today:
            petition.close()
            petition.closed_on = today
            petition.save()
            closed += 1
    return closed


@transaction.atomic
def follow_up(petition: Petition, *, note: str, on: date, user, today: date) -> Petition:
    """M14: the handoff's follow-up, recorded with its date."""
    petition = _locked(petition)
    if not petition.handoff_to:
        raise ValidationError("该信访件没有心理风险移交记录")
    if not note.strip():
        raise ValidationError({"note": "请填写跟进情况"})
    if on > today:
        raise ValidationError({"on": "跟进日期不能晚于今天"})
    petition.follow_up, petition.follow_up_on = note.strip()[:300], on
    petition.save(update_fields=["follow_up", "follow_up_on"])
    return petition
