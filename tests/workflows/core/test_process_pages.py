"""What a caseworker sees on a process page: Chinese step names, people by name, regions by
name, no 取消 button for whom cannot cancel."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from tests.factories import VILLAGE_A, make_household
from tests.workflows.application.test_application_flow import do, file, open_task
from workflows.application.flows import ApplicationFlow
from workflows.application.models import ApplicationProcess

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(issuers, clerk_a, caseworker):
    clerk_a.first_name, clerk_a.last_name = "李娟", ""
    clerk_a.save()
    return {
        "household": make_household(VILLAGE_A, head_name="孙大", wage=Decimal("600"), members=3),
        "clerk": clerk_a,
        "caseworker": caseworker,
    }


def process_page(client, user, process) -> str:
    client.force_login(user)
    response = client.get(ApplicationFlow.instance.reverse("process_detail", args=[process.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_process_page_speaks_chinese_and_names_people_and_regions(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    assert do(client, process, ApplicationFlow.accept, {"decision": "accept"}).status_code == 302
    page = process_page(client, world["caseworker"], process)
    for english in ("Check Accepted", "Checks", "Django Material", ">Cancel<", "Created", ">False<", ">True<"):
        assert english not in page, english
    # how the deadline was counted is machinery, not the case
    for internal in ("期限暂定", "期限起算日", "期限工作日数"):
        assert internal not in page, internal
    assert "是否受理" in page and "入户调查与信息核对" in page
    assert "李娟" in page and ">clerk_a<" not in page  # the task's owner by name
    assert "水湖镇" in page and VILLAGE_A not in page  # the region by name, not its code


def test_cancel_is_shown_only_to_who_may_cancel(client, world):
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    cancel = ApplicationFlow.instance.reverse("process_cancel", args=[process.pk])
    for user in (world["clerk"], world["caseworker"]):
        assert cancel not in process_page(client, user, process)
        assert client.get(cancel).status_code == 403
    root = get_user_model().objects.create_superuser("root", password="pw-12345")
    assert cancel in process_page(client, root, process)
    assert client.get(cancel).status_code == 200


def test_the_toast_after_taking_a_task_reads_as_a_sentence(client, world):
    """viewflow's messages carry a link named by the task's number; a toast shows its text only,
    which left "任务 已认领。": the Chinese messages name no number."""
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)
    response = client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]), follow=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["任务已认领。"]
