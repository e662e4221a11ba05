"""Who sees a petition (docs/policy.md "Petitions"; core.Recusal): the body's own regions and
those above, never another county; an accusation is never shown to the accused, nor to the
staff who worked on the case it is about (arts 29–30); staff who withdraw (art 28) lose it
and are not told of its tasks. Outside that, a petition answers 404 as if it did not exist."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from documents.models import Notice
from notifications.models import Notification
from tests.factories import make_id
from tests.workflows.application.test_application_flow import do, open_task
from workflows.core.models import StaffRole
from workflows.engine.links import process_link, task_link
from workflows.engine.models import ScopedTask
from workflows.petitions import notices as petition_notices
from workflows.petitions.flows import PetitionFlow
from workflows.petitions.models import Petition, PetitionProcess

from .conftest import TOWNSHIP_A, handle_data, receive

pytestmark = pytest.mark.django_db

LISTS = ("/petitions/", "/petitions/?show=all", "/petitions/repeats/", "/petitions/risks/")
#: viewflow's own lists: every task of every flow the user may take, a flow's processes and
#: its tasks.
TASK_LISTS = ("/workflow/queue/", "/workflow/inbox/", "/workflow/archive/", "/workflow/flows/petition/tasks/")
PROCESS_LIST = "/workflow/flows/petition/flows/"
#: The petitions app's own pages and the notices list.
PETITION_PAGES = (*LISTS, "/notices/")


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def also_petition_officer(user, region=TOWNSHIP_A):
    """A staff member who also holds the township's petition role (and so would see and be
    offered its petitions, were they not withheld)."""
    StaffRole.objects.create(user=user, role=StaffRole.PETITION_OFFICER, region_id=region)
    return get_user_model().objects.get(pk=user.pk)


def replied_with_risk(client, world, **over):
    """A township A petition accepted, handled with a risk handed off, and signed: it has its
    notices and is on the risk list."""
    process = receive(household=world["household"], **over)
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    risk = {"risk": "watch", "handoff_to": "水湖镇综治中心", "handoff_contact": "刘主任 13700001111", "handoff_on": timezone.localdate().isoformat()}
    assert do(client, process, PetitionFlow.handle, handle_data(**risk)).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    process.petition.refresh_from_db()
    return process


def assert_case_gone(client, process, petition, notice_list):
    """Every page naming the petition, its process, its tasks or its notices answers 404."""
    assert client.get(PetitionFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 404
    assert client.get(process_link(process.pk)).status_code == 404
    for task in process.task_set.all():
        for view in ("index", "detail"):
            assert client.get(task.flow_task.reverse(view, args=[process.pk, task.pk])).status_code == 404, (task.flow_task, view)
        assert client.get(task_link(task.pk)).status_code == 404
    for task in process.task_set.filter(flow_task_type="HUMAN").exclude(status="DONE"):
        assert client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk])).status_code == 404
        assert client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk])).status_code == 404
    for notice in notice_list:
        assert client.get(f"/notices/{notice.pk}/").status_code == 404
        assert client.get(f"/notices/{notice.pk}/pdf/").status_code == 404


def assert_listed_nowhere(client, process, petition, notice_list, urls=(*LISTS, "/notices/", *TASK_LISTS, PROCESS_LIST)):
    """Neither its number, its summary, a link to its process nor its notices' numbers."""
    traces = [
        petition.number,
        process.summary,
        f'href="{process_link(process.pk)}"',
        f'href="{PetitionFlow.instance.reverse("process_detail", args=[process.pk])}"',
    ]
    traces += [notice.number for notice in notice_list]
    found = [(url, trace) for url in urls for text in [page(client, url)] for trace in traces if trace in text]
    assert found == []


# --- Another county --------------------------------------------------------------------------


def test_another_countys_petition_officer_finds_nothing_of_the_petition(client, world):
    process = replied_with_risk(client, world)
    petition = process.petition
    notice_list = petition_notices.of_petition(petition)
    assert {n.kind for n in notice_list} == {"petition_acceptance", "petition_opinion"}
    # Those of the county see it (the lists are not empty for want of data).
    client.force_login(world["po_county"])
    assert petition.number in page(client, "/petitions/?show=all") and petition.number in page(client, "/petitions/risks/")

    client.force_login(world["po_other"])
    assert_case_gone(client, process, petition, notice_list)
    assert_listed_nowhere(client, process, petition, notice_list)
    assert client.post(f"/petitions/{petition.pk}/follow-up/", {"on": timezone.localdate().isoformat(), "note": "已回访"}).status_code == 404
    petition.refresh_from_db()
    assert petition.follow_up == ""


# --- An accusation and the accused ------------------------------------------------------------


