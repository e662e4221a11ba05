"""The notices of the application process, built from the case (contexts: documents/samples.py)."""

import hashlib

from django.utils import timezone

from documents.issuers import issuer_for, rights_context
from documents.services import issue_notice
from workflows.core.validators import validate_not_before
from workflows.policy.calendar import cn_date, cn_month

from .models import Application

RULE_DIBAO = "《最低生活保障审核确认办法》（民发〔2021〕57号）"
PLACE = "乡镇（街道）社会救助窗口"


def _issue(kind: str, application: Application, context: dict, user, case_key: str | None = None, issued_on=None):
    applicant = application.applicant
    return issue_notice(
        kind=kind,
        issuer=issuer_for(application.region_code),
        case=application,
        addressee_name=applicant.name,
        addressee_id_number=applicant.id_number,
        region_code=application.region_code,
        context={"assistance": application.get_kind_display(), "applied_on": cn_date(application.filed_on), **context},
        user=user,
        case_key=case_key,
        issued_on=issued_on,
    )


def acceptance(application: Application, user, days: int):
    return _issue("acceptance", application, {"time_limit": f"{days}个工作日"}, user)


def correction(application: Application, user, due_on):
    """One notice per list of missing items: a retry reuses it, a later, different list is new."""
    items = [{"name": item, "note": ""} for item in application.missing_items]
    digest = hashlib.sha1("\n".join(application.missing_items).encode()).hexdigest()[:12]
    context = {"rule": f"{RULE_DIBAO}关于申请材料一次性告知的规定", "items": items, "due_on": cn_date(due_on), "place": PLACE}
    return _issue("correction", application, context, user, case_key=f"correction:application:{application.pk}:{digest}")


RULE_TEKUN = "《特困人员认定办法》（民发〔2021〕43号）"
RULE_SINGLE = f"{RULE_DIBAO}第八条"
PAID_TO = "按月发放至社会保障卡（“一卡通”）账户"


def _notice_text(application: Application, text: str) -> str:
    """A rule's reason as a notice prints it: members by name, no spaces around figures."""
    for i, name in enumerate(application.household.members.values_list("name", flat=True)):
        text = text.replace(f"第 {i + 1} 名成员", name)
    return text.replace(" ", "")


def _finding(application: Application) -> str:
    """The facts the rules found (their reasons, without the amount line), as one sentence."""
    reasons = [_notice_text(application, r) for r in application.outcome_reasons if not r.startswith("月")]
    return ("经审核：" + "；".join(reasons) + "。") if reasons else ""


def _approval_text(application: Application, beneficiary) -> dict:
    """The decision paragraph for the kinds whose result is not a household's dibao amount."""
    first = cn_month(beneficiary.first_paid_month)
    name = application.applicant.name
    if application.kind == "tekun":
        care = ""
        if application.basic_amount is not None:
            level = application.get_self_care_level_display() or "生活自理能力尚未评估"
            care = f"其中基本生活标准{application.basic_amount}元、照料护理标准{application.care_amount or '0.00'}元（{level}），"
        return {
            "decision": f"认定{name}为特困人员，给予救助供养，月供养金额{beneficiary.monthly_amount}元（{care}合计{beneficiary.monthly_amount}元），自{first}起{PAID_TO}。"
        }
    if application.kind == "single_person":
        return {
            "decision": f"批准{name}按“单人户”单独纳入最低生活保障，保障人口1人（{name}），月保障金额{beneficiary.monthly_amount}元，自{first}起{PAID_TO}。"
        }
    if application.kind == "marginal":
        return {"decision": f"认定你户为低保边缘家庭，自{first}起纳入低收入人口动态监测，按规定给予相应的专项救助或帮扶（低保边缘家庭不发放最低生活保障金）。"}
    return {}


def decision(application: Application, user=None):
    """批准决定书 or 不予批准决定书, with facts, rule, result, amounts and rights; dated today, which
    cannot be before the meeting that took the decision."""
    issued_on = timezone.localdate()
    validate_not_before(issued_on, application.decided_on, "决定书的成文日期", "作出决定的会议召开日期")
    assessment = application.assessment
    assert assessment is not None  # a case is decided on its assessment
    members = f"你家共同生活家庭成员{application.household.members.count()}人。"
    income = f"家庭人均月收入{assessment.per_capita_income}元，当地最低生活保障标准{assessment.standard.dibao_standard}元/人·月。"
    # The approval template states income and standard itself; a refusal's facts carry them.
    facts = members if application.state == "approved" else members + income
    basis = {"tekun": RULE_TEKUN, "single_person": RULE_SINGLE}.get(application.kind, RULE_DIBAO)
    rule = f"{basis}及《关于进一步加强社会救助重点工作的若干措施》（皖民社救字〔2022〕46号）第八条"
    common = {"facts": facts, "rule": rule, **rights_context(application.region_code)}
    if application.state == "approved":
        beneficiary = application.beneficiary
        assert beneficiary is not None  # the approval enrolled it
        special = _approval_text(application, beneficiary)
        return _issue(
            "approval",
            application,
            {
                **common,
                **special,
                "finding": _finding(application) if special else "",
                "head": application.household.head_name,
                "members": [m.name for m in application.household.members.all()] if beneficiary.covered_members > 1 else [application.applicant.name],
                "income_per_capita": str(assessment.per_capita_income),
                "standard": str(assessment.standard.dibao_standard),
                "monthly_amount": str(beneficiary.monthly_amount),
                "first_month": cn_month(beneficiary.first_paid_month),
            },
            user,
            issued_on=issued_on,
        )
    reasons = [application.decision_reason]
    if application.eligible is False:
        reasons += [_notice_text(application, r) for r in application.outcome_reasons if r not in reasons]
    return _issue("refusal", application, {**common, "reasons": reasons}, user, issued_on=issued_on)
