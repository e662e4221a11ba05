"""Engine throughput: applications taken end to end through the services layer, on PostgreSQL.

    createdb -U postgres -h 127.0.0.1 wjz_bench_engine   # an empty database; the script migrates it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wjz_bench_engine \
        .venv/bin/python bench/bench_engine.py [--applications 10000] [--no-notices] [--meeting-size 50] [--drivers 1-4]

No HTTP. Each human task is driven exactly as viewflow's views drive it (viewflow/workflow/flow/
utils.py wrap_view / wrap_start_view, flow/views/actions.py): assign = `activation.assign(user)`
under the flow lock and a transaction; execute = under `flow_class.lock(process_pk)` and
`transaction.atomic()`, `activation.start(request)`, then the view's `perform()` body (the same
service call the task view makes, workflows/application/views.py, workflows/review/views.py),
then `activation.execute()` (ServiceFormMixin.form_valid). Permissions are checked with the
node's can_assign/can_execute like the views. Celery is eager (no CELERY_BROKER_URL): the
economic verification job and the decision-notice job run in-process when their transaction
commits, as the embedded deployment does.

Per application: 登记 (start) → 受理 (accept) → 入户调查 (investigate; verification job in
parallel) → 评估 (assess) → 公示 timer fired by the beat task's function → waits for review.
Per township meeting of --meeting-size cases: 筹备 (start) → 议程 (agenda) → 表决 (record; minutes
PDF) → 签发 (sign, the principal's password and PAdES signature) → decisions applied → decision
notices rendered in one batch → every application's process ends.

Human-task completions = 4 per application + 4 per meeting; the rate is completions over the
whole wall time of the run (timer sweeps, jobs, meetings and notices included). --no-notices
replaces the per-application notices (受理通知书; the meeting's job that renders and signs every
批准决定书) with no-ops to show the engine's own
rate; the meeting minutes and their signing stay in both runs.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production settings: with DEBUG on, Django's debug cursor formats and keeps every query,
# which costs about 7% of the run.
os.environ.setdefault("DJANGO_DEBUG", "0")
# Production mode refuses the development key; nothing here outlives the run.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
_TMP = Path(tempfile.mkdtemp(prefix="wjz_bench_engine_"))
os.environ["MEDIA_ROOT"] = str(_TMP / "media")
os.environ["NOTICE_TRUST_ROOTS"] = str(_TMP / "pki" / "dev-ca.pem")
os.environ.pop("CELERY_BROKER_URL", None)  # eager Celery: jobs run in this process

import django

django.setup()

import io
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

MEMBERS = "刘建华 镇人民政府\n陈晓东 镇民政办\n许梅 镇财政所\n"
PASSWORD = "pw-12345"


class Clock:
    """Time spent in named sections (notices, minutes, signing ...)."""

    def __init__(self):
        self.seconds, self.calls = {}, {}

    def wrap(self, module, name, label, replace=None):
        original = getattr(module, name)

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return replace(*args, **kwargs) if replace else original(*args, **kwargs)
            finally:
                self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - start
                self.calls[label] = self.calls.get(label, 0) + 1

        setattr(module, name, timed)


def request_of(user):
    return SimpleNamespace(user=user, method="POST", GET={}, POST={})


def start(flow_task, user, perform):
    """viewflow wrap_start_view + ServiceFormMixin.form_valid."""
    activation = flow_task.activation_class.create(flow_task, None, None)
    if not flow_task.can_execute(user, activation.task):
        raise PermissionDenied
    with transaction.atomic():
        activation.start(request_of(user))
        perform(activation.process)
        activation.execute()
    return activation.process


def assign(task, user):
    """viewflow AssignTaskView: under the flow lock, activation.assign(user)."""
    node = task.flow_task
    flow_class = node.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = flow_class.task_class._default_manager.get(pk=task.pk)
        if not node.can_assign(user, task):
            raise PermissionDenied
        node.activation_class(task).assign(user)


def execute(task, user, perform):
    """viewflow wrap_view (POST) + ServiceFormMixin.form_valid."""
    node = task.flow_task
    flow_class = node.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = flow_class.task_class._default_manager.get(pk=task.pk)
        activation = node.activation_class(task)
        if not node.can_execute(user, task):
            raise PermissionDenied
        activation.start(request_of(user))
        perform(activation.process)
        activation.execute()


def open_task(process, node):
    from viewflow.workflow.status import STATUS

    return node.flow_class.task_class._default_manager.filter(process_id=process.pk, flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def do(process, node, user, perform):
    task = open_task(process, node)
    assign(task, user)
    execute(task, user, perform)


def make_households(n: int, village: str, first: int = 0):
    from stdnum.cn import ric

    from workflows.core.models import Household, IncomeItem, Member

    made = []
    base = date(1950, 1, 1)
    for i in range(first, first + n):
        birth = base + timedelta(days=i)
        household = Household.objects.create(hukou_region_id=village, residence_region_id=village, area_type="rural", head_name=f"户主{i}", address="长丰村3组")
        ids = []
        for k, male in enumerate((True, False, True)):
            body = f"340121{birth + timedelta(days=365 * 2 * k):%Y%m%d}{(i % 400) * 2 + (1 if male else 0):03d}"
            ids.append(body + ric.calc_check_digit(body + "0"))
        head = Member.objects.create(household=household, name=f"户主{i}", id_number=ids[0], relation="head", employment="employed")
        Member.objects.create(household=household, name=f"户主{i}配偶", id_number=ids[1], relation="spouse")
        Member.objects.create(household=household, name=f"户主{i}子女", id_number=ids[2], relation="child")
        IncomeItem.objects.create(household=household, member=head, kind="wage", monthly_amount=Decimal("600"))
        made.append((household, head))
    return made


def drive(households, clerk, principal, meeting_size: int, clock: Clock) -> dict:
    """One caseworker's day: file, accept, investigate and assess each application; at every
    `meeting_size` cases close the 公示 window and hold the township's review meeting."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows.application import services
    from workflows.application.flows import ApplicationFlow as A
    from workflows.engine.tasks import fire_timers
    from workflows.review import services as review
    from workflows.review.flows import ReviewMeetingFlow as R
    from workflows.review.views import township_of_user

    today = timezone.localdate()
    completions = assigns = meetings = 0
    batch_seconds = []
    for offset in range(0, len(households), meeting_size):
        b0 = time.perf_counter()
        batch = households[offset : offset + meeting_size]
        processes = []
        for household, head in batch:

            def file(process, household=household, head=head):
                process.save()
                services.file_application(
                    process,
                    household=household,
                    applicant=head,
                    kind="dibao",
                    channel="window",
                    staff_relative=False,
                    staff_relative_note="",
                    delegated=True,
                    user=clerk,
                    today=today,
                )

            process = start(A.start, clerk, file)
            do(process, A.accept, clerk, lambda p: services.accept(p, today, clerk))
            do(
                process,
                A.investigate,
                clerk,
                lambda p: services.record_investigation(
                    p.application, user=clerk, investigator_1="王强", investigator_2="李娟", visited_on=today, living_conditions="住房简陋", findings="情况属实"
                ),
            )
            do(process, A.assess, clerk, lambda p: services.assess(p.application, corrected_amount=None, correction_reason="", today=today))
            processes.append(process.pk)
            completions += 4
            assigns += 3
        # The 公示 window ends: beat's timer sweep fires every due timer. Another driver's sweep
        # may fire some of ours (and ours some of theirs): sweep until all of ours have fired.
        mine = Task.objects.filter(flow_task=A.publicity, process_id__in=processes)
        mine.filter(status=STATUS.SCHEDULED).update(scheduled=timezone.now() - timedelta(seconds=1))
        while mine.filter(status=STATUS.SCHEDULED).exists():
            fire_timers.apply().get()

        def plan(process):
            process.save()
            review.plan_meeting(process, township=township_of_user(clerk), scheduled_on=today, place="镇政府二楼会议室", members=review.parse_members(MEMBERS))

        meeting_process = start(R.start, clerk, plan)
        do(meeting_process, R.agenda, clerk, lambda p: review.set_agenda(p.meeting, list(review.eligible_cases(p.meeting.township_id)[:meeting_size])))

        def record(process):
            decisions = process.meeting.decisions.all()
            votes = {
                d.pk: {"votes_for": 3, "votes_against": 0, "abstentions": 0, "approved": True, "reason": "家庭人均收入低于当地低保标准，同意纳入"}
                for d in decisions
            }
            review.record_meeting(process.meeting, day=today, recorder="陈晓东", present={"刘建华", "陈晓东", "许梅"}, votes=votes, user=clerk)

        do(meeting_process, R.record, clerk, record)
        do(meeting_process, R.sign, principal, lambda p: review.sign_minutes(p.meeting, principal, PASSWORD))
        completions += 4
        assigns += 3
        meetings += 1
        batch_seconds.append(time.perf_counter() - b0)
    return {
        "completions": completions,
        "assigns": assigns,
        "meetings": meetings,
        "batch_seconds": batch_seconds,
        "seconds": clock.seconds,
        "calls": clock.calls,
    }


