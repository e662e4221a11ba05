"""The clocks and rules of petition handling (docs/policy.md "Petitions": 信访工作条例, 2022;
12345 work orders by Anhui practice, configurable).

Periods in 日 are calendar days counted from the day after the start (民法典 art 201); when
the last day is a rest day (a weekend or statutory holiday on the working-day calendar) the
period ends on the next working day (art 203). Periods in 工作日 use ``add_working_days``.
"以内" includes the number itself (民法典 art 1259): "within 30 日" ends on day 30.
"""

from __future__ import annotations

from datetime import date, timedelta

from .calendar import add_working_days, is_working_day

#: Art 23 ¶1–2: tell the petitioner in writing on the spot, else within 15 日.
ACCEPTANCE_DAYS = 15
#: Art 23 ¶3: a petition forwarded or assigned to us that is not ours: object within 5 工作日.
OBJECTION_WORKING_DAYS = 5
#: Art 34: handled within 60 日 of acceptance; one extension of at most 30 日.
HANDLING_DAYS = 60
MAX_EXTENSION_DAYS = 30
#: Arts 35, 36: 复查 / 复核 asked within 30 日 of receiving the reply; answered within 30 日.
REVIEW_REQUEST_DAYS = 30
REVIEW_ANSWER_DAYS = 30
#: Anhui practice for 12345 work orders (configurable per deployment):
#: enquiries within 3 working days, other orders within 10.
HOTLINE_ENQUIRY_WORKING_DAYS = 3
HOTLINE_OTHER_WORKING_DAYS = 10
#: Art 20: a group visit chooses at most 5 representatives.
MAX_REPRESENTATIVES = 5
#: M14 repeat-petition governance (team default, configurable): the same person or matter
#: petitioning this many times within the window is put on the county's governance list.
REPEAT_WINDOW_DAYS = 180
REPEAT_THRESHOLD = 3

#: Art 29–31: the three types of petition.
KIND_LABELS = {"suggestion": "建议意见", "accusation": "检举控告", "claim": "申诉求决"}
#: Art 17: the channels, with the 12345 hotline and the online form.
CHANNEL_LABELS = {
    "hotline": "12345政务服务便民热线",
    "window": "来访（窗口接待）",
    "group_visit": "集体来访",
    "letter": "来信",
    "phone": "来电",
    "fax": "传真",
    "online": "网上信访",
    "forwarded": "上级转送交办",
}
#: Art 32: the outcome of a 信访处理意见书.
OUTCOME_LABELS = {"support": "支持", "explain": "解释说明", "reject": "不予支持"}
#: Arts 35, 36: a 复查 or 复核 upholds, sets aside or changes the opinion below.
REVIEW_OUTCOME_LABELS = {"uphold": "维持", "revoke": "撤销", "change": "变更"}
REVIEW_LEVEL_LABELS = {"recheck": "复查", "review": "复核"}


def period_end(start: date, days: int) -> date:
    """The last day of a period of ``days`` 日 from ``start``: counted from the next day
    (民法典 art 201), moved to the next working day when it falls on a rest day (art 203)."""
    if days < 0:
        raise ValueError(f"期间天数必须是非负整数：{days!r}")
    end = start + timedelta(days=days)
    while not is_working_day(end):
        end += timedelta(days=1)
    return end


def acceptance_deadline(received: date) -> date:
    """Art 23: whether and where the petition is handled is told in writing within 15 日."""
    return period_end(received, ACCEPTANCE_DAYS)


def objection_deadline(received: date) -> date:
    """Art 23 ¶3: a forwarded or assigned petition that is not ours is objected to, with
    reasons, within 5 个工作日."""
    return add_working_days(received, OBJECTION_WORKING_DAYS)


def validate_extension(extension_days: int) -> None:
    """Art 34: one extension of at most 30 日 ("不得超过30日")."""
    if extension_days < 0:
        raise ValueError("延长期限不能为负数")
    if extension_days > MAX_EXTENSION_DAYS:
        raise ValueError(f"延长办理期限不得超过{MAX_EXTENSION_DAYS}日（《信访工作条例》第三十四条），本次申请延长{extension_days}日")


def handling_deadline(accepted: date, extension_days: int = 0) -> date:
    """Art 34: handled within 60 日 of acceptance; with the head's approval once extended by
    at most 30 日. The extension runs on from the first period's nominal last day, not from
    the working day a rest day moved it to: the stricter reading, since finishing late is
    what arts 44–45 hold a body to account for."""
    validate_extension(extension_days)
    return period_end(accepted, HANDLING_DAYS + extension_days)


def review_request_deadline(reply_received: date) -> date:
    """Arts 35, 36: 复查 (and 复核) may be asked within 30 日 of receiving the written reply."""
    return period_end(reply_received, REVIEW_REQUEST_DAYS)


def review_answer_deadline(requested: date, paused_days: int = 0) -> date:
    """Arts 35, 36: answered within 30 日 of the request; time spent on a hearing (听证) is
    not counted."""
    if paused_days < 0:
        raise ValueError("听证等不计入期限的天数不能为负数")
    return period_end(requested, REVIEW_ANSWER_DAYS + paused_days)


def hotline_deadline(received: date, enquiry: bool, enquiry_days: int = HOTLINE_ENQUIRY_WORKING_DAYS, other_days: int = HOTLINE_OTHER_WORKING_DAYS) -> date:
    """12345 work orders (Anhui practice): enquiries within 3 working days, others within 10."""
    return add_working_days(received, enquiry_days if enquiry else other_days)


def is_repeat(earlier_in_window: int, threshold: int = REPEAT_THRESHOLD) -> bool:
    """M14: this petition is at least the ``threshold``-th on the same person or matter within
    the window ("以上" includes the number): ``earlier_in_window`` counts those before it."""
    return earlier_in_window + 1 >= threshold


def review_level_after(levels_done: list[str]) -> str | None:
    """Arts 35, 36: a reply may be rechecked (复查), a 复查 reviewed (复核); after 复核 there
    is none (the matter is final)."""
    if not levels_done:
        return "recheck"
    if levels_done[-1] == "recheck":
        return "review"
    return None
