"""A deadline that needs a year with no official holiday calendar (DESIGN §4.4): the
caseworker is told why, in Chinese, keeps what was typed, and nothing of the attempt is saved."""

import json

import pytest
from django.test import RequestFactory
from django.utils import timezone
from viewflow.workflow.status import STATUS

from documents.models import Notice
from tests.factories import make_stand_in_calendar
from tests.workflows.application.test_application_flow import do, file, open_task, world  # noqa: F401  (world is a fixture)
from workflows.application.flows import ApplicationFlow
from workflows.application.models import Application, ApplicationProcess
from workflows.engine.middleware import CalendarMissingMiddleware
from workflows.policy import calendar
from workflows.policy.calendar import CalendarYearMissing
from workflows.policy.models import HolidayYear

pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]


@pytest.fixture
def no_calendar(monkeypatch):
    """Take every year away: chinesecalendar's, the loaded ones and the provisional one alike,
    so that whatever today is, the next deadline needs a year the system does not know."""

    def take():
        HolidayYear.objects.all().delete()
        monkeypatch.setattr(calendar, "_package_year", lambda year: None)
        # No official year at all, so no year after one is provisional either (today's year
        # would be, once chinesecalendar's last year is over).
        monkeypatch.setattr(calendar, "PACKAGE_LAST_YEAR", 1999)
        calendar.clear_cache()

    def give_back():
        monkeypatch.undo()
        make_stand_in_calendar(timezone.localdate())

    yield take, give_back
    calendar.clear_cache()


def test_accepting_without_the_calendar_keeps_the_form_and_saves_nothing(client, world, no_calendar):
    take, give_back = no_calendar
    make_stand_in_calendar(timezone.localdate())
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    take()
    response = do(client, process, ApplicationFlow.accept, {"decision": "correct", "missing_items": "户口簿复印件\n收入证明"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"无法计算办理期限：{timezone.localdate().year}年的法定节假日安排尚未导入系统，本次提交未保存" in page
    assert "户口簿复印件\n收入证明" in page  # what the clerk typed is still in the form
    assert "已申请" in page and "待补正" not in page  # the case as it is, not as it was attempted
    application = Application.objects.get()
    assert application.state == "filed"
    assert not Notice.objects.exists()  # no 补正告知书 numbered for nothing
    assert open_task(process, ApplicationFlow.accept).status == STATUS.ASSIGNED
    give_back()
    assert do(client, process, ApplicationFlow.accept, {"decision": "accept"}).status_code == 302
    application.refresh_from_db()
    assert application.state == "accepted" and Notice.objects.filter(kind="acceptance").count() == 1


def test_filing_without_the_calendar_starts_no_process(client, world, no_calendar):
    take, _ = no_calendar
    take()
    response = file(client, world)
    assert response.status_code == 200
    assert "年的法定节假日安排尚未导入系统" in response.content.decode()
    assert not ApplicationProcess.objects.exists() and not Application.objects.exists()


def test_any_other_page_answers_503_in_chinese(client, world, monkeypatch):
    make_stand_in_calendar(timezone.localdate())
    assert file(client, world).status_code == 302
    process = ApplicationProcess.objects.get()
    task = open_task(process, ApplicationFlow.accept)

    def missing(*args, **kwargs):
        raise CalendarYearMissing(2031)

    monkeypatch.setattr("workflows.application.views.CaseTaskView.get_context_data", missing)
    client.post(task.flow_task.reverse("assign", args=[process.pk, task.pk]))
    client.raise_request_exception = False
    response = client.get(task.flow_task.reverse("execute", args=[process.pk, task.pk]))
    assert response.status_code == 503
    assert "2031年的法定节假日安排尚未导入系统" in response.content.decode()


def test_the_api_answers_503_in_json():
    request = RequestFactory().post("/api/discovery/referrals/")
    response = CalendarMissingMiddleware(lambda r: None).process_exception(request, CalendarYearMissing(2031))
    assert response.status_code == 503 and "2031年" in json.loads(response.content)["detail"]
    assert CalendarMissingMiddleware(lambda r: None).process_exception(request, ValueError("x")) is None
