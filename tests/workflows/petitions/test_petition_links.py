"""A petition about a case shows on the household's page; a reply that shows a household
wrongly included opens a recheck, one that shows a household left out opens a lead."""

import pytest

from tests.workflows.application.test_application_flow import do
from tests.workflows.payments.conftest import enroll
from workflows.discovery.models import Lead
from workflows.engine.models import CaseProcess
from workflows.petitions.flows import PetitionFlow
from workflows.petitions.models import Petition
from workflows.recheck.models import Recheck

from .conftest import VILLAGE_A, handle_data, receive

pytestmark = pytest.mark.django_db


def answered(client, world, household, category, case_action, **handle):
    process = receive(household=household, category=category, petitioner_name="赵国华", kind="accusation" if category == "unfair" else "claim")
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    response = do(client, process, PetitionFlow.handle, handle_data(case_action=case_action, **handle))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    return Petition.objects.get(pk=process.petition.pk)


def test_a_report_that_a_beneficiary_no_longer_qualifies_opens_a_recheck(client, world):
    beneficiary = enroll(VILLAGE_A, "钱进")
    petition = answered(client, world, beneficiary.household, "unfair", "recheck", outcome="support", opinion="经查反映属实，启动复核")
    recheck = Recheck.objects.get(beneficiary=beneficiary)
    assert recheck.trigger == "petition" and petition.number in recheck.event_detail
    assert petition.linked_case_id == recheck.recheckprocess.pk


def test_a_household_left_out_gets_a_lead_for_its_village(client, world):
    petition = answered(client, world, world["household"], "dibao_refused", "lead", outcome="explain", opinion="由村协理员入户核实")
    lead = Lead.objects.get(external_id=petition.number)
    assert lead.source == "petition" and lead.village_id == VILLAGE_A and lead.household == world["household"]
    assert petition.linked_case_id == lead.process.pk


def test_a_recheck_asked_for_a_household_that_is_not_a_beneficiary_is_refused(client, world):
    process = receive(household=world["household"])
    client.force_login(world["po_a"])
    do(client, process, PetitionFlow.route, {"decision": "accept"})
    response = do(client, process, PetitionFlow.handle, handle_data(case_action="recheck"))
    assert response.status_code == 200 and "不是在保对象" in response.content.decode()
    assert not Recheck.objects.exists()


def test_the_household_page_lists_its_petitions(client, world):
    receive(household=world["household"])
    client.force_login(world["clerk"])
    # The clerk has no petition permission: the panel is not shown to them.
    page = client.get(f"/registry/household/{world['household'].pk}/detail/").content.decode()
    assert "信访记录" not in page
    client.force_login(world["po_a"])
    page = client.get(f"/registry/household/{world['household'].pk}/detail/").content.decode()
    assert "信访记录" in page and Petition.objects.get().number in page


def test_a_petition_about_a_case_shows_on_the_case_page(client, world):
    other = receive(household=world["household"], petitioner_name="王芳")
    case = CaseProcess.objects.get(pk=other.pk)
    petition = receive(household=world["household"], case=case).petition
    client.force_login(world["po_a"])
    page = client.get(f"/cases/{case.pk}/", follow=True).content.decode()
    assert "涉及本业务的信访" in page and petition.number in page
