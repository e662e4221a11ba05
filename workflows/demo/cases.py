"""The demo's cases: work waiting for every role on their first login (seed_demo).

All in 长丰县水湖镇 (340121100), through the real flows and services, each human task driven
as viewflow's views drive it (assign under the flow lock, then activation.start → the view's
service call → activation.execute), so the data is what the pages would have left:

- 申请 at every stage: waiting for acceptance, in investigation, in 公示 (ends in 7 days: the
  demo clock's "快进 7 天" closes it), awaiting the meeting;
- a joint review meeting held and waiting for the principal's signature;
- a meeting signed: its case approved, with the 批准决定书 and the 受理通知书 (文号 and 查询码
  printed by demo_logins);
- a 先行临时救助 above the small-amount cap waiting for the principal's approval;
- 长丰县's spot check of this month in progress (the county officer's 入户核查);
- 长丰县's payment cycle at roster_built (the county officer submits, then finance allocates,
  then the bank uploads its result);
- rechecks: one waiting for the village caseworker's visit, one for the clerk's proposal, a
  gradual exit for the principal's approval, an end of 特困 support for the county head.

Cases that must have passed 公示 are filed nine days ago: the clock is set back while they are
filed and assessed, so their dates tell a true story (公示 of 7 days, closed, then the meeting).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

import time_machine
from celery import current_app
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.status import STATUS

from documents import services as documents
from documents.models import Notice
from workflows.application import services as applications
from workflows.application.flows import ApplicationFlow as A
from workflows.application.models import Application
from workflows.core import regions
from workflows.core.models import Beneficiary, IncomeItem, Region, StaffRole
from workflows.engine.tasks import fire_timers
from workflows.payments.flows import PaymentFlow
from workflows.policy.calendar import first_of_month, next_month, payment_deadlines
from workflows.policy.rules import SELF_CARE_ACTIVITIES
from workflows.recheck import services as rechecks_services
from workflows.recheck.flows import RecheckFlow
from workflows.relief import services as relief
from workflows.relief.flows import ReliefFlow
from workflows.review import services as review
from workflows.review.flows import ReviewMeetingFlow as R
from workflows.spotcheck import services as spotchecks
from workflows.spotcheck.flows import SpotCheckFlow

TOWNSHIP = "340121100000"
COUNTY = "340121000000"
CLERK, PRINCIPAL, OFFICER = "clerk_340121100", "principal_340121100", "countyofficer_340121"
MEMBERS = [("刘建华", "镇人民政府"), ("陈晓东", "镇民政办"), ("许梅", "镇财政所")]
PLACE = "水湖镇人民政府二楼会议室"
# The days before today on which the cases that are past 公示 were filed.
PAST_DAYS = 9


@dataclass(frozen=True)
class Story:
    """One demo household and how far its application goes."""

    key: str
    village: str
    stage: str  # filed / investigation / publicity / awaiting / on_agenda / decided


STORIES = [
    Story("decided", "340121100201", "decided"),
    Story("on_agenda", "340121100202", "on_agenda"),
    Story("awaiting", "340121100203", "awaiting"),
    Story("publicity", "340121100001", "publicity"),
    Story("investigation", "340121100201", "investigation"),
    Story("filed", "340121100202", "filed"),
]
RELIEF_VILLAGE = "340121100203"


# --- driving tasks as the views do ----------------------------------------------------------


def _request(user):
    return SimpleNamespace(user=user, method="POST", GET={}, POST={})


def start(flow_task, user, perform):
    """viewflow's start view: create, check, start, the view's service call, execute."""
    activation = flow_task.activation_class.create(flow_task, None, None)
    if not flow_task.can_execute(user, activation.task):
        raise PermissionDenied(f"{user} 不能发起 {flow_task}")
    with transaction.atomic():
        activation.start(_request(user))
        perform(activation.process)
        activation.execute()
    return activation.process


def open_task(process, node):
    return node.flow_class.task_class._default_manager.filter(process_id=process.pk, flow_task=node).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).get()


def do(process, node, user, perform):
    """Claim (认领) and execute (办理) the process's open task of `node`."""
    flow_class = node.flow_class
    task = open_task(process, node)
    with flow_class.lock(task.process_id), transaction.atomic():
        task = flow_class.task_class._default_manager.get(pk=task.pk)
        if not node.can_assign(user, task):
            raise PermissionDenied(f"{user} 不能认领 {node}")
        node.activation_class(task).assign(user)
    with flow_class.lock(task.process_id), transaction.atomic():
        task = flow_class.task_class._default_manager.get(pk=task.pk)
        if not node.can_execute(user, task):
            raise PermissionDenied(f"{user} 不能办理 {node}")
        activation = node.activation_class(task)
        activation.start(_request(user))
        perform(activation.process)
        activation.execute()


