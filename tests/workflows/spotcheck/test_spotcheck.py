"""County spot check (M8): frozen sample, per-case checks, rectification, signed report, access."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.status import STATUS

from tests.documents.pki import PASSWORD, pki  # noqa: F401 - fixture
from tests.factories import COUNTY, OTHER_COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_issuers, make_user
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, open_task
from workflows.application.models import Application
from workflows.core.models import Beneficiary
from workflows.spotcheck import services
from workflows.spotcheck.flows import CaseCheckFlow, SpotCheckFlow
from workflows.spotcheck.models import CaseCheckProcess, SampledCase, SpotCheck, SpotCheckProcess

# The jobs that issue the sample list and the report run once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)

OCTOBER = {"period_start": "2026-10-01", "period_end": "2026-10-31"}


def decided_case(village, name, *, state="approved", day=date(2026, 10, 12), relative=False, kind="dibao", clerk):
    household = make_household(village, head_name=name)
    beneficiary = None
    if state == "approved":
        beneficiary = Beneficiary.objects.create(
            household=household, kind="dibao", monthly_amount=Decimal("560.00"), covered_members=2, first_paid_month=date(2026, 11, 1)
        )
    return Application.objects.create(
        household=household,
        applicant=household.members.get(relation="head"),
        kind=kind,
        state=state,
        filed_on=date(2026, 9, 1),
        decided_on=day,
        decision_reason="联审会议集体决定",
        staff_relative=relative,
        staff_relative_note="村主任之弟" if relative else "",
        beneficiary=beneficiary,
        created_by=clerk,
    )


@pytest.fixture
def world(pki, other_county, clerk_a, county_head, county_officer, clerk_b):
    make_issuers()  # after pki: init_dev_pki makes certificates for the issuers there are
    county_head.first_name = "赵德厚"
    county_head.save()
    world = {
        "officer": county_officer,
        "other_officer": make_user("officer_fd", "county_officer", OTHER_COUNTY),
        "head": county_head,
        "clerk": clerk_a,
        "clerk_b": clerk_b,
    }
    # 水湖镇: 4 decided in October (one refused, one staff relative, one tekun); 庄墓镇: 3.
    world["relative"] = decided_case(VILLAGE_A, "钱有德", relative=True, clerk=clerk_a)
    decided_case(VILLAGE_A, "孙二", clerk=clerk_a)
    decided_case(VILLAGE_A, "周三", state="refused", clerk=clerk_a)
    decided_case(VILLAGE_A, "吴四", kind="tekun", clerk=clerk_a)
    for name in ("郑五", "王六", "冯七"):
        decided_case(VILLAGE_B, name, clerk=clerk_a)
    decided_case(VILLAGE_A, "陈八", day=date(2026, 11, 3), clerk=clerk_a)  # another month: not in the frame
    decided_case(VILLAGE_A, "褚九", state="refused", day=date(2026, 9, 30), clerk=clerk_a)
    return world


def start_check(client, world):
    client.force_login(world["officer"])
    response = client.post(SpotCheckFlow.start.reverse("execute"), OCTOBER)
    assert response.status_code == 302, response.content.decode()[:1500]
    return SpotCheckProcess.objects.get()


def test_check_finding_rectification_and_signed_report(client, world, wait_until):
    process = start_check(client, world)
    spot_check = SpotCheck.objects.get()
    assert spot_check.state == "drawn" and spot_check.frame_size == 7 and len(spot_check.seed) == 32
    cases = list(spot_check.cases.order_by("pk"))
    by_township = {t: sum(c.region_code.startswith(t[:9]) for c in cases) for t in (TOWNSHIP_A, TOWNSHIP_B)}
    assert by_township == {TOWNSHIP_A: 2, TOWNSHIP_B: 1}  # ceil(4 × 30%), ceil(3 × 30%)
    relative = SampledCase.objects.get(application=world["relative"])
    assert relative.must_include

    # The list is issued by the county bureau, naming every sampled household.
    wait_until(lambda: SpotCheck.objects.get().sample_list_id is not None, message="抽查名单未生成")
    listing = SpotCheck.objects.get().sample_list
    assert listing.kind == "spotcheck_list" and listing.issuer.region_id == COUNTY
    text = "".join(pdf_text(listing.pdf.read()).split())
    assert "钱有德" in text and "近亲属备案" in text
    assert CaseCheckProcess.objects.count() == 3

    # The sample is frozen: drawing again returns the same rows, and a second check of the
    # same period is refused.
    assert [c.pk for c in services.draw_sample(spot_check)] == [c.pk for c in cases]
    response = client.post(SpotCheckFlow.start.reverse("execute"), OCTOBER)
    assert "已经开展" in response.content.decode()
    assert SpotCheck.objects.count() == 1

    # One finding, on its own task, with evidence and a file.
    finding_process = relative.casecheckprocess
    check_task = open_task(finding_process, CaseCheckFlow.check)
    client.post(check_task.flow_task.reverse("assign", args=[finding_process.pk, check_task.pk]))
    page = client.get(check_task.flow_task.reverse("execute", args=[finding_process.pk, check_task.pk])).content.decode()
    assert "近亲属单独登记备案" in page and "钱有德" in page and "multipart/form-data" in page
    response = do(
        client,
        finding_process,
        CaseCheckFlow.check,
        {
            "result": "favour",
            "evidence": "户主系村主任之弟，家庭有经营性货车一辆未申报",
            "evidence_file": SimpleUploadedFile("照片.jpg", b"jpeg", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    relative.refresh_from_db()
    assert relative.state == "finding" and relative.result == "favour" and relative.evidence_file

    # The others: "ok" for several at once on the bulk page.
    page = client.get(f"/spotcheck/{spot_check.pk}/")
    assert page.status_code == 200 and "钱有德" in page.content.decode() and "待核查" in page.content.decode()
    others = [c.pk for c in cases if c.pk != relative.pk]
    response = client.post(f"/spotcheck/{spot_check.pk}/", {"cases": others, "evidence": "入户核查，情况属实"})
    assert response.status_code == 302
    assert set(SampledCase.objects.filter(pk__in=others).values_list("state", flat=True)) == {"ok"}
    assert not CaseCheckProcess.objects.filter(sampled_case__in=others).exclude(status="DONE").exists()
    assert SpotCheck.objects.get().state == "drawn"  # the finding is not rectified yet

    # The rectification task belongs to 水湖镇: 庄墓镇's clerk cannot even see it.
    task = open_task(finding_process, CaseCheckFlow.rectify)
    client.force_login(world["clerk_b"])
    assert client.get(task.flow_task.reverse("index", args=[finding_process.pk, task.pk])).status_code == 404
    assert client.get(CaseCheckFlow.instance.reverse("process_detail", args=[finding_process.pk])).status_code == 404
    client.force_login(world["clerk"])
    response = do(client, finding_process, CaseCheckFlow.rectify, {"action": "recover", "note": "已追回"})
    assert "须填写追回金额" in response.content.decode()
    response = do(client, finding_process, CaseCheckFlow.rectify, {"action": "terminate", "note": "隐瞒经营性车辆，不符合低保条件，自下月起停发"})
    assert response.status_code == 302, response.content.decode()[:1500]
    relative.refresh_from_db()
    assert relative.state == "rectified" and relative.termination_notice.kind == "termination"
    assert Beneficiary.objects.get(pk=world["relative"].beneficiary_id).state == "terminated"
    assert relative.termination_notice.addressee_name == "钱有德"

    # Every case closed: the report is issued and waits for the county head.
    wait_until(lambda: SpotCheck.objects.get().state == "reported", message="抽查报告未生成")
    spot_check = SpotCheck.objects.get()
    report_text = "".join(pdf_text(spot_check.report.pdf.read()).split())
    assert "水湖镇审核确认4件，抽查核查2件，占50.0%" in report_text
    assert "人情保" in report_text and "钱有德" in report_text
    sign_task = open_task(process, SpotCheckFlow.sign)
    client.force_login(world["officer"])
    assert client.post(sign_task.flow_task.reverse("assign", args=[process.pk, sign_task.pk])).status_code in (403, 404)
    client.force_login(world["head"])
    client.post(sign_task.flow_task.reverse("assign", args=[process.pk, sign_task.pk]))
    assert spot_check.report.number in client.get(sign_task.flow_task.reverse("execute", args=[process.pk, sign_task.pk])).content.decode()
    assert "密码不正确" in do(client, process, SpotCheckFlow.sign, {"password": "wrong"}).content.decode()
    response = client.post(sign_task.flow_task.reverse("execute", args=[process.pk, sign_task.pk]), {"password": PASSWORD})
    assert response.status_code == 302
    spot_check.refresh_from_db()
    assert spot_check.state == "signed" and spot_check.report.state == "signed" and spot_check.report.signed_by == world["head"]
    assert SpotCheckProcess.objects.get().status == "DONE"


def test_empty_period_goes_straight_to_the_report(client, world, wait_until):
    client.force_login(world["officer"])
    assert client.post(SpotCheckFlow.start.reverse("execute"), {"period_start": "2026-07-01", "period_end": "2026-07-31"}).status_code == 302
    wait_until(lambda: SpotCheck.objects.get().state == "reported", message="空抽查未生成报告")
    assert not SampledCase.objects.exists()
    assert "本期无审核确认案件" in "".join(pdf_text(SpotCheck.objects.get().report.pdf.read()).split())


def test_coverage_per_township_and_month(client, world):
    start_check(client, world)
    rows = {(r["township"], r["month"].month): r for r in services.coverage(world["officer"])}
    assert (rows[("水湖镇", 10)]["decided"], rows[("水湖镇", 10)]["checked"], rows[("水湖镇", 10)]["flagged"]) == (4, 0, True)
    spot_check = SpotCheck.objects.get()
    client.post(f"/spotcheck/{spot_check.pk}/", {"cases": list(spot_check.cases.values_list("pk", flat=True)), "evidence": "入户核查，情况属实"})
    rows = {(r["township"], r["month"].month): r for r in services.coverage(world["officer"])}
    assert (rows[("水湖镇", 10)]["checked"], rows[("水湖镇", 10)]["flagged"]) == (2, False)  # 50%
    assert (rows[("庄墓镇", 10)]["checked"], rows[("庄墓镇", 10)]["flagged"]) == (1, False)  # 33%
    assert (rows[("水湖镇", 11)]["decided"], rows[("水湖镇", 11)]["flagged"]) == (1, True)  # not yet checked
    assert (rows[("水湖镇", 9)]["decided"], rows[("水湖镇", 9)]["flagged"]) == (1, True)
    page = client.get("/spotcheck/coverage/").content.decode()
    assert "50%" in page and "33%" in page and "低于30%" in page
    # Another county's officer sees nothing of it.
    client.force_login(world["other_officer"])
    assert services.coverage(world["other_officer"]) == []
    assert "水湖镇" not in client.get("/spotcheck/coverage/").content.decode()


def test_access_outside_scope_is_404(client, world):
    process = start_check(client, world)
    spot_check = SpotCheck.objects.get()
    case_process = CaseCheckProcess.objects.filter(region_code__startswith=TOWNSHIP_A[:9]).first()
    task = open_task(case_process, CaseCheckFlow.check)
    assert client.get(SpotCheckFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 200
    assert client.get(CaseCheckFlow.instance.reverse("process_detail", args=[case_process.pk])).status_code == 200
    client.force_login(world["other_officer"])
    assert client.get(f"/spotcheck/{spot_check.pk}/").status_code == 404
    assert client.get(SpotCheckFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[case_process.pk, task.pk])).status_code == 404
    assert client.post(f"/spotcheck/{spot_check.pk}/", {"cases": [case_process.sampled_case_id], "evidence": "x"}).status_code == 404
    assert SampledCase.objects.get(pk=case_process.sampled_case_id).state == "pending"
    # Township clerks see no county check at all, and nothing of the other township's cases.
    client.force_login(world["clerk_b"])
    assert client.get(SpotCheckFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(CaseCheckFlow.instance.reverse("process_detail", args=[case_process.pk])).status_code == 404
    assert client.get(f"/spotcheck/{spot_check.pk}/").status_code in (403, 404)
    client.force_login(world["clerk"])
    assert client.get(f"/spotcheck/{spot_check.pk}/").status_code in (403, 404)


def test_beat_opens_last_months_check_on_the_first_working_day(world, eager_celery):
    from workflows.spotcheck.tasks import ensure_monthly_spot_checks

    # 2026-10-01..07 are National Day holidays: the first working day of October is the 8th.
    assert ensure_monthly_spot_checks.apply(args=["2026-10-07"]).get() == 0
    assert ensure_monthly_spot_checks.apply(args=["2026-10-08"]).get() == 1  # September's
    spot_check = SpotCheck.objects.get()
    assert (spot_check.county_id, spot_check.period_start, spot_check.period_end) == (COUNTY, date(2026, 9, 1), date(2026, 9, 30))
    assert spot_check.frame_size == 1 and spot_check.cases.count() == 1  # 褚九's refusal is checked too
    assert ensure_monthly_spot_checks.apply(args=["2026-10-08"]).get() == 0
    assert ensure_monthly_spot_checks.apply(args=["2026-10-09"]).get() == 0
    assert open_task(CaseCheckProcess.objects.get(), CaseCheckFlow.check).status == STATUS.NEW
