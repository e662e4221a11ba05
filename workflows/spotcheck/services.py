"""Operations of the spot check (M8); the only code that calls its transitions."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from documents.issuers import issuer_for, rights_context
from documents.services import issue_notice, sign_notice
from workflows.application.models import Application
from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import scoped
from workflows.core.services import terminate_beneficiary
from workflows.core.validators import validate_not_after_today
from workflows.engine.services import complete_task, open_human_tasks
from workflows.policy import defaults, procedure, rules
from workflows.policy.calendar import add_working_days, cn_date, cn_month

from .models import CLOSED_STATES, CheckResult, RectifyAction, SampledCase, SampledState, SpotCheck, SpotCheckProcess

RULE = "皖民社救字〔2022〕46号第八条"
DECIDED = ["approved", "refused"]


def county_of_user(user) -> Region | None:
    """The county a county officer works in: their first county-level role."""
    role = user.staff_roles.filter(region__level=regions.LEVEL_COUNTY).select_related("region").first()
    return role.region if role else None


def decided_cases(county_code: str, start: date, end: date):
    """The frame (M8): every case the county's townships decided in the period, approvals and
    refusals alike, of every kind (tekun initial reviews are applications of kind "tekun")."""
    return Application.objects.filter(region_code__startswith=regions.prefix_of(county_code), state__in=DECIDED, decided_on__range=(start, end))


@transaction.atomic
def open_spot_check(process: SpotCheckProcess, *, county: Region, period_start: date, period_end: date, today: date | None = None) -> SpotCheck:
    if period_end < period_start:
        raise ValidationError({"period_end": "截止日期不能早于起始日期"})
    # The sample is drawn from the cases decided in the period: it must be over.
    validate_not_after_today(period_end, "抽查期间的截止日期", today=today or timezone.localdate(), field="period_end")
    if SpotCheck.objects.filter(county=county, period_start=period_start, period_end=period_end).exists():
        raise ValidationError(f"{county.name}该期间的抽查已经开展，抽查样本一经抽取不再变更")
    spot_check = SpotCheck.objects.create(county=county, period_start=period_start, period_end=period_end, seed=secrets.token_hex(16))
    today = today or timezone.localdate()
    process.about(spot_check, str(spot_check))
    process.count_due(today, procedure.SPOT_CHECK_WORKING_DAYS, f"抽查核查期限（{procedure.SPOT_CHECK_WORKING_DAYS}个工作日）")
    process.save()
    return spot_check


@transaction.atomic
def draw_sample(spot_check: SpotCheck) -> list[SampledCase]:
    """Draw once with the recorded seed; a second call returns the frozen sample unchanged."""
    spot_check = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
    if spot_check.state != "open":
        return list(spot_check.cases.all())
    frame = list(decided_cases(spot_check.county_id, spot_check.period_start, spot_check.period_end).only("pk", "region_code", "staff_relative"))
    chosen = set(rules.draw_spot_check_sample(((a.pk, regions.township_of(a.region_code), a.staff_relative) for a in frame), spot_check.seed, spot_check.ratio))
    cases = SampledCase.objects.bulk_create(
        SampledCase.with_region_codes(SampledCase(spot_check=spot_check, application=a, must_include=a.staff_relative) for a in frame if a.pk in chosen)
    )
    spot_check.record_draw(len(frame), timezone.now())
    spot_check.save()
    return cases


def _cases(spot_check: SpotCheck):
    return spot_check.cases.select_related("application__household__hukou_region__parent", "application__beneficiary").order_by("region_code", "pk")


def _village(application: Application) -> str:
    village = application.household.hukou_region
    return f"{village.parent.name}{village.name}" if village.parent else village.name


def _basis(case: SampledCase) -> str:
    if case.must_include:
        return "村干部、经办人员近亲属备案（必查）"
    return "随机抽取（含不予批准）" if case.application.state == "refused" else "随机抽取"


def issue_sample_list(spot_check: SpotCheck, user=None):
    """抽查名单, issued by the county bureau to the townships concerned (idempotent)."""
    assert spot_check.drawn_at is not None  # the list is of a sample drawn
    cases = list(_cases(spot_check))
    townships = Region.objects.filter(code__in={regions.township_of(c.region_code) for c in cases}).order_by("code")
    rows = [
        {
            "name": c.application.household.head_name,
            "village": _village(c.application),
            "assistance": c.application.get_kind_display() if c.application.state == "approved" else f"{c.application.get_kind_display()}（不予批准）",
            "amount": str(c.application.beneficiary.monthly_amount if c.application.beneficiary else "0.00"),
            "basis": _basis(c),
        }
        for c in cases
    ]
    context = {
        "period": spot_check.period_label,
        "rule": RULE,
        "total": spot_check.frame_size,
        "ratio": f"不低于{spot_check.ratio * 100:.0f}%",
        "method": f"按乡镇（街道）分别随机（随机种子 {spot_check.seed}）",
        "sampled": len(rows),
        "due_on": cn_date(add_working_days(spot_check.drawn_at.astimezone(timezone.get_current_timezone()).date(), procedure.SPOT_CHECK_WORKING_DAYS)),
        "rows": rows,
    }
    notice = issue_notice(
        kind="spotcheck_list",
        issuer=issuer_for(spot_check.county_id, level=regions.LEVEL_COUNTY),
        case=spot_check,
        addressee_name="、".join(f"{t.name}人民政府" for t in townships) or f"{spot_check.county.name}各乡镇（街道）",
        context=context,
        region_code=spot_check.region_code,
        user=user,
    )
    SpotCheck.objects.filter(pk=spot_check.pk).update(sample_list=notice)
    return notice


def cases_to_check(spot_check: SpotCheck) -> list[SampledCase]:
    """The sampled cases that have no check process yet (a retried job opens none twice)."""
    return list(spot_check.cases.filter(casecheckprocess__isnull=True).select_related("application__household"))


def skip_to_report_if_nothing_sampled(spot_check: SpotCheck) -> None:
    """Nothing was decided in the period: the check goes straight to its report."""
    if not spot_check.cases.exists():
        spot_check.mark_checked()
        spot_check.save()


@transaction.atomic
def record_check(case: SampledCase, *, result: str, evidence: str, user, evidence_file=None) -> SampledCase:
    case = SampledCase.objects.select_for_update().get(pk=case.pk)
    if case.state != SampledState.PENDING:
        raise ValidationError("该案件已核查，核查结论不能修改")
    if result not in CheckResult.values:
        raise ValidationError({"result": "请选择核查结论"})
    if not evidence.strip():
        raise ValidationError({"evidence": "请写明核查情况及证据"})
    if evidence_file:
        case.evidence_file = evidence_file
    if result == CheckResult.OK:
        case.record_ok(evidence.strip(), user, timezone.now())
    else:
        case.record_finding(result, evidence.strip(), user, timezone.now())
    case.save()
    return case


@transaction.atomic
def record_checks_ok(spot_check: SpotCheck, case_ids, *, evidence: str, user) -> int:
    """The bulk page: "ok" for several cases at once; each case's own 入户核查 task (its one
    open human task while the case is pending) is completed too."""
    cases = list(spot_check.cases.filter(pk__in=case_ids, state=SampledState.PENDING).select_related("casecheckprocess"))
    if not cases:
        raise ValidationError("请至少选择一件待核查的案件")
    for case in cases:
        record_check(case, result=CheckResult.OK, evidence=evidence, user=user)
        for task in open_human_tasks(case.casecheckprocess):
            complete_task(task, user)
    return len(cases)


@transaction.atomic
def terminate_benefit(case: SampledCase, reason: str, user):
    """Stop the benefit of a wrongly included case, with a 停保决定书 to the household."""
    application = case.application
    beneficiary = application.beneficiary
    if beneficiary is None or beneficiary.state == "terminated":
        raise ValidationError({"action": "该户没有在保的保障对象，不能停发保障"})
    terminate_beneficiary(beneficiary, reason)
    stop = procedure.first_paid_month(timezone.localdate())  # the benefit stops from next month, as it starts
    applicant = application.applicant
    level = regions.LEVEL_TOWNSHIP if application.delegated else regions.LEVEL_COUNTY
    return issue_notice(
        kind="termination",
        issuer=issuer_for(application.region_code, level=level),
        case=case,
        addressee_name=applicant.name,
        addressee_id_number=applicant.id_number,
        region_code=application.region_code,
        user=user,
        context={
            "assistance": application.get_kind_display(),
            "facts": f"经{case.spot_check.county.name}民政局{case.spot_check.period_label}抽查核查：{case.evidence}",
            "rule": f"{RULE}、《社会救助暂行办法》第十三条",
            "reasons": [reason],
            "stop_month": cn_month(stop),
            "monthly_amount": str(beneficiary.monthly_amount),
            **rights_context(application.region_code),
        },
    )


@transaction.atomic
def rectify(case: SampledCase, *, action: str, note: str, amount=None, user) -> SampledCase:
    """The township's rectification of a finding: one action, described, with its effect."""
    case = SampledCase.objects.select_for_update(of=("self",)).select_related("application__beneficiary", "spot_check__county").get(pk=case.pk)
    if case.state != SampledState.FINDING:
        raise ValidationError("该案件无需整改或已整改")
    if not note.strip():
        raise ValidationError({"note": "请写明整改情况"})
    if action == RectifyAction.RECOVER and not amount:
        raise ValidationError({"amount": "追回多发资金须填写追回金额"})
    if action == RectifyAction.TERMINATE:
        case.termination_notice = terminate_benefit(case, note.strip(), user)
    case.record_rectification(action, note.strip(), amount, user, timezone.now())
    case.save()
    return case


