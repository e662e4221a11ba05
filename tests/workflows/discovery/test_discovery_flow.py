"""Proactive discovery (M3): ledger entry → verification visit → the township decides."""

import pytest
from django.utils import timezone

from tests.factories import VILLAGE_A
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application
from workflows.discovery.flows import DiscoveryFlow
from workflows.discovery.models import DiscoveryProcess, Lead

from .conftest import do, open_task

pytestmark = pytest.mark.django_db


def record(client, world, **over):
    client.force_login(world["caseworker"])
    url = DiscoveryFlow.start.reverse("execute")
    assert client.get(url).status_code == 200
    data = {
        "village": VILLAGE_A,
        "source": "visit",
        "person_name": "钱多",
        "address": "长丰村3组",
        "situation": "户主重病住院，医疗支出大",
        "risk_signs": ["illness", "expense_surge"],
    }
    data.update(over)
    return client.post(url, data)


def visit(**over):
    data = {
        "visitor_1": "王协理",
        "visitor_2": "李网格",
        "visited_on": timezone.localdate().isoformat(),
        "place": "长丰村3组钱多家中",
        "findings": "情况属实，家中无劳动力",
    }
    data.update(over)
    return data


def verified(client, world, **over):
    assert record(client, world, **over).status_code == 302
    process = DiscoveryProcess.objects.get()
    assert do(client, world["caseworker"], process, DiscoveryFlow.verify, visit()).status_code == 302
    return process


def test_recorded_lead_is_in_the_village_ledger(client, world):
    assert record(client, world).status_code == 302
    lead = Lead.objects.get()
    assert (lead.state, lead.region_code, lead.source) == ("open", VILLAGE_A, "visit")
    assert lead.risk_signs == ["illness", "expense_surge"] and lead.get_risk_signs_display() == "重病、支出骤增"
    assert lead.reported_by == "cw_a" and lead.household is None
    process = DiscoveryProcess.objects.get()
    assert process.lead == lead and process.region_code == VILLAGE_A
    assert open_task(process, DiscoveryFlow.verify)


def test_registered_id_number_links_the_household(client, world):
    head = world["household"].members.get(relation="head")
    assert record(client, world, id_number=head.id_number).status_code == 302
    assert Lead.objects.get().household == world["household"]


def test_bad_id_number_and_missing_work_order_are_refused(client, world):
    response = record(client, world, id_number="340121197005040011", source="hotline")
    page = response.content.decode()
    assert response.status_code == 200 and "校验码错误" in page
    response = record(client, world, source="hotline")
    assert "必须填写工单" in response.content.decode()
    assert not Lead.objects.exists() and not DiscoveryProcess.objects.exists()


def test_visit_is_recorded_and_verifies(client, world):
    process = verified(client, world)
    lead = Lead.objects.get()
    assert lead.state == "verified"
    assert lead.visits.get().visitors() == "王协理、李网格"
    assert open_task(process, DiscoveryFlow.assess)


def test_visit_with_the_same_person_twice_is_refused(client, world):
    assert record(client, world).status_code == 302
    process = DiscoveryProcess.objects.get()
    response = do(client, world["caseworker"], process, DiscoveryFlow.verify, visit(visitor_2="王协理"))
    assert "不能与走访人相同" in response.content.decode()
    assert Lead.objects.get().state == "open"


def test_clerk_files_on_behalf_and_the_application_links_back(client, world):
    household = world["household"]
    process = verified(client, world)
    response = do(client, world["clerk"], process, DiscoveryFlow.assess, {"household": household.pk, "assessment_note": "符合低保申请条件", "decision": "file"})
    assert response.status_code == 302
    assert response["Location"] == f"{ApplicationFlow.start.reverse('execute')}?household={household.pk}"
    lead = Lead.objects.get()
    assert (lead.state, lead.decision, lead.household, lead.application) == ("filed", "file", household, None)
    process.refresh_from_db()
    assert process.finished is not None
    # The clerk lands on the application's start page, prefilled with the household.
    page = client.get(response["Location"]).content.decode()
    assert f'name="household" value="{household.pk}"' in page
    head = household.members.get(relation="head")
    filed = client.post(response["Location"], {"household": household.pk, "applicant": head.pk, "kind": "dibao", "channel": "on_behalf", "delegated": "on"})
    assert filed.status_code == 302
    lead.refresh_from_db()
    assert lead.application == Application.objects.get() and lead.application.channel == "on_behalf"


def test_filing_needs_a_registered_household(client, world):
    process = verified(client, world)
    response = do(client, world["clerk"], process, DiscoveryFlow.assess, {"assessment_note": "需代为申请", "decision": "file"})
    assert response.status_code == 200
    assert "须已在“家庭档案”中登记" in response.content.decode()
    assert Lead.objects.get().state == "verified"


def test_clerk_refers_with_a_destination(client, world):
    process = verified(client, world)
    response = do(client, world["clerk"], process, DiscoveryFlow.assess, {"assessment_note": "属于残疾人帮扶范围", "decision": "refer"})
    assert "请写明转介去向" in response.content.decode()
    response = do(
        client, world["clerk"], process, DiscoveryFlow.assess, {"assessment_note": "属于残疾人帮扶范围", "decision": "refer", "referred_to": "县残联 两项补贴"}
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.state, lead.referred_to, lead.concluded_on) == ("referred", "县残联 两项补贴", timezone.localdate())
    assert lead.outcome_display() == "转介：县残联 两项补贴"


def test_closing_requires_a_reason(client, world):
    process = verified(client, world)
    response = do(client, world["clerk"], process, DiscoveryFlow.assess, {"assessment_note": "经核实收入稳定", "decision": "close", "close_reason": "  "})
    assert response.status_code == 200 and "办结必须说明理由" in response.content.decode()
    assert Lead.objects.get().state == "verified"
    response = do(
        client,
        world["clerk"],
        process,
        DiscoveryFlow.assess,
        {"assessment_note": "经核实收入稳定", "decision": "close", "close_reason": "子女已就业，家庭收入高于标准"},
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert (lead.state, lead.close_reason, lead.assessed_by) == ("closed", "子女已就业，家庭收入高于标准", world["clerk"])


def test_caseworker_cannot_assess_and_other_township_sees_nothing(client, world):
    process = verified(client, world)
    task = open_task(process, DiscoveryFlow.assess)
    client.force_login(world["caseworker"])
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    task.refresh_from_db()
    assert task.owner is None
    client.force_login(world["clerk_b"])
    assert client.get(DiscoveryFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(task.flow_task.reverse("index", args=[process.pk, task.pk])).status_code == 404
    assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404
    assert "钱多" not in client.get("/workflow/queue/").content.decode()