# --- the cases --------------------------------------------------------------------------------


def already_seeded() -> bool:
    return Application.objects.filter(region_code__startswith=TOWNSHIP[:9]).exists()


def users() -> dict:
    found = {u.username: u for u in get_user_model().objects.filter(username__in=[CLERK, PRINCIPAL, OFFICER])}
    missing = {CLERK, PRINCIPAL, OFFICER} - set(found)
    if missing:
        raise RuntimeError(f"缺少演示账号：{'、'.join(sorted(missing))}")
    return found


def file_and_check(household, clerk, until: str):
    """File an application, then take it as far as `until` (filed/investigation/assessed)."""
    head = household.members.get(relation="head")

    def file(process):
        process.save()
        applications.file_application(
            process,
            household=household,
            applicant=head,
            kind="dibao",
            channel="window",
            staff_relative=False,
            staff_relative_note="",
            delegated=True,
            user=clerk,
            today=timezone.localdate(),
        )

    process = start(A.start, clerk, file)
    if until == "filed":
        return process
    do(process, A.accept, clerk, lambda p: applications.accept(p, timezone.localdate(), clerk))
    if until == "investigation":
        return process
    do(
        process,
        A.investigate,
        clerk,
        lambda p: applications.record_investigation(
            p.application,
            user=clerk,
            investigator_1="王强",
            investigator_2="李娟",
            visited_on=timezone.localdate(),
            living_conditions="住房为老旧平房，户主务工收入低且不稳定，家中无其他劳动力",
            findings="家庭经济状况与申请材料一致，情况属实",
        ),
    )
    # The economic verification is a Celery job, eager in the demo: done on commit.
    do(process, A.assess, clerk, lambda p: applications.assess(p.application, corrected_amount=None, correction_reason="", today=timezone.localdate()))
    return process


def hold_meeting(clerk, principal, cases, *, sign: bool, password: str = ""):
    today = timezone.localdate()

    def plan(process):
        process.save()
        review.plan_meeting(process, township=Region.objects.get(code=TOWNSHIP), scheduled_on=today, place=PLACE, members=MEMBERS)

    process = start(R.start, clerk, plan)
    do(process, R.agenda, clerk, lambda p: review.set_agenda(p.meeting, list(cases)))

    def record(p):
        votes = {
            d.pk: {"votes_for": 3, "votes_against": 0, "abstentions": 0, "approved": True, "reason": "家庭人均收入低于当地最低生活保障标准，同意纳入"}
            for d in p.meeting.decisions.all()
        }
        review.record_meeting(p.meeting, day=today, recorder="陈晓东", present={n for n, _ in MEMBERS}, votes=votes, user=clerk)

    do(process, R.record, clerk, record)
    if sign:
        do(process, R.sign, principal, lambda p: review.sign_minutes(p.meeting, principal, password))
    return process


@contextmanager
def jobs_in_process():
    """The flows' jobs (verification, notices) run here, when each step commits, even where a
    broker is configured: the cases are told on a clock set back, which a worker's is not."""
    saved = current_app.conf.task_always_eager, current_app.conf.task_eager_propagates
    current_app.conf.task_always_eager, current_app.conf.task_eager_propagates = True, False
    try:
        yield
    finally:
        current_app.conf.task_always_eager, current_app.conf.task_eager_propagates = saved


def seed_cases(households: dict, password: str) -> dict:
    """Drive every story; `households` maps a story key (and "relief") to its Household;
    `password` is the principal's, which signing asks for."""
    with jobs_in_process():
        return _seed_cases(households, password)


