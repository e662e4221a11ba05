"""Delivery tracking (M1 "每月至少进行1次信息比对" made visible): for each county and
department, whether this month's comparison was made. In month M the comparison is of the
data of month M − 1, due by the end of M; missing ones are reminded to the county officers
REMIND_DAYS_BEFORE_MONTH_END days before, and escalated to the county head and the city's
supervisors after it."""

from dataclasses import dataclass
from datetime import date, timedelta

from notifications.services import notify_many
from workflows.core import regions
from workflows.core.models import Region, StaffRole
from workflows.policy import monitoring as rules
from workflows.policy.calendar import cn_date

from .models import Department, Feed


def data_month(today: date) -> date:
    """The data month compared in ``today``'s month: the month before."""
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def month_after(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass
class Delivery:
    department: Department
    feed: Feed | None

    @property
    def arrived(self) -> bool:
        return self.feed is not None


def status(county_codes: list[str], month: date) -> dict[str, list[Delivery]]:
    """Per county, each active department's latest feed of the data month (None: missing);
    two queries whatever the number of counties."""
    latest: dict[tuple[str, int], Feed] = {}
    for feed in Feed.objects.filter(county_id__in=county_codes, month=month).select_related("department").order_by("created"):
        latest[feed.county_id, feed.department_id] = feed
    departments = list(Department.objects.filter(active=True).order_by("pk"))
    return {c: [Delivery(d, latest.get((c, d.pk))) for d in departments] for c in county_codes}


def missing_by_county(county_codes: list[str], month: date) -> dict[str, list[Department]]:
    arrived = set(Feed.objects.filter(county_id__in=county_codes, month=month).values_list("county_id", "department_id"))
    departments = list(Department.objects.filter(active=True).order_by("pk"))
    return {c: [d for d in departments if (c, d.pk) not in arrived] for c in county_codes}


def remind(today: date) -> int:
    """Reminders before the month ends, escalations on its first days after; once per county,
    month and step (the notification key)."""
    month_end = month_after(today.replace(day=1)) - timedelta(days=1)
    sent = 0
    counties = list(Region.objects.filter(level=regions.LEVEL_COUNTY).values_list("code", "name"))
    names = dict(counties)
    steps = []
    if (month_end - today).days <= rules.REMIND_DAYS_BEFORE_MONTH_END:
        steps.append((data_month(today), False, month_end))
    if today.day <= 5:  # the month before ended: its comparison is overdue
        steps.append((data_month(data_month(today)), True, today.replace(day=1) - timedelta(days=1)))
    for month, escalated, end in steps:
        for county, missing in missing_by_county([c for c, _ in counties], month).items():
            if not missing:
                continue
            if escalated:
                roles = StaffRole.objects.filter(role=StaffRole.COUNTY_HEAD, region_id=county) | StaffRole.objects.filter(
                    role=StaffRole.SUPERVISOR, region_id=regions.city_of(county)
                )
            else:
                roles = StaffRole.objects.filter(role=StaffRole.COUNTY_OFFICER, region_id=county)
            users = [r.user for r in roles.select_related("user") if r.user.is_active]
            context = {
                "county": names[county],
                "month": f"{month:%Y年%-m月}",
                "departments": "、".join(d.name for d in missing),
                "escalated": escalated,
                "month_end": cn_date(end),
            }
            step = "escalated" if escalated else "reminded"
            notify_many(users, "monitoring_delivery_missing", context, "/monitoring/", key=f"monitoring_delivery:{county}:{month:%Y-%m}:{step}")
            sent += len(users)
    return sent