def register_accusation(client, world, accused, id_number):
    client.force_login(world["po_a"])
    data = {
        "body": TOWNSHIP_A,
        "channel": "window",
        "kind": "accusation",
        "category": "conduct",
        "received_on": timezone.localdate().isoformat(),
        "petitioner_name": "李秀英",
        "petitioner_id_number": id_number,
        "petitioner_phone": "13900000000",
        "matter": "村协理员入户核查时索要好处费，不给就不报低保",
        "request": "要求查处",
        "household": world["household"].pk,
        "accused": accused.pk,
        "group_size": "1",
    }
    assert client.post(PetitionFlow.register.reverse("execute"), data).status_code == 302
    process = PetitionProcess.objects.get(petition__kind="accusation")
    return process


def test_an_accusation_is_never_shown_to_the_accused(client, world):
    accused = also_petition_officer(world["caseworker"])
    assert accused.has_perm("petitions.view_petition") and accused.has_perm("petitions.handle_township")
    # An ordinary petition of the same household: the accused sees it (the pages work for them).
    id_number = make_id(date(1968, 3, 9), male=False)
    ordinary = receive(household=world["household"], petitioner_id_number=id_number)
    process = register_accusation(client, world, accused, id_number)
    petition = process.petition
    assert petition.accused == accused and petition.accused_name == accused.get_full_name()

    # The township officer handles it to the end: 受理告知书, handling, the principal's
    # signature and the 信访处理意见书.
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    handle = open_task(process, PetitionFlow.handle)
    assert handle.pk in ScopedTask.objects.user_queue(world["po_a"]).values_list("pk", flat=True)
    assert petition.number in page(client, "/petitions/")
    assert do(client, process, PetitionFlow.handle, handle_data(facts="经查，反映的索要好处费问题属实", opinion="已移交镇纪委处理")).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "yes", "comment": ""}).status_code == 302
    petition.refresh_from_db()
    assert petition.state == "replied"
    notice_list = petition_notices.of_petition(petition)
    assert sorted(n.kind for n in notice_list) == ["petition_acceptance", "petition_opinion"]

    client.force_login(accused)
    household_page = page(client, f"/registry/household/{world['household'].pk}/detail/")
    assert ordinary.petition.number in household_page and petition.number not in household_page
    assert ordinary.petition.number in page(client, "/petitions/")
    assert_case_gone(client, process, petition, notice_list)
    assert_listed_nowhere(client, process, petition, notice_list, urls=PETITION_PAGES)
    # The ordinary petition's task page: its ledger of the same person's petitions leaves it out.
    route = open_task(ordinary, PetitionFlow.route)
    assert client.post(route.flow_task.reverse("assign", args=[ordinary.pk, route.pk])).status_code == 302
    task_page = page(client, route.flow_task.reverse("execute", args=[ordinary.pk, route.pk]))
    assert "此前信访" in task_page and petition.number not in task_page
    # Neither offered nor told of its tasks.
    assert not ScopedTask.objects.user_queue(accused).filter(process_id=process.pk).exists()
    assert not Notification.objects.filter(user=accused, link__in=[task_link(t.pk) for t in process.task_set.all()]).exists()
    assert Notification.objects.filter(user=world["po_a"], link=task_link(handle.pk)).exists()


def test_an_accusation_about_a_case_is_withheld_from_the_staff_who_worked_on_it(client, world):
    # The case the accusation is about: routed by a second township petition officer.
    colleague = also_petition_officer(world["clerk"])
    case = receive(household=world["household"])
    client.force_login(colleague)
    assert do(client, case, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    assert case.task_set.filter(flow_task=PetitionFlow.route, owner=colleague).exists()

    process = receive(kind="accusation", category="conduct", matter="经办人员受理后拖延不办", accused_name="（未具名）", case=case)
    petition = process.petition
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    notice_list = petition_notices.of_petition(petition)

    client.force_login(colleague)
    assert case.petition.number in page(client, "/petitions/")
    assert_case_gone(client, process, petition, notice_list)
    assert_listed_nowhere(client, process, petition, notice_list, urls=PETITION_PAGES)
    assert not Notification.objects.filter(user=colleague, link__in=[task_link(t.pk) for t in process.task_set.all()]).exists()


# --- Withdrawal (art 28) ----------------------------------------------------------------------


def test_a_staff_member_who_withdraws_loses_the_petition_and_is_not_told_of_its_tasks(client, world):
    colleague = also_petition_officer(world["clerk"])
    process = receive(household=world["household"])
    petition = process.petition
    client.force_login(world["po_a"])
    # Without a reason the withdrawal is refused, and nothing is recorded.
    response = do(client, process, PetitionFlow.route, {"decision": "accept", "withdrawn": [colleague.pk], "withdrawal_reason": ""})
    assert response.status_code == 200 and "请说明回避理由" in response.content.decode()
    assert Petition.objects.get().state == "registered"
    client.force_login(colleague)
    assert petition.number in page(client, "/petitions/")

    client.force_login(world["po_a"])
    data = {"decision": "accept", "withdrawn": [colleague.pk], "withdrawal_reason": "信访人系其近亲属"}
    assert do(client, process, PetitionFlow.route, data).status_code == 302
    handle = open_task(process, PetitionFlow.handle)
    notice_list = list(Notice.objects.filter(kind="petition_acceptance"))
    assert len(notice_list) == 1

    client.force_login(colleague)
    assert_case_gone(client, process, petition, notice_list)
    assert_listed_nowhere(client, process, petition, notice_list, urls=PETITION_PAGES)
    assert not Notification.objects.filter(user=colleague, link=task_link(handle.pk)).exists()
    assert Notification.objects.filter(user=world["po_a"], link=task_link(handle.pk)).exists()
    # And not of the tasks after (the head's signature goes to the principal; a reply sent
    # back returns to handling).
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.handle, handle_data()).status_code == 302
    client.force_login(world["principal"])
    assert do(client, process, PetitionFlow.sign, {"decision": "no", "comment": "请补充收入核算过程"}).status_code == 302
    again = open_task(process, PetitionFlow.handle)
    assert not Notification.objects.filter(user=colleague, link=task_link(again.pk)).exists()
    assert Notification.objects.filter(user=world["po_a"], link=task_link(again.pk)).exists()