def _seed_cases(households: dict, password: str) -> dict:

    people = users()
    clerk, principal, officer = people[CLERK], people[PRINCIPAL], people[OFFICER]
    processes = {}
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=PAST_DAYS), tick=True):
        for story in STORIES:
            if story.stage in ("awaiting", "on_agenda", "decided"):
                processes[story.key] = file_and_check(households[story.key], clerk, "assessed")
    # One day ago: its 公示 ends at the end of the sixth day from now.
    with time_machine.travel(now - timedelta(days=1), tick=True):
        processes["publicity"] = file_and_check(households["publicity"], clerk, "assessed")
    # Today: the 公示 of the cases filed nine days ago ended two days ago (beat's sweep).
    while fire_timers.apply(throw=True).get():
        pass
    decided = Application.objects.get(household=households["decided"])
    hold_meeting(clerk, principal, [decided], sign=True, password=password)
    # Its 受理通知书 signed too, so the citizen can download both; the other cases' wait in the
    # principal's 待签发文书.
    documents.sign_notice(
        Notice.objects.get(case_type=ContentType.objects.get_for_model(Application), case_id=decided.pk, kind="acceptance"), principal, password
    )
    on_agenda = Application.objects.get(household=households["on_agenda"])
    hold_meeting(clerk, principal, [on_agenda], sign=False)
    processes["investigation"] = file_and_check(households["investigation"], clerk, "investigation")
    processes["filed"] = file_and_check(households["filed"], clerk, "filed")
    relief_case(households["relief"], clerk)
    spot_check(officer)
    payment_cycle()
    rechecks(clerk, principal)
    return processes


def _recheck_candidates(kinds, prefix=TOWNSHIP[:9]):
    return (
        Beneficiary.objects.filter(region_code__startswith=prefix, state="active", kind__in=kinds)
        .exclude(rechecks__isnull=False)
        .select_related("household")
        .order_by("pk")
    )


def rechecks(clerk, principal):
    """Rechecks at every stage in 水湖镇: one waiting for the village caseworker's visit, one for
    the clerk's proposal, a gradual exit for the principal, and one for a county head: the end
    of 特困 support where the demo has such a beneficiary, else a suspension proposed where
    confirmation is not delegated to the township."""
    today = timezone.localdate()
    # Only where a township clerk and principal work: the visit, the proposal and the decision
    # are theirs. The township's
    # own households first; a small demo may have to borrow from another staffed township.
    roles = StaffRole.objects.values_list("region_id", flat=True)
    staffed = set(roles.filter(role=StaffRole.TOWNSHIP_CLERK)) & set(roles.filter(role=StaffRole.TOWNSHIP_PRINCIPAL))

    def staffed_candidates(kinds):
        ordered = [*_recheck_candidates(kinds)[:4], *_recheck_candidates(kinds, "")]
        return [b for b in dict.fromkeys(ordered) if regions.township_of(b.region_code) in staffed]

    dibao = staffed_candidates(["dibao"])[:4]
    # The county head's: the end of 特困 support where the demo has such a beneficiary.
    tekun = next(iter(staffed_candidates(["tekun_dispersed", "tekun_concentrated"])), None)
    if len(dibao) < 3:
        return
    # The county head's: the end of 特困 support, else a suspension where confirmation is not delegated.
    for_county = tekun or (dibao[3] if len(dibao) > 3 else None)
    opened = [RecheckFlow.scheduled.run(beneficiary=b, today=today) for b in [*dibao[:3], *([for_county] if for_county else [])]]
    caseworkers = {u.staff_roles.first().region_id: u for u in get_user_model().objects.filter(username__startswith=f"caseworker_{TOWNSHIP[:9]}")}

    def visit(process):
        recheck = process.recheck
        village = recheck.beneficiary.household.hukou_region_id
        worker = caseworkers.get(village) or township_clerk(village)
        self_care = dict.fromkeys(SELF_CARE_ACTIVITIES, True) if recheck.beneficiary.kind.startswith("tekun") else None

        def perform(p):
            rechecks_services.record_visit(
                p.recheck,
                user=worker,
                investigator_1=worker.get_full_name() or worker.username,
                investigator_2="村民委员会委员 张秀梅",
                visited_on=today,
                living_conditions="住房为自建砖瓦房，家庭成员情况与档案一致",
                findings="入户核实收入、财产情况，详见复核意见",
                self_care=self_care,
                today=today,
            )

        do(process, RecheckFlow.visit, worker, perform)

    def township_clerk(village):
        return get_user_model().objects.get(staff_roles__role=StaffRole.TOWNSHIP_CLERK, staff_roles__region_id=regions.township_of(village))

    def propose(process, outcome, reason, **extra):
        proposer = township_clerk(process.recheck.region_code)
        do(
            process,
            RecheckFlow.propose,
            proposer,
            lambda p: rechecks_services.propose(p.recheck, user=proposer, outcome=outcome, reason=reason, today=today, **extra),
        )

    for process in opened[1:]:
        visit(process)
    # Its son found stable work: the registry first (as a 家庭信息变更 would), then the proposal.
    earner = dibao[2].household.members.exclude(relation="head").order_by("pk").first() or dibao[2].household.members.order_by("pk").first()
    IncomeItem.objects.create(household=dibao[2].household, member=earner, kind="wage", monthly_amount=Decimal("4200"))
    propose(opened[2], "gradual_exit", "家庭成员于本年度在长丰县双凤经济开发区稳定就业，月工资4200元，家庭月人均收入超过当地低保标准。", exit_months=6)
    if tekun is not None:
        propose(opened[3], "terminate", "其子已成年并稳定就业，具备赡养能力，不再符合特困人员认定条件。")
    elif for_county is not None:
        propose(opened[3], "suspend", "户主及家庭成员自本年9月起外出，经多次电话和入户联系均未能取得联系。", delegated=False)