def close_check_if_last(case: SampledCase) -> SpotCheck | None:
    """When a case's check process ends: the last one closes the check (M8). Returns the
    check when this case closed it (the caller moves the county's process on), else None.
    Call inside a transaction: the row lock serialises the last two cases closing at once,
    so that one of them sees both."""
    spot_check = SpotCheck.objects.select_for_update().get(pk=case.spot_check_id)
    if spot_check.state != "drawn" or spot_check.cases.exclude(state__in=CLOSED_STATES).exists():
        return None
    spot_check.mark_checked()
    spot_check.save()
    return spot_check


def coverage_by_township(spot_check: SpotCheck) -> list[dict]:
    """Per township: cases decided in the period, sampled, checked, and the ratio achieved."""
    decided = dict(
        decided_cases(spot_check.county_id, spot_check.period_start, spot_check.period_end)
        .annotate(township=Substr("region_code", 1, 9))
        .values("township")
        .annotate(n=Count("pk"))
        .values_list("township", "n")
    )
    sampled = {
        row.pop("township"): row
        for row in spot_check.cases.annotate(township=Substr("region_code", 1, 9))
        .values("township")
        .annotate(sampled=Count("pk"), checked=Count("pk", filter=~Q(state=SampledState.PENDING)))
    }
    names = dict(Region.objects.filter(code__in=[t.ljust(12, "0") for t in decided]).values_list("code", "name"))
    rows = []
    for township in sorted(decided):
        got = sampled.get(township, {"sampled": 0, "checked": 0})
        rows.append(
            {"township": names.get(township.ljust(12, "0"), township), "decided": decided[township], **got, "ratio": got["checked"] / decided[township]}
        )
    return rows


