"""Operations of the joint review meeting; the only code that calls its transitions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workflows.application import notices as application_notices
from workflows.application import services as application_services
from workflows.application.models import Application
from workflows.core import regions
from workflows.core.validators import validate_not_after_today, validate_not_before_today
from workflows.policy import organisation

from . import minutes
from .models import CaseDecision, MeetingMember, ReviewMeeting, ReviewProcess


def parse_members(text: str) -> list[tuple[str, str]]:
    """One member a line: "姓名 单位" (a space or a comma between)."""
    members, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip().replace("，", " ").replace(",", " ")
        if not line:
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise ValidationError({"members": f"第{number}行应为“姓名 单位”"})
        if parts[0] in seen:
            raise ValidationError({"members": f"第{number}行：{parts[0]} 重复"})
        seen.add(parts[0])
        members.append((parts[0], parts[1].strip()))
    if not organisation.review_group_complete(members):
        raise ValidationError({"members": f"联审小组应由多个部门的至少{organisation.REVIEW_GROUP_MIN_MEMBERS}名成员组成"})
    return members


def default_members(township) -> list[tuple[str, str]]:
    """The last meeting's members, or the township's staff who sit on the review group."""
    last = ReviewMeeting.objects.filter(township=township).order_by("-scheduled_on").first()
    if last is not None:
        return [(m.name, m.department) for m in last.members.all()]
    from workflows.core.models import StaffRole

    roles = StaffRole.objects.filter(region=township, role__in=["township_principal", "township_clerk", "review_member"]).select_related("user")
    return [((r.user.get_full_name() or r.user.username), r.get_role_display()) for r in roles]


@transaction.atomic
def plan_meeting(
    process: ReviewProcess, *, township, scheduled_on: date, place: str, members: list[tuple[str, str]], today: date | None = None
) -> ReviewMeeting:
    # A plan for a past day would be overdue the moment it is saved.
    validate_not_before_today(scheduled_on, "会议日期", today=today or timezone.localdate(), field="scheduled_on")
    meeting = ReviewMeeting.objects.create(township=township, scheduled_on=scheduled_on, place=place)
    MeetingMember.objects.bulk_create(MeetingMember(meeting=meeting, name=n, department=d) for n, d in members)
    process.about(meeting, str(meeting))
    process.due_date = scheduled_on
    process.deadline_note = "会议日期"
    process.save()
    return meeting


def eligible_cases(township_code: str):
    """Cases whose 公示 ended with no open objection and that no meeting has taken up yet."""
    return (
        Application.objects.filter(region_code__startswith=regions.prefix_of(township_code), state="awaiting_review", review_decision__isnull=True)
        .exclude(objections__resolved=False)
        .select_related("household")
        .order_by("filed_on", "pk")
    )


@transaction.atomic
def set_agenda(meeting: ReviewMeeting, applications) -> list[CaseDecision]:
    allowed = set(eligible_cases(meeting.township_id).values_list("pk", flat=True))
    chosen = [a for a in applications if a.pk in allowed]
    if not chosen:
        raise ValidationError({"cases": "请至少选择一件公示期满且无异议的申请"})
    return CaseDecision.objects.bulk_create(CaseDecision(meeting=meeting, application=a) for a in chosen)


@transaction.atomic
def record_meeting(
    meeting: ReviewMeeting, *, day: date, recorder: str, present: set[str], votes: dict[int, dict], user, today: date | None = None
) -> ReviewMeeting:
    """Attendance, quorum (more than half present), per-case votes and the collective decision.

    `day` is when the meeting was held: not later than today, since the minutes and every
    decision it takes are dated from it."""
    validate_not_after_today(day, "召开日期", today=today or timezone.localdate(), field="held_on")
    members = list(meeting.members.all())
    present_count = sum(1 for m in members if m.name in present)
    if not organisation.quorum_reached(present_count, len(members)):
        raise ValidationError(f"出席人数{present_count}人，未超过应到{len(members)}人的半数，不能作出决定")
    for member in members:
        member.present = member.name in present
    MeetingMember.objects.bulk_update(members, ["present"])
    decisions = list(meeting.decisions.select_related("application__household"))
    for decision in decisions:
        vote = votes[decision.pk]
        total = vote["votes_for"] + vote["votes_against"] + vote["abstentions"]
        name = decision.application.household.head_name
        if total != present_count:
            raise ValidationError(f"{name}家庭：同意、不同意、弃权合计{total}票，应等于出席人数{present_count}")
        if vote["approved"] and not organisation.majority_for(vote["votes_for"], present_count):
            raise ValidationError(f"{name}家庭：同意票未过出席人数半数，不能作出批准决定")
        if not vote["reason"].strip():
            raise ValidationError(f"{name}家庭：请写明决定理由")
        decision.votes_for, decision.votes_against, decision.abstentions = vote["votes_for"], vote["votes_against"], vote["abstentions"]
        decision.approved, decision.reason = vote["approved"], vote["reason"].strip()
    CaseDecision.objects.bulk_update(decisions, ["votes_for", "votes_against", "abstentions", "approved", "reason"])
    meeting.record_held(day, recorder)
    meeting.save()
    meeting.minutes = minutes.issue(meeting, user)
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def sign_minutes(meeting: ReviewMeeting, user, password: str) -> ReviewMeeting:
    """The township principal signs the minutes (M8: first responsible person)."""
    from documents.services import sign_notice

    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state != "held":
        raise ValidationError("会议纪要已签发，不能重复签发")
    assert meeting.minutes is not None  # issued when the meeting was recorded as held
    sign_notice(meeting.minutes, user, password)
    meeting.mark_signed()
    meeting.save()
    return meeting


@transaction.atomic
def apply_decisions(meeting: ReviewMeeting) -> list[int]:
    """Decide every case the meeting voted on, once: a second call (double click, retry) does
    nothing. Returns the decided applications' ids, whose own processes the flow then moves on
    (workflows.application.handoff)."""
    meeting = ReviewMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state != "signed":
        return []
    assert meeting.held_on is not None  # signed minutes are of a meeting held
    decided = []
    for decision in meeting.decisions.select_related("application"):
        assert decision.approved is not None  # every case was decided at the meeting
        application_services.decide(decision.application, approved=decision.approved, reason=decision.reason, day=meeting.held_on)
        decided.append(decision.application_id)
    meeting.conclude()
    meeting.save()
    return decided


def issue_decision_notices(meeting: ReviewMeeting) -> list:
    """批准决定书 / 不予批准决定书 for every case the meeting decided, signed by the principal who
    signed the minutes that record those decisions (idempotent per case)."""
    from documents.services import sign_under_authority

    minutes = meeting.minutes
    assert minutes is not None  # the meeting's decisions are in its signed minutes
    notices = []
    for decision in meeting.decisions.select_related("application"):
        notice = application_notices.decision(decision.application, minutes.signed_by)
        if notice.state == "rendered":
            notice = sign_under_authority(notice, minutes.signed_by, f"会议纪要{minutes.number}")
        notices.append(notice)
    return notices