def relief_case(household, clerk):
    """A fire: more than the small-amount cap, so the principal approves before payment."""
    relief.top_up(TOWNSHIP, Decimal("20000"), "长财社〔2026〕12号", clerk)
    head = household.members.get(relation="head")
    cap = relief.caps_for(household.region_code, household.area_type, timezone.localdate())
    amount = min(cap.interim_cap, (cap.small_amount_cap * 2).quantize(Decimal("1")))
    start(
        ReliefFlow.start,
        clerk,
        lambda p: (
            p.save(),
            relief.propose(
                p,
                person=head,
                kind="emergency",
                reason="该户近日因房屋失火，衣被、粮食等生活必需品损毁，基本生活暂时出现严重困难。",
                amount=amount,
                payment_method="account",
                application=None,
                user=clerk,
                today=timezone.localdate(),
            ),
        ),
    )


def spot_check(officer):
    """长丰县's check of this month so far: the decided case is sampled (one 入户核查)."""
    today = timezone.localdate()

    def open_check(process):
        process.save()
        spotchecks.open_spot_check(process, county=Region.objects.get(code=COUNTY), period_start=first_of_month(today), period_end=today)

    start(SpotCheckFlow.start, officer, open_check)


def payment_cycle():
    """长丰县's cycle, opened the way beat opens it: the roster is built, the officer reviews it."""
    today = timezone.localdate()
    month = first_of_month(today)
    if today > payment_deadlines(month.year, month.month)["roster"]:
        month = next_month(month)
    PaymentFlow.monthly.run(county=Region.objects.get(code=COUNTY), month=month)


def citizen_notices():
    """The notices of the decided demo case a citizen can download: (title, 文号, 查询码, name)."""
    approved = Application.objects.filter(region_code__startswith=TOWNSHIP[:9], state="approved").values_list("pk", flat=True)
    notices = (
        Notice.objects.filter(
            case_type=ContentType.objects.get_for_model(Application),
            case_id__in=list(approved),
            region_code__startswith=TOWNSHIP[:9],
        )
        .exclude(pdf="")
        .filter(state="signed")
        .order_by("pk")
    )
    return [(n.title, n.number, n.access_code, n.addressee_name) for n in notices if n.kind_info.citizen]


def story_villages() -> list[str]:
    return [s.village for s in STORIES] + [RELIEF_VILLAGE]