def _finding_row(case: SampledCase) -> dict:
    action = f"{case.get_action_display()}：{case.rectification}"
    if case.recovered_amount:
        action += f"；追回资金{case.recovered_amount}元"
    if case.termination_notice is not None:
        action += f"；已制发停保决定书{case.termination_notice.number}"
    return {
        "name": case.application.household.head_name,
        "village": _village(case.application),
        "category": case.get_result_display(),
        "finding": case.evidence,
        "action": action,
    }


@transaction.atomic
def issue_report(spot_check: SpotCheck, user=None):
    """抽查报告: coverage achieved per township, findings and their rectification (M8)."""
    spot_check = SpotCheck.objects.select_for_update().select_related("county").get(pk=spot_check.pk)
    if spot_check.state != "checked":
        return spot_check.report
    cases = list(_cases(spot_check).select_related("termination_notice"))
    findings = [c for c in cases if c.result != CheckResult.OK]
    coverage = "；".join(f"{r['township']}审核确认{r['decided']}件，抽查核查{r['checked']}件，占{r['ratio']:.1%}" for r in coverage_by_township(spot_check))
    by_kind = "、".join(f"{label}{n}件" for value, label in CheckResult.choices if (n := sum(c.result == value for c in findings)))
    summary = f"各乡镇（街道）抽查覆盖情况：{coverage or '本期无审核确认案件'}。抽查对象中，{len(cases) - len(findings)}件审核确认程序规范、认定准确；" + (
        f"{len(findings)}件发现问题（{by_kind}），均已整改。" if findings else "未发现错保、漏保、“人情保”“关系保”问题。"
    )
    context = {
        "period": spot_check.period_label,
        "rule": RULE,
        "total": spot_check.frame_size,
        "sampled": len(cases),
        "checked": sum(c.state != SampledState.PENDING for c in cases),
        "summary": summary,
        "rectify_due": cn_date(add_working_days(timezone.localdate(), procedure.RECTIFY_REPORT_WORKING_DAYS)),
        "findings": [_finding_row(c) for c in findings],
    }
    notice = issue_notice(
        kind="spotcheck_report",
        issuer=issuer_for(spot_check.county_id, level=regions.LEVEL_COUNTY),
        case=spot_check,
        addressee_name=f"{spot_check.county.name}人民政府",
        context=context,
        region_code=spot_check.region_code,
        user=user,
    )
    spot_check.record_report(notice)
    spot_check.save()
    return notice


