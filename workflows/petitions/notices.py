"""The notices of a petition (context keys: documents/samples.py): 受理告知书, 不予受理告知书,
转送（交办）告知书, 延期告知书, 信访处理意见书, 复查意见书, 复核意见书, 不再受理告知书
(信访工作条例 arts 23, 31, 32, 34–36)."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from documents.issuers import issuer_for, rights_context
from documents.models import Notice, NoticeState
from documents.services import issue_notice, may_sign, sign_under_authority
from workflows.core import regions
from workflows.policy import petitions as rules
from workflows.policy.calendar import cn_date

ACCEPT_RULE = "《信访工作条例》第二十三条、第三十四条"
ROUTE_RULE = "《信访工作条例》第二十三条、第三十一条"
EXTENSION_RULE = "《信访工作条例》第三十四条"
FINAL_RULE = "《信访工作条例》第三十六条"
#: Where a petitioner is told to take a matter for a legal procedure (art 31).
PROCEDURE_DIRECTION = "依法申请行政复议、提起行政诉讼或者申请仲裁"


def of_petition(petition) -> list[Notice]:
    """Every notice issued on the petition or its reviews."""
    cases = [(ContentType.objects.get_for_model(petition), [petition.pk])]
    review_ids = list(petition.reviews.values_list("pk", flat=True))
    found = list(Notice.objects.filter(case_type=cases[0][0], case_id=petition.pk))
    if review_ids:
        review_type = ContentType.objects.get_for_model(petition.reviews.model)
        found += list(Notice.objects.filter(case_type=review_type, case_id__in=review_ids))
    return found


def _body_name(petition) -> str:
    return issuer_for(petition.body_id, petition.level).name


def _contact(issuer) -> str:
    return f"{issuer.name} {issuer.phone}"


def _common(petition) -> dict:
    return {
        "received_on": cn_date(petition.received_on),
        "channel": petition.get_channel_display(),
        "work_order": petition.work_order or petition.number,
        "summary": petition.matter[:80],
    }


def _issue(kind: str, petition, context: dict, user, case=None, level: str | None = None, region_code: str | None = None):
    region_code = region_code or petition.body_id
    issuer = issuer_for(region_code, level or petition.level)
    return issue_notice(
        kind=kind,
        issuer=issuer,
        case=case or petition,
        addressee_name=petition.petitioner_name,
        addressee_id_number=petition.petitioner_id_number,
        region_code=region_code,
        context={**_common(petition), "contact": _contact(issuer), **context, **rights_context(petition.body_id)},
        user=user,
    )


def signed_by_task(notice, user, authority: str):
    """A notice whose leader decided it in a task (the reply's 审签, the extension's approval,
    a review's answer) is signed under that authority at once; otherwise it waits on the
    leader's signing page like every notice."""
    if notice is not None and notice.state == NoticeState.RENDERED and user is not None and may_sign(user, notice):
        return sign_under_authority(notice, user, authority)
    return notice


def after_route(petition, user):
    """What the routing tells the petitioner in writing (art 23); an objection goes back to
    the body that forwarded it, not to the petitioner."""
    route = petition.route
    if route == "accept":
        return _issue(
            "petition_acceptance",
            petition,
            {
                "handling_body": _body_name(petition),
                "rule": ACCEPT_RULE,
                "time_limit": f"{rules.HANDLING_DAYS}日",
                "due_on": cn_date(petition.handling_due),
            },
            user,
        )
    if route in ("forward", "assign"):
        return _issue(
            "petition_transfer",
            petition,
            {"action": "转送" if route == "forward" else "交办", "to_body": petition.to_body, "rule": ROUTE_RULE},
            user,
        )
    if route in ("direct", "procedure"):
        direction = f"向{petition.to_body}提出" if route == "direct" else PROCEDURE_DIRECTION
        return _issue("petition_refusal", petition, {"reason": petition.route_reason, "direction": direction, "rule": ROUTE_RULE}, user)
    if route == "final":
        earlier = petition.final_of
        review = earlier.reviews.filter(level="review").first()
        return _issue(
            "petition_final",
            petition,
            {
                "earlier_work_order": earlier.work_order or earlier.number,
                "review_number": review.notice.number if review and review.notice_id else "",
                "review_body": issuer_for(review.body_id, regions.level_of(review.body_id)).name if review else "",
                "reviewed_on": cn_date(review.answered_on) if review and review.answered_on else "",
                "rule": FINAL_RULE,
            },
            user,
        )
    return None


def extension(petition, days: int, user):
    notice = _issue(
        "petition_extension",
        petition,
        {
            "original_due": cn_date(rules.handling_deadline(petition.accepted_on)),
            "extension_days": f"{days}日",
            "new_due": cn_date(petition.handling_due),
            "reason": petition.extension_reason,
            "rule": EXTENSION_RULE,
        },
        user,
    )
    return signed_by_task(notice, user, "延期批准")


def _recheck_body(petition) -> str:
    parent = regions.parent_code(petition.body_id)
    try:
        return issuer_for(parent, regions.level_of(parent)).name if parent else ""
    except ValidationError:  # the body above has no issuer yet: name it by its level
        return "上一级行政机关"


def opinion(petition, user):
    """信访处理意见书 (art 32): the request, the facts and reasons, the opinion with its legal
    basis, 支持 / 解释说明 / 不予支持, and the right to 复查 within 30 日."""
    mediation = (
        f"经{petition.get_mediation_display().replace('协议', '')}，双方达成{petition.get_mediation_display()}：{petition.mediation_text}"
        if petition.mediation
        else ""
    )
    assistance = petition.get_category_display() if petition.category in ("dibao_refused", "dibao_stopped", "tekun", "relief") else ""
    notice = _issue(
        "petition_opinion",
        petition,
        {
            "request": petition.request or petition.matter,
            "facts": petition.facts,
            "rule": petition.basis,
            "outcome": petition.get_outcome_display(),
            "opinion": petition.opinion,
            "mediation": mediation,
            "recheck_body": _recheck_body(petition),
            "assistance": assistance,
        },
        user,
    )
    return signed_by_task(notice, user, "信访答复审签")


def review_opinion(review, user):
    """复查意见书 (art 35) or 复核意见书 (art 36), issued by the body that answered."""
    petition = review.petition
    below = petition.reviews.filter(pk__lt=review.pk).order_by("-pk").first()
    original_notice = below.notice if below else petition.opinion_notice
    original_body = issuer_for(below.body_id, regions.level_of(below.body_id)).name if below else _body_name(petition)
    level = regions.level_of(review.body_id)
    context = {
        "original_body": original_body,
        "original_number": original_notice.number if original_notice else "",
        "requested_on": cn_date(review.requested_on),
        "request": review.request,
        "facts": review.facts,
        "rule": review.basis,
        "outcome": review.get_outcome_display(),
        "opinion": review.opinion,
    }
    kind = "petition_recheck_opinion" if review.level == "recheck" else "petition_review_opinion"
    if review.level == "recheck":
        above = regions.parent_code(review.body_id)
        try:
            context["review_body"] = issuer_for(above, regions.level_of(above)).name if above else ""
        except ValidationError:  # no issuer registered above: name it by its level
            context["review_body"] = "上一级行政机关"
    notice = _issue(kind, petition, context, user, case=review, level=level, region_code=review.body_id)
    return signed_by_task(notice, user, f"{review.get_level_display()}意见")
