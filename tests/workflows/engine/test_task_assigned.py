"""A new human task tells the people who can act on it, in scope, once per task and user."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.status import STATUS

from notifications.models import Delivery, Notification
from notifications.services import PERMISSION_BACKEND
from tests.factories import TOWNSHIP_A, VILLAGE_A, make_household, make_user
from tests.workflows.application.test_application_flow import file, open_task, run_to_publicity
from workflows.application.flows import ApplicationFlow
from workflows.application.models import ApplicationProcess
from workflows.engine.assignment import announce_task
from workflows.engine.links import task_link
from workflows.engine.tasks import run_flow_job

# The verification job and the e-mail deliveries run once the request commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(issuers, clerk_a, clerk_a2, clerk_b, caseworker, principal):
    clerk_a.email = "clerk_a@example.cn"
    clerk_a.save()
    inactive = make_user("clerk_gone", "township_clerk", TOWNSHIP_A)
    inactive.is_active = False
    inactive.save()
    get_user_model().objects.create_superuser("root", password="pw-12345")
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "clerk_2": clerk_a2,
        "clerk_b": clerk_b,
        "caseworker": caseworker,  # in scope but without the task's permission
        "principal": principal,
    }


def assigned(**filters):
    return Notification.objects.filter(kind="task_assigned", **filters)


def test_new_acceptance_task_notifies_the_townships_clerks_only(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)
    link = task_link(task.pk)
    notes = {n.user.username: n for n in assigned().select_related("user")}
    assert set(notes) == {"clerk_a", "clerk_a2"}
    note = notes["clerk_a"]
    assert note.title == "新任务：受理审查" and note.link == link
    assert "孙大家庭 最低生活保障申请" in note.body and process.due_date.strftime("%Y年%-m月%-d日") in note.body
    # the clerk who wants email gets one, with the link
    mail = Delivery.objects.get(notification=note)
    assert mail.channel == "email" and mail.recipient == "clerk_a@example.cn" and mail.text.endswith(link)
    assert not assigned(user=world["clerk_b"]).exists()


def test_a_repeated_activation_notifies_nobody_twice(client, world):
    assert file(client, world).status_code == 302
    task = open_task(ApplicationProcess.objects.get(), ApplicationFlow.accept)
    announce_task(task)
    task.save()
    assert assigned().count() == 2
    assert Delivery.objects.filter(notification__kind="task_assigned").count() == 1


def test_only_human_tasks_notify_and_a_redelivered_job_adds_nothing(client, world, wait_until):
    process = run_to_publicity(client, world, wait_until)
    tasks = process.task_set.all()
    human = {t.pk for t in tasks if t.flow_task_type == "HUMAN"}
    announced = {int(link.rstrip("/").rsplit("/", 1)[1]) for link in assigned(user=world["clerk"]).values_list("link", flat=True)}
    assert announced == human  # 受理审查, 入户调查, 评估测算: not the job, the timer, the gateways
    assert {t.flow_task for t in tasks if t.pk in human} == {ApplicationFlow.accept, ApplicationFlow.investigate, ApplicationFlow.assess}
    # the verification job's message delivered again: skipped, the 评估 task is not announced twice
    verify = process.task_set.get(flow_task=ApplicationFlow.verify)
    assert run_flow_job.apply(args=[verify.pk]).get() == "skipped"
    assert assigned().count() == 2 * len(human)


def test_queries_do_not_grow_with_the_number_of_recipients(client, world):
    assert file(client, world).status_code == 302
    task = open_task(ApplicationProcess.objects.get(), ApplicationFlow.accept)
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as two:
        announce_task(task)
    for i in range(5):
        make_user(f"clerk_more_{i}", "township_clerk", TOWNSHIP_A)
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as seven:
        announce_task(task)
    assert assigned().count() == 7
    assert len(seven) == len(two)


def test_a_task_assigned_on_creation_tells_its_owner_only(client, world):
    """Tasks viewflow assigns on creation (.Assign) go to their owner, not to the whole queue."""
    assert file(client, world).status_code == 302
    task = open_task(ApplicationProcess.objects.get(), ApplicationFlow.accept)
    Notification.objects.all().delete()
    task.owner, task.status = world["clerk_2"], STATUS.ASSIGNED
    announce_task(task)
    assert list(assigned().values_list("user__username", flat=True)) == ["clerk_a2"]


def test_a_permission_granted_directly_counts_like_one_from_a_role(client, world):
    """The recipients query is written in SQL: it must mean what ModelBackend.with_perm means."""
    from django.contrib.auth.models import Permission

    handle = Permission.objects.get(content_type__app_label="application", codename="handle_application")
    direct = make_user("direct_a", "caseworker", VILLAGE_A)  # the role alone does not handle applications
    direct.user_permissions.add(handle)
    elsewhere = make_user("direct_b", "caseworker", "340121101201")  # same grant, another township's village
    elsewhere.user_permissions.add(handle)
    assert file(client, world).status_code == 302
    task = open_task(ApplicationProcess.objects.get(), ApplicationFlow.accept)
    granted = {u.username for u in get_user_model().objects.with_perm(task.owner_permission, include_superusers=False, backend=PERMISSION_BACKEND)}
    assert {"direct_a", "direct_b", "clerk_a", "clerk_b"} <= granted and "cw_a" not in granted
    assert set(assigned().values_list("user__username", flat=True)) == {"clerk_a", "clerk_a2", "direct_a"}