def wrap_clock(no_notices: bool) -> Clock:
    from documents import services as document_services
    from workflows.application import notices
    from workflows.review import minutes
    from workflows.review import services as review

    clock = Clock()
    if no_notices:
        clock.wrap(notices, "acceptance", "notice_acceptance", replace=lambda *a, **k: None)
        # the meeting's notice job (render + sign every decision notice) becomes a no-op
        clock.wrap(review, "issue_decision_notices", "decision_notices_job", replace=lambda *a, **k: [])
    else:
        clock.wrap(notices, "acceptance", "notice_acceptance")
        clock.wrap(notices, "decision", "notice_decision")
        clock.wrap(document_services, "sign_under_authority", "notice_decision_signing")
        clock.wrap(review, "issue_decision_notices", "decision_notices_job")
    clock.wrap(minutes, "issue", "minutes_pdf")
    clock.wrap(document_services, "sign_notice", "minutes_signing")
    return clock


def extra_townships(n: int) -> list[tuple[str, str]]:
    """Townships beyond the test fixtures' two (with a village and a township issuer each), so
    that every driver holds its own township's meetings."""
    from documents.models import Issuer
    from tests.factories import COUNTY
    from workflows.core.models import Region

    made = []
    for k in range(n):
        township, village = f"34012110{2 + k}000", f"34012110{2 + k}201"
        Region.objects.get_or_create(code=township, defaults={"name": f"基准{k + 3}镇", "level": "township", "parent_id": COUNTY})
        Region.objects.get_or_create(
            code=village, defaults={"name": f"基准{k + 3}村", "level": "village", "parent_id": township, "registered_population": 3200}
        )
        Issuer.objects.get_or_create(
            number_prefix=f"皖长基{k + 3}", defaults={"region_id": township, "name": f"长丰县基准{k + 3}镇人民政府", "phone": "0551-66710002"}
        )
        made.append((township, village))
    return made


