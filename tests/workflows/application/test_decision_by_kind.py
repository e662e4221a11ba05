"""Each kind of application from filing to the decision notice, decided by
``rules.application_outcome`` and with the amount printed in the notice's PDF. Expected values
come from the policy text (特困人员认定办法; 最低生活保障审核确认办法 arts 8–9)."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import COUNTY, TOWNSHIP_A, VILLAGE_A, make_id, make_issuers, make_regions, make_user
from tests.helpers import pdf_text
from tests.workflows.application.test_application_flow import do, fire_publicity_timer, investigation_data, open_task
from workflows.application import notices, services
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application, ApplicationProcess
from workflows.core.models import Asset, AuditLog, Household, IncomeItem, Member, Supporter
from workflows.policy.models import Standard

# The verification job runs once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)

SELF_CARE_PARTIAL = {
    "self_care_eat": "1",
    "self_care_dress": "1",
    "self_care_bed_transfer": "1",
    "self_care_toilet": "1",
    "self_care_walk_indoors": "0",
    "self_care_bathe": "0",
}


@pytest.fixture
def clerk():
    make_regions()  # rural standard 750 (1.3 × = 975.00; marginal line 1125)
    make_issuers()
    Standard.objects.filter(county_id=COUNTY, area_type="rural").update(
        care_standard_full=Decimal("50"), care_standard_partial=Decimal("200"), care_standard_lost=Decimal("500")
    )
    return make_user("clerk_a", "township_clerk", TOWNSHIP_A)


def household(*people, income=None, head_name=None):
    """people: (name, birth year, extra Member fields); income: household income not tied to a member."""
    h = Household.objects.create(
        hukou_region_id=VILLAGE_A, residence_region_id=VILLAGE_A, area_type="rural", head_name=head_name or people[0][0], address="长丰村5组"
    )
    for i, (name, year, extra) in enumerate(people):
        Member.objects.create(
            household=h, name=name, id_number=make_id(date(year, 3, 1)), relation="head" if i == 0 else "child", employment="unemployed", **extra
        )
    if income is not None:
        IncomeItem.objects.create(household=h, kind="other", monthly_amount=Decimal(income))
    return h


def run(client, clerk, wait_until, h, kind, applicant=None, investigation=None, assess=None):
    """File, accept, investigate, verify, assess, 公示 and let the meeting decide as the rules did."""
    client.force_login(clerk)
    applicant = applicant or h.members.get(relation="head")
    url = ApplicationFlow.start.reverse("execute")
    assert client.post(url, {"household": h.pk, "applicant": applicant.pk, "kind": kind, "channel": "window", "delegated": "on"}).status_code == 302
    process = ApplicationProcess.objects.get()
    assert do(client, process, ApplicationFlow.accept, {"decision": "accept"}).status_code == 302
    response = do(client, process, ApplicationFlow.investigate, {**investigation_data(), **(investigation or {})})
    assert response.status_code == 302, response.content.decode()[:3000]
    wait_until(lambda: process.task_set.filter(flow_task=ApplicationFlow.assess).exists(), message="核对任务未完成")
    task = open_task(process, ApplicationFlow.assess)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    page = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).content.decode()
    assert do(client, process, ApplicationFlow.assess, assess or {}).status_code == 302
    fire_publicity_timer(process)
    application = Application.objects.get()
    assert application.state == "awaiting_review"
    approved = bool(application.eligible)
    services.decide(application, approved=approved, reason="联审会议同意" if approved else "经联审会议集体研究，不符合条件", day=timezone.localdate())
    application.refresh_from_db()
    return application, page, pdf_text(notices.decision(application).pdf, layout=True)


def test_tekun_elder_paid_basic_standard_and_care_standard(client, clerk, wait_until):
    # 70 alone, no income, no supporter: basic 750 × 1.3 = 975.00; fails 2 of 6 activities →
    # partly lost self-care (特困人员认定办法), care 200.00: 1175.00 a month
    h = household(("周老汉", 1956, {}))
    application, page, text = run(client, clerk, wait_until, h, "tekun", investigation=SELF_CARE_PARTIAL)
    assert application.state == "approved"
    assert application.proposed_amount == Decimal("1175.00")
    assert (application.basic_amount, application.care_amount, application.self_care_level) == (Decimal("975.00"), Decimal("200.00"), "partial")
    beneficiary = application.beneficiary
    assert beneficiary.kind == "tekun_dispersed" and beneficiary.monthly_amount == Decimal("1175.00") and beneficiary.covered_members == 1
    assert "基本生活标准 975.00 元" in page  # the clerk's explanation, from the same computation
    flat = text.replace(" ", "").replace("\n", "")
    assert "1175.00元" in flat and "基本生活标准975.00元" in flat and "照料护理标准200.00元" in flat and "部分丧失生活自理能力" in flat
    assert "特困人员认定办法" in flat


def test_tekun_able_bodied_40_year_old_is_refused(client, clerk, wait_until):
    h = household(("吴壮", 1986, {}))
    application, _, text = run(client, clerk, wait_until, h, "tekun", investigation=SELF_CARE_PARTIAL)
    assert application.eligible is False and application.proposed_amount is None
    assert application.state == "refused" and application.beneficiary is None
    assert "不属于无劳动能力" in text.replace(" ", "").replace("\n", "")


def test_tekun_refused_when_a_supporter_is_able(client, clerk, wait_until):
    h = household(("钱奶奶", 1950, {}))
    Supporter.objects.create(household=h, name="钱大儿", duty="elder", relation="儿子", monthly_income=Decimal("6000"))
    application, _, text = run(client, clerk, wait_until, h, "tekun", investigation=SELF_CARE_PARTIAL)
    assert application.state == "refused"
    assert "钱大儿" in text.replace(" ", "").replace("\n", "")


def test_tekun_self_care_assessment_is_required(client, clerk, wait_until):
    h = household(("周老汉", 1956, {}))
    client.force_login(clerk)
    url = ApplicationFlow.start.reverse("execute")
    client.post(url, {"household": h.pk, "applicant": h.members.get().pk, "kind": "tekun", "channel": "window", "delegated": "on"})
    process = ApplicationProcess.objects.get()
    do(client, process, ApplicationFlow.accept, {"decision": "accept"})
    response = do(client, process, ApplicationFlow.investigate, {**investigation_data(), "self_care_eat": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请评估申请人能否独立洗澡" in page and "情况属实" in page  # the input is kept
    assert not Application.objects.get().investigations.exists()


def test_dibao_amount_rounded_once(client, clerk, wait_until):
    # 3 members, net 999.50: 750 × 3 − 999.50 = 1250.50 → rounded once to the yuan: 1251.00
    h = household(("孙大", 1970, {}), ("孙二", 1972, {}), ("孙三", 2000, {}), income="999.50")
    application, _, text = run(client, clerk, wait_until, h, "dibao")
    assert application.state == "approved" and application.proposed_amount == Decimal("1251.00")
    assert application.beneficiary.monthly_amount == Decimal("1251.00")
    assert "1251.00元" in text.replace(" ", "").replace("\n", "")


def test_dibao_refused_with_two_million_in_deposits(client, clerk, wait_until):
    h = household(("钱富", 1970, {}), ("钱二", 1972, {}), ("钱三", 2000, {}))
    Asset.objects.create(household=h, kind="deposit", description="银行定期存款", value=Decimal("2000000"))
    application, page, text = run(client, clerk, wait_until, h, "dibao")
    assert application.eligible is False and application.state == "refused"
    assert application.verifications.get().assets == [{"kind": "deposit", "value": "2000000.00", "exempt_use": False, "description": "银行定期存款"}]
    assert "2,000,000.00 元" in page
    assert "2,000,000.00元" in text.replace(" ", "").replace("\n", "") and "超过限额" in text.replace(" ", "").replace("\n", "")


def test_property_override_needs_writing_and_is_audited(client, clerk, wait_until):
    h = household(("李车", 1970, {}), income="300")
    Asset.objects.create(household=h, kind="vehicle", description="报废三轮车", value=Decimal("3000"))
    reason = "三轮车已报废待注销，无使用价值"
    application, _, text = run(client, clerk, wait_until, h, "dibao", assess={"property_override": reason})
    # 750 − 300 = 450.00
    assert application.state == "approved" and application.proposed_amount == Decimal("450.00")
    assert application.property_override_reason == reason
    assert any(reason in r for r in application.outcome_reasons)
    log = AuditLog.objects.get(action="property_override")
    assert reason in log.detail and log.user == clerk and log.object_id == str(application.pk)
    assert "450.00元" in text.replace(" ", "").replace("\n", "")


def test_marginal_household_recognised_without_amount(client, clerk, wait_until):
    # per capita 900: not below 750, below 1.5 × 750 = 1125 → marginal, recognised, not paid
    h = household(("郑一", 1970, {}), ("郑二", 1972, {}), income="1800")
    application, _, text = run(client, clerk, wait_until, h, "marginal")
    assert application.eligible is True and application.proposed_amount is None
    assert application.state == "approved"
    assert application.beneficiary.kind == "marginal" and application.beneficiary.monthly_amount == Decimal("0.00")
    flat = text.replace(" ", "").replace("\n", "")
    assert "认定你户为低保边缘家庭" in flat and "不发放最低生活保障金" in flat


def test_single_person_member_of_a_marginal_household(client, clerk, wait_until):
    # per capita 1000 (≥ 750, < 1125): marginal; grade-1 physically disabled member with no
    # income of their own is covered alone for the standard: 750.00
    h = household(("冯父", 1968, {}), ("冯子", 2001, {"disability_type": "physical", "disability_grade": 1}), income="2000")
    member = h.members.get(name="冯子")
    application, page, text = run(client, clerk, wait_until, h, "single_person", applicant=member)
    assert application.state == "approved" and application.proposed_amount == Decimal("750.00")
    beneficiary = application.beneficiary
    assert beneficiary.kind == "single_person" and beneficiary.member == member and beneficiary.covered_members == 1
    assert "单人户" in page
    flat = text.replace(" ", "").replace("\n", "")
    assert "冯子按“单人户”单独纳入最低生活保障" in flat and "750.00元" in flat


def test_single_person_refused_when_the_whole_household_is_eligible(client, clerk, wait_until):
    h = household(("冯父", 1968, {}), ("冯子", 2001, {"disability_type": "physical", "disability_grade": 1}), income="600")
    application, _, text = run(client, clerk, wait_until, h, "single_person", applicant=h.members.get(name="冯子"))
    assert application.state == "refused"
    assert "应按家庭申请最低生活保障" in text.replace(" ", "").replace("\n", "")
