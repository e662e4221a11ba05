"""The monitoring dashboard's figures for a county or a city (M1), for one data month:
deliveries (which departments' data arrived and were compared), signals by kind, actions
opened and closed, overdue actions, median days to close. Within the reader's regions."""

import statistics
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import scope_prefixes, scoped
from workflows.policy import monitoring as rules

from . import selectors
from .models import Department, Feed, Signal, SignalState


@dataclass
class Line:
    code: str
    label: str
    count: int


@dataclass
class Area:
    code: str
    name: str
    expected: int | str = "—"
    delivered: int | str = "—"
    signals: int = 0
    actions: int = 0
    closed: int = 0
    overdue: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | str:
        return round(statistics.median(self.days), 1) if self.days else "—"


@dataclass
class Stats:
    area_name: str
    month: date
    totals: Area
    per_area: list[Area]
    by_event: list[Line]
    missing: list[tuple[str, list[str]]]


def _area_length(user) -> int:
    """A county reader: its townships; a city or the province: its counties."""
    prefixes = scope_prefixes(user)
    shortest = min((len(p) for p in prefixes), default=6)
    return 9 if shortest >= 6 else 6


def monthly(user, month: date, today: date) -> Stats:
    length = _area_length(user)
    counties = list(scoped(Region.objects.filter(level=regions.LEVEL_COUNTY), user, "code").order_by("code"))
    found = scoped(Signal.objects.filter(feed__month=month), user)
    departments = list(Department.objects.filter(active=True).order_by("pk"))
    arrived = set(Feed.objects.filter(month=month, county__in=counties).values_list("county_id", "department_id"))
    level = regions.LEVEL_TOWNSHIP if length == 9 else regions.LEVEL_COUNTY
    places = scoped(Region.objects.filter(level=level), user, "code").order_by("code")
    areas = {r.code[:length]: Area(code=r.code, name=r.name) for r in places}
    for county in counties:
        if length == 6 and county.code[:6] in areas:
            area = areas[county.code[:6]]
            area.expected, area.delivered = len(departments), sum(1 for d in departments if (county.code, d.pk) in arrived)
    # Counted in the database, per area; only the closed actions' dates come back, for the median.
    by_area = found.annotate(area=Substr("region_code", 1, length)).values("area").order_by()
    is_open = Q(state=SignalState.OPEN)
    counted = by_area.annotate(
        n=Count("pk"),
        opened=Count("pk", filter=is_open),
        done=Count("pk", filter=selectors.CLOSED),
        late=Count("pk", filter=is_open & Q(due_on__lt=today) & ~selectors.CLOSED),
    )

    def area_of(key: str) -> Area:
        if key in areas:
            return areas[key]
        # Someone the county has not placed yet: the county's own line.
        county = key[:6]
        return areas.setdefault(county if length == 6 else key, Area(code=county.ljust(12, "0"), name="县级待安排"))

    for row in counted:
        area = area_of(row["area"])
        area.signals += row["n"]
        area.actions += row["opened"]
        area.closed += row["done"]
        area.overdue += row["late"]
    for key, found_on, closed_on in by_area.filter(selectors.CLOSED).annotate(closed_on=selectors.CLOSED_ON).values_list("area", "found_on", "closed_on"):
        if closed_on:
            area_of(key).days.append((closed_on - found_on).days)
    prefixes = scope_prefixes(user)
    if len(prefixes) == 1 and "" not in prefixes:
        name = Region.objects.filter(code=next(iter(prefixes)).ljust(12, "0")).values_list("name", flat=True).first() or ""
    else:
        name = "全省" if "" in prefixes else "、".join(c.name for c in counties)
    totals = Area(code="", name="合计", expected=len(departments) * len(counties), delivered=len(arrived))
    for area in areas.values():
        totals.signals += area.signals
        totals.actions += area.actions
        totals.closed += area.closed
        totals.overdue += area.overdue
        totals.days += area.days
    by_event_counts = selectors.counts_by_event(found)
    by_event = [Line(code, label, by_event_counts.get(code, 0)) for code, (label, _) in rules.EVENTS.items()]
    missing = [(c.name, [d.name for d in departments if (c.code, d.pk) not in arrived]) for c in counties]
    return Stats(
        area_name=name,
        month=month,
        totals=totals,
        per_area=sorted(areas.values(), key=lambda a: a.code),
        by_event=by_event,
        missing=[(n, m) for n, m in missing if m],
    )
