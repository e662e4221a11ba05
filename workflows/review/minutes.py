"""The 会议纪要 notice of a joint review meeting (context keys: documents/samples.py)."""

from documents.issuers import issuer_for
from documents.services import issue_notice
from workflows.policy.calendar import cn_date, cn_month

from .models import ReviewMeeting


def issue(meeting: ReviewMeeting, user):
    assert meeting.held_on is not None  # minutes are of a meeting held
    members = list(meeting.members.all())
    present = [m.name for m in members if m.present]
    cases = [
        {
            "household": d.application.household.head_name,
            "village": d.application.household.hukou_region.name,
            "item": d.application.get_kind_display(),
            "votes_for": d.votes_for,
            "votes_against": d.votes_against,
            "abstain": d.abstentions,
            "decision": ("同意纳入" if d.approved else "不予纳入") + f"：{d.reason}",
        }
        for d in meeting.decisions.select_related("application__household__hukou_region")
    ]
    context = {
        "meeting": f"{meeting.township.name}{cn_month(meeting.held_on)}社会救助联审联批",
        "held_on": cn_date(meeting.held_on),
        "place": meeting.place,
        "chair": present[0] if present else "",
        "attendees": present,
        "absent": [m.name for m in members if not m.present],
        "recorder": meeting.recorder,
        "quorum": {"present": len(present), "total": len(members)},
        "cases": cases,
    }
    return issue_notice(
        kind="minutes",
        issuer=issuer_for(meeting.region_code),
        case=meeting,
        addressee_name=f"{meeting.township.name}社会救助联审联批领导小组各成员",
        region_code=meeting.region_code,
        context=context,
        user=user,
        issued_on=meeting.held_on,
    )