# --- Townships and the county ----------------------------------------------------------------


def test_township_b_does_not_see_township_as_petitions_and_the_county_is_not_offered_them(client, world):
    process = receive(household=world["household"])
    petition = process.petition
    client.force_login(world["po_a"])
    assert do(client, process, PetitionFlow.route, {"decision": "accept"}).status_code == 302
    handle = open_task(process, PetitionFlow.handle)
    notice_list = list(Notice.objects.filter(kind="petition_acceptance"))

    client.force_login(world["po_b"])
    assert_case_gone(client, process, petition, notice_list)
    assert_listed_nowhere(client, process, petition, notice_list)

    client.force_login(world["po_county"])
    assert petition.number in page(client, "/petitions/")
    assert client.get(PetitionFlow.instance.reverse("process_detail", args=[process.pk])).status_code == 200
    assert client.get(f"/notices/{notice_list[0].pk}/").status_code == 200
    # Seen, but the township's to handle: not in the county officer's queue, not theirs to take.
    assert not ScopedTask.objects.user_queue(world["po_county"]).filter(pk=handle.pk).exists()
    assert task_link(handle.pk) not in page(client, "/workflow/queue/")
    assert handle.flow_task.reverse("assign", args=[process.pk, handle.pk]) not in page(client, "/workflow/queue/")
    assert client.post(handle.flow_task.reverse("assign", args=[process.pk, handle.pk])).status_code in (403, 404)
    handle.refresh_from_db()
    assert handle.owner_id is None
    assert not Notification.objects.filter(user=world["po_county"], link=task_link(handle.pk)).exists()


# --- viewflow's own lists ---------------------------------------------------------------------


def withheld_case(client, world, how):
    """A township A petition withheld from a township petition officer, as the accused or as
    one who withdrew, with its handling task open and its 受理告知书 issued."""
    if how == "accused":
        user = also_petition_officer(world["caseworker"])
        process = register_accusation(client, world, user, make_id(date(1968, 3, 9), male=False))
        data = {"decision": "accept"}
    else:
        user = also_petition_officer(world["clerk"])
        process = receive(household=world["household"])
        client.force_login(world["po_a"])
        data = {"decision": "accept", "withdrawn": [user.pk], "withdrawal_reason": "信访人系其近亲属"}
    assert do(client, process, PetitionFlow.route, data).status_code == 302
    assert open_task(process, PetitionFlow.handle)
    process.petition.refresh_from_db()
    # Had it not been withheld, the user would be offered the task: the same permission and region.
    assert user.has_perm("petitions.handle_township") and world["po_a"].has_perm("petitions.handle_township")
    return user, process, process.petition, petition_notices.of_petition(process.petition)


@pytest.mark.parametrize("how", ["accused", "withdrawn"])
def test_viewflows_task_lists_leave_a_withheld_petition_out(client, world, how):
    user, process, petition, notice_list = withheld_case(client, world, how)
    client.force_login(world["po_a"])
    assert process.summary in page(client, "/workflow/queue/")
    client.force_login(user)
    assert_listed_nowhere(client, process, petition, notice_list, urls=TASK_LISTS)


@pytest.mark.parametrize("how", ["accused", "withdrawn"])
def test_the_flows_process_list_leaves_a_withheld_petition_out(client, world, how):
    user, process, petition, notice_list = withheld_case(client, world, how)
    client.force_login(world["po_a"])
    assert process.summary in page(client, PROCESS_LIST)
    client.force_login(user)
    assert_listed_nowhere(client, process, petition, notice_list, urls=(PROCESS_LIST,))