def _child(conn, households, clerk_pk, principal_pk, meeting_size, no_notices):
    from django.contrib.auth import get_user_model
    from django.db import connections

    connections.close_all()  # never share the parent's socket
    User = get_user_model()
    try:
        result = drive(households, User.objects.get(pk=clerk_pk), User.objects.get(pk=principal_pk), meeting_size, wrap_clock(no_notices))
        conn.send(("ok", result))
    except BaseException as exc:  # report, so the parent fails loudly instead of hanging
        import traceback

        conn.send(("error", traceback.format_exc()))
        raise exc
    finally:
        connections.close_all()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--meeting-size", type=int, default=50)
    parser.add_argument("--drivers", type=int, default=1, choices=(1, 2, 3, 4), help="并行办理的进程数（每个进程一个乡镇的经办人）")
    parser.add_argument("--no-notices", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("这个基准需要 PostgreSQL：请设置 DATABASE_URL")
    call_command("migrate", verbosity=0)

    import multiprocessing

    from django.db import connections
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from tests.factories import TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_issuers, make_regions, make_stand_in_calendar, make_user
    from workflows.application.flows import ApplicationFlow as A
    from workflows.application.models import Application
    from workflows.review.models import ReviewMeeting

    if Application.objects.exists():
        sys.exit("请使用一个空数据库（dropdb/createdb 后重跑）")
    make_regions()
    make_issuers()
    # Run on today's date like the tests: a clock that ends in a year the State Council has not
    # announced yet counts that year's weekends only (the bench measures speed, not dates).
    stood_in = make_stand_in_calendar(timezone.localdate())
    if stood_in:
        print(f"注意：{'、'.join(map(str, stood_in))}年无正式节假日安排，本次基准按仅周末休息计算期限")
    places = [(TOWNSHIP_A, VILLAGE_A), (TOWNSHIP_B, VILLAGE_B)] + extra_townships(args.drivers - 2)
    call_command("init_dev_pki", dir=str(_TMP / "pki"), stdout=io.StringIO())
    # One township per driver: a review meeting takes every eligible case of its township.
    teams = []
    per_driver = args.applications // args.drivers
    for k, (township, village) in enumerate(places[: args.drivers]):
        clerk = make_user(f"bench_clerk_{k}", "township_clerk", township)
        principal = make_user(f"bench_principal_{k}", "township_principal", township)
        principal.first_name = "王建国"
        principal.save()
        teams.append((make_households(per_driver, village, first=k * per_driver), clerk, principal))

    t0 = time.perf_counter()
    if args.drivers == 1:
        households, clerk, principal = teams[0]
        results = [drive(households, clerk, principal, args.meeting_size, wrap_clock(args.no_notices))]
    else:
        connections.close_all()
        context = multiprocessing.get_context("fork")
        pipes, children = [], []
        for households, clerk, principal in teams:
            parent_end, child_end = context.Pipe()
            child = context.Process(target=_child, args=(child_end, households, clerk.pk, principal.pk, args.meeting_size, args.no_notices))
            child.start()
            pipes.append(parent_end)
            children.append(child)
        results = []
        for parent_end in pipes:
            status, payload = parent_end.recv()
            if status != "ok":
                sys.exit(payload)
            results.append(payload)
        for child in children:
            child.join()
    elapsed = time.perf_counter() - t0

    households_total = sum(len(team[0]) for team in teams)
    completions = sum(r["completions"] for r in results)
    assigns = sum(r["assigns"] for r in results)
    meetings = sum(r["meetings"] for r in results)
    batch_seconds = [b for r in results for b in r["batch_seconds"]]
    seconds, calls = {}, {}
    for r in results:
        for label, value in r["seconds"].items():
            seconds[label] = seconds.get(label, 0.0) + value
        for label, value in r["calls"].items():
            calls[label] = calls.get(label, 0) + value

    approved = Application.objects.filter(state="approved").count()
    finished = A.process_class.objects.filter(status="DONE").count()
    concluded = ReviewMeeting.objects.filter(state="concluded").count()
    assert approved == finished == households_total, (approved, finished)
    assert concluded == meetings
    # Per driver, the share of its time spent on per-application notices.
    notice_s = (seconds.get("notice_acceptance", 0.0) + seconds.get("decision_notices_job", 0.0)) / args.drivers
    failed_jobs = Task.objects.filter(status=STATUS.ERROR).count()
    assert failed_jobs == 0, f"{failed_jobs} jobs in ERROR"
    rate = completions / elapsed
    results = {
        "applications": households_total,
        "drivers": args.drivers,
        "meetings": meetings,
        "meeting_size": args.meeting_size,
        "per_application_notices": "no-op" if args.no_notices else "rendered (受理通知书 + 批准决定书, PDF)",
        "human_task_completions": completions,
        "assignments": assigns,
        "elapsed_s": round(elapsed, 1),
        "completions_per_s": round(rate, 1),
        "target_per_s": 100,
        "meets_target": rate >= 100,
        "applications_per_s": round(households_total / elapsed, 2),
        "extrapolated_10000_applications_s": round(elapsed * 10_000 / households_total, 0),
        "median_batch_s": round(statistics.median(batch_seconds), 2),
        "time_share": {label: round(value / args.drivers / elapsed, 3) for label, value in seconds.items()},
        "seconds": {label: round(value, 1) for label, value in seconds.items()},
        "calls": calls,
        "notice_share": round(notice_s / elapsed, 3),
        "completions_per_s_excluding_per_application_notices": round(completions / (elapsed - notice_s), 1),
        "all_approved_and_ended": approved == finished == households_total,
        "cpus": os.cpu_count(),
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results" / "engine.json"
    out.parent.mkdir(exist_ok=True)
    saved = json.loads(out.read_text()) if out.exists() else {}
    saved = saved if "runs" in saved else {"runs": {}}
    key = ("without" if args.no_notices else "with") + "_per_application_notices" + ("" if args.drivers == 1 else f"_{args.drivers}_drivers")
    saved["runs"][key] = results
    out.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
