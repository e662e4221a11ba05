"""seed_demo leaves work waiting for every role in 长丰县水湖镇, driven through the real flows,
once (a second run adds nothing); demo_logins prints the citizen's 文号 and 查询码; in demo mode
"快进 7 天" takes the case in 公示 to the meeting's queue."""

from io import StringIO

import pytest
from django.core.management import call_command
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from documents.models import Notice
from workflows.application.models import Application
from workflows.core.models import Household
from workflows.demo import clock
from workflows.payments.models import PaymentCycle
from workflows.recheck.models import Recheck
from workflows.relief.models import ReliefCase
from workflows.review.models import ReviewMeeting
from workflows.spotcheck.models import SpotCheck

# seed_demo drives the real flows, whose jobs run once each step commits.
pytestmark = pytest.mark.django_db(transaction=True)
TOWNSHIP = "340121100"


@pytest.fixture
def seeded(tmp_path, settings, eager_celery):
    # The seed runs the flows' jobs in this process (a worker would not see the tmp files);
    # eager_celery does the same for what the tests then do.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NOTICE_TRUST_ROOTS = [tmp_path / "pki" / "dev-ca.pem"]
    out = StringIO()
    call_command("seed_demo", households=40, seed=7, pki_dir=str(tmp_path / "pki"), stdout=out, stderr=out)
    assert "已生成各角色的演示待办" in out.getvalue(), out.getvalue()
    return tmp_path


def open_tasks(username=None):
    tasks = Task.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED]).exclude(flow_task_type__in=["FUNCTION", "JOIN"])
    return {str(t.flow_task).split(".")[-1] for t in tasks}


def snapshot():
    return {
        "households": Household.objects.count(),
        "applications": Application.objects.count(),
        "notices": Notice.objects.count(),
        "tasks": Task.objects.count(),
        "meetings": ReviewMeeting.objects.count(),
        "relief": ReliefCase.objects.count(),
        "cycles": PaymentCycle.objects.count(),
        "spot_checks": SpotCheck.objects.count(),
    }


def test_every_role_finds_work_waiting(seeded):
    states = sorted(Application.objects.filter(region_code__startswith=TOWNSHIP).values_list("state", flat=True))
    assert states == sorted(["filed", "accepted", "publicized", "awaiting_review", "awaiting_review", "approved"])
    waiting = Task.objects.filter(status=STATUS.NEW)
    titles = {t.flow_task.task_title for t in waiting}
    # clerk: 受理审查, 入户调查; principal: 签发会议纪要, relief approval; county officer: 入户核查
    # (spot check) and 审核报送花名册 (payment roster).
    assert {"受理审查", "入户调查", "签发会议纪要", "主要负责同志审批", "入户核查", "审核报送花名册"} <= titles, titles

    held = ReviewMeeting.objects.get(state="held")
    on_agenda = held.decisions.get().application
    assert on_agenda.state == "awaiting_review"
    assert ReviewMeeting.objects.filter(state="concluded").count() == 1
    # A case awaits the meeting without being on an agenda: the clerk can plan the next one.
    assert Application.objects.filter(state="awaiting_review", review_decision__isnull=True).count() == 1

    approved = Application.objects.get(state="approved")
    assert approved.beneficiary.state == "active"
    approval = Notice.objects.get(kind="approval")
    assert approval.state == "signed" and approval.addressee_name == approved.household.head_name and approval.pdf
    # The 公示 of the cases past it lasted its 7 days before the meeting.
    assert approved.publicity_ends < approved.decided_on

    assert ReliefCase.objects.get().state == "proposed"
    assert SpotCheck.objects.get(county_id="340121000000").cases.filter(application=approved).exists()
    assert PaymentCycle.objects.get(county_id="340121000000").state == "roster_built"
    # Rechecks: the caseworker's visit, the clerk's proposal, the principal's decision (and, where
    # the demo has a 特困 beneficiary, the county head's).
    rechecks = sorted(Recheck.objects.values_list("state", flat=True))
    assert rechecks == ["open", "proposed", "proposed", "visited"]
    assert {"入户核查", "提出复核意见", "乡镇审批", "县民政负责人审批"} <= titles
    assert not Task.objects.filter(status=STATUS.ERROR).exists()


def test_demo_logins_prints_the_notices_a_citizen_can_download(seeded, client):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    approval = Notice.objects.get(kind="approval")
    assert f"文号 {approval.number}  查询码 {approval.access_code}" in out.getvalue()
    response = client.post("/notices/download", {"number": approval.number, "code": approval.access_code})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_running_again_adds_nothing(seeded, tmp_path):
    before = snapshot()
    call_command("seed_demo", households=40, seed=7, pki_dir=str(tmp_path / "pki"), stdout=StringIO())
    assert snapshot() == before


def test_fast_forwarding_seven_days_ends_the_seeded_publicity(seeded, settings):
    settings.WJZ_DEMO_MODE, settings.DEBUG = True, True
    case = Application.objects.get(state="publicized")
    try:
        call_command("demo_fast_forward", "6", stdout=StringIO(), stderr=StringIO())
        case.refresh_from_db()
        assert case.state == "publicized"  # its last day
        call_command("demo_fast_forward", "1", stdout=StringIO(), stderr=StringIO())
        case.refresh_from_db()
        assert case.state == "awaiting_review"
    finally:
        clock.reset()