@transaction.atomic
def sign_report(spot_check: SpotCheck, user, password: str) -> SpotCheck:
    """The county civil-affairs head signs the report (DESIGN §6)."""
    spot_check = SpotCheck.objects.select_for_update().get(pk=spot_check.pk)
    if spot_check.state != "reported":
        raise ValidationError("抽查报告已签发，不能重复签发")
    assert spot_check.report is not None  # issued when the check was reported
    sign_notice(spot_check.report, user, password)
    spot_check.mark_signed()
    spot_check.save()
    return spot_check


def coverage(user, year: int | None = None) -> list[dict]:
    """The coverage page: per township and month of decision, the share actually checked.

    Two grouped queries whatever the number of townships and months; a line below the
    policy ratio (M8: 30%) is flagged.
    """
    apps = scoped(Application.objects.filter(state__in=DECIDED, decided_on__isnull=False), user)
    if year:
        apps = apps.filter(decided_on__year=year)
    keyed = apps.annotate(township=Substr("region_code", 1, 9), month=TruncMonth("decided_on"))
    decided = {(r["township"], r["month"]): r["n"] for r in keyed.values("township", "month").annotate(n=Count("pk"))}
    checked_cases = SampledCase.objects.filter(application__in=keyed.values("pk")).exclude(state=SampledState.PENDING)
    checked = {
        (r["township"], r["month"]): r["n"]
        for r in checked_cases.annotate(township=Substr("region_code", 1, 9), month=TruncMonth("application__decided_on"))
        .values("township", "month")
        .annotate(n=Count("application", distinct=True))
    }
    names = dict(Region.objects.filter(code__in={t.ljust(12, "0") for t, _ in decided}).values_list("code", "name"))
    ratio = defaults.SPOT_CHECK_RATIO
    rows = []
    for township, month in sorted(decided, key=lambda k: (k[1], k[0])):
        n, done = decided[(township, month)], checked.get((township, month), 0)
        rows.append(
            {
                "township": names.get(township.ljust(12, "0"), township),
                "month": month,
                "decided": n,
                "checked": done,
                "ratio": done / n,
                "flagged": done < n * ratio,
            }
        )
    return rows
