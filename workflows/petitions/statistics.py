"""The month's petition figures for supervision (docs/policy.md "Petitions": 信访工作条例
art 21, every petition is in the information system and its figures are reported from it;
arts 23, 34–36, the clocks a matter can overrun; arts 44–45, overrunning them is accountable;
M14, the 12345 call-back and repeat petitions).

Pure reads, each figure one set-based query (conditional aggregates grouped by area), within
the reader's regions. What each figure counts:

- 登记 (received), by channel, by kind, the hot matters and the repeat rate: the petitions
  received in the month (``received_on``).
- 受理 (accepted): the petitions accepted in the month (``accepted_on``; a 12345 order's
  签收 counts as its acceptance).
- 办结 (closed) and the average days: a petition is 办结 on the day its answer went out
  (``replied_on``: the signed 信访处理意见书, or the 12345 reply), not on the later day its
  state becomes 办结 (30 日 after the reply, when no 复查 was asked, or after the call-back):
  arts 34 and 44–45 hold the body to the day it answered. The average is ``replied_on −
  received_on`` over the petitions answered in the month. Petitions that ended without an
  answer of ours (转送交办, 告知, 异议退回, 不再受理, a 12345 order moved to the 信访
  channel) are not 办结 here: they were not accepted by us.
- 满意率: 12345 orders called back in the month (``callback_on``), 满意 + 基本满意 over
  all called back.
- 重复信访率: petitions received in the month marked as repeats (M14) over those received.
- 超期 (overdue), per clock, on ``today`` (the position on the day of the report, whatever
  month the petition came in): 受理告知 (art 23, 15 日: a petition still not routed), 办理
  (art 34, 60 日 and its extension: accepted, not answered), 12345 (its working days: not
  yet answered), 复查复核 (arts 35–36, 30 日: a review still open). Each petition is on one
  clock: a 12345 order only on its own.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import Substr

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import scope_prefixes, scoped
from workflows.policy import petitions as rules

from . import services
from .models import Category, Petition, PetitionReview, PetitionState, ReviewState, Satisfaction

HOTLINE = "hotline"
#: The areas a reader's figures are broken down into: the level below the widest region the
#: reader sees (a county reader: its townships; a city reader: its counties).
AREA_LENGTH = {0: 4, 2: 4, 4: 6, 6: 9, 9: 9, 12: 12}
AREA_LEVEL = {4: regions.LEVEL_CITY, 6: regions.LEVEL_COUNTY, 9: regions.LEVEL_TOWNSHIP, 12: regions.LEVEL_VILLAGE}

CLOCKS = ("acceptance", "handling", "hotline", "review")


def clock_labels() -> dict[str, str]:
    # The 12345 clock is the deployment's (Anhui practice, configurable).
    enquiry, other = services.hotline_days()
    return {
        "acceptance": f"受理告知（{rules.ACCEPTANCE_DAYS}日）",
        "handling": f"办理（{rules.HANDLING_DAYS}日，含批准延长）",
        "hotline": f"12345工单办结（咨询类{enquiry}个、其他{other}个工作日）",
        "review": f"复查复核（{rules.REVIEW_ANSWER_DAYS}日）",
    }


@dataclass
class Line:
    """One row of a breakdown (a channel, a kind, a category, a clock)."""

    key: str
    label: str
    count: int


@dataclass
class Figures:
    """The figures of one area, or the totals of the reader's regions."""

    code: str
    name: str
    received: int = 0
    accepted: int = 0
    closed: int = 0
    days: int = 0  # the days from receipt to answer, summed over ``closed``
    called_back: int = 0
    satisfied: int = 0
    repeats: int = 0
    overdue_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLOCKS, 0))

    @property
    def overdue(self) -> int:
        return sum(self.overdue_by.values())

    @property
    def avg_days(self) -> Decimal | None:
        return _ratio(self.days, self.closed, 1)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """Percent, one decimal."""
        return _ratio(self.satisfied, self.called_back, 100)

    @property
    def repeat_rate(self) -> Decimal | None:
        """Percent, one decimal."""
        return _ratio(self.repeats, self.received, 100)

    def add(self, other: "Figures") -> None:
        for name in ("received", "accepted", "closed", "days", "called_back", "satisfied", "repeats"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for clock in CLOCKS:
            self.overdue_by[clock] += other.overdue_by[clock]


@dataclass
class Monthly:
    year: int
    month: int
    today: date
    area_code: str  # the single region the reader sees, "" when several (or the province's superuser)
    area_name: str
    totals: Figures
    by_channel: list[Line]
    by_kind: list[Line]
    overdue_by_clock: list[Line]
    hot_matters: list[Line]
    per_area: list[Figures]

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _ratio(numerator: int, denominator: int, scale: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator * scale) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The month's first day and the first day after it."""
    if not 1 <= month <= 12:
        raise ValueError(f"月份应为1至12：{month!r}")
    start = date(year, month, 1)
    return start, (start + timedelta(days=31)).replace(day=1)


def _prefixes(who) -> set[str]:
    if isinstance(who, str):
        return {who}
    if hasattr(who, "is_authenticated"):
        return scope_prefixes(who)
    return set(who)


def _in_scope(queryset: QuerySet, who) -> QuerySet:
    """A user: their regions, without what they are recused from (scoping.scoped). Prefixes:
    those regions as a whole (a body's bulletin reports every petition of its area)."""
    if hasattr(who, "is_authenticated"):
        return scoped(queryset, who)
    prefixes = _prefixes(who)
    if not prefixes:
        return queryset.none()
    if "" in prefixes:
        return queryset
    return queryset.filter(reduce(or_, (Q(region_code__startswith=p) for p in sorted(prefixes))))


def _area_length(prefixes: set[str]) -> int:
    return AREA_LENGTH[min(len(p) for p in prefixes)] if prefixes else AREA_LENGTH[6]


def _measures(start: date, end: date, today: date) -> dict:
    received = Q(received_on__gte=start, received_on__lt=end)
    answered = Q(replied_on__gte=start, replied_on__lt=end)
    called = Q(channel=HOTLINE, callback_on__gte=start, callback_on__lt=end) & ~Q(satisfaction="")
    not_hotline = ~Q(channel=HOTLINE)
    return {
        "received": Count("pk", filter=received),
        "accepted": Count("pk", filter=Q(accepted_on__gte=start, accepted_on__lt=end)),
        "closed": Count("pk", filter=answered),
        "days": Sum(ExpressionWrapper(F("replied_on") - F("received_on"), output_field=DurationField()), filter=answered),
        "called_back": Count("pk", filter=called),
        "satisfied": Count("pk", filter=called & Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASIC])),
        "repeats": Count("pk", filter=received & Q(repeat=True)),
        "overdue_acceptance": Count("pk", filter=not_hotline & Q(state=PetitionState.REGISTERED, acceptance_due__lt=today)),
        "overdue_handling": Count("pk", filter=not_hotline & Q(state=PetitionState.ACCEPTED, handling_due__lt=today)),
        "overdue_hotline": Count("pk", filter=Q(channel=HOTLINE, state__in=[PetitionState.REGISTERED, PetitionState.ACCEPTED], hotline_due__lt=today)),
    }


def _area_names(codes: list[str], length: int) -> dict[str, str]:
    """An area's name; the region the breakdown is under (a county's own petitions, beside
    its townships') is its 本级."""
    full = {code: code.ljust(12, "0") for code in codes}
    names = dict(Region.objects.filter(code__in=full.values()).values_list("code", "name"))
    found = {}
    for code, padded in full.items():
        name = names.get(padded, padded)
        found[code] = f"{name}本级" if len(regions.prefix_of(padded)) < length else name
    return found


def _child_areas(prefixes: set[str], length: int) -> list[str]:
    children = Region.objects.filter(level=AREA_LEVEL[length])
    if "" not in prefixes:
        children = children.filter(reduce(or_, (Q(code__startswith=p) for p in sorted(prefixes)), Q(pk__in=[])))
    return [code[:length] for code in children.values_list("code", flat=True)]


def _lines(queryset: QuerySet, column: str, labels: dict[str, str]) -> list[Line]:
    counts = dict(queryset.values(column).annotate(n=Count("pk")).order_by().values_list(column, "n"))
    return [Line(key, label, counts.get(key, 0)) for key, label in labels.items()]


def monthly(user_or_prefixes, year: int, month: int, today: date) -> Monthly:
    """The figures of ``year``-``month`` in the reader's regions (a user, with their
    recusals; or region prefixes), broken down per area, with the overdue position on
    ``today``. What each figure counts: the module's docstring."""
    start, end = month_bounds(year, month)
    prefixes = _prefixes(user_or_prefixes)
    length = _area_length(prefixes)
    petitions = _in_scope(Petition.objects.all(), user_or_prefixes)
    rows = petitions.annotate(area=Substr("region_code", 1, length)).values("area").annotate(**_measures(start, end, today)).order_by("area")
    reviews = dict(
        _in_scope(PetitionReview.objects.all(), user_or_prefixes)
        .filter(state=ReviewState.OPEN, due_on__lt=today)
        .annotate(area=Substr("region_code", 1, length))
        .values("area")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("area", "n")
    )
    areas: dict[str, Figures] = {}
    for row in rows:
        figures = Figures(
            code=row["area"],
            name="",
            received=row["received"],
            accepted=row["accepted"],
            closed=row["closed"],
            days=row["days"].days if row["days"] else 0,
            called_back=row["called_back"],
            satisfied=row["satisfied"],
            repeats=row["repeats"],
        )
        figures.overdue_by.update(acceptance=row["overdue_acceptance"], handling=row["overdue_handling"], hotline=row["overdue_hotline"])
        areas[row["area"]] = figures
    for code, n in reviews.items():
        areas.setdefault(code, Figures(code=code, name="")).overdue_by["review"] = n
    # Every area is listed, those with nothing to report too.
    for code in _child_areas(prefixes, length):
        areas.setdefault(code, Figures(code=code, name=""))
    names = _area_names(sorted(areas), length)
    per_area = [areas[code] for code in sorted(areas)]
    for figures in per_area:
        figures.name = names[figures.code]

    area_code = ""
    if len(prefixes) == 1 and "" not in prefixes:
        area_code = next(iter(prefixes)).ljust(12, "0")
    area_name = "、".join(_area_names([p for p in sorted(prefixes) if p], 0).values()) or "全省"
    totals = Figures(code=area_code, name=area_name)
    for figures in per_area:
        totals.add(figures)

    received = petitions.filter(received_on__gte=start, received_on__lt=end)
    hot = received.values("category").annotate(n=Count("pk")).order_by("-n", "category")[:5]
    labels = clock_labels()
    return Monthly(
        year=year,
        month=month,
        today=today,
        area_code=area_code,
        area_name=area_name,
        totals=totals,
        by_channel=_lines(received, "channel", rules.CHANNEL_LABELS),
        by_kind=_lines(received, "kind", rules.KIND_LABELS),
        overdue_by_clock=[Line(clock, labels[clock], totals.overdue_by[clock]) for clock in CLOCKS],
        hot_matters=[Line(row["category"], Category(row["category"]).label, row["n"]) for row in hot],
        per_area=per_area,
    )


def days_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


def rate_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def bulletin_context(stats: Monthly) -> dict:
    """The 月度通报's context (documents/samples.py, petition_bulletin): display strings; the
    breakdowns list what occurred, most first."""

    def occurred(lines: list[Line]) -> list[dict]:
        return [{"label": line.label, "count": line.count} for line in sorted(lines, key=lambda line: -line.count) if line.count]

    t = stats.totals
    return {
        "area": stats.area_name,
        "month": stats.label,
        "totals": {
            "received": str(t.received),
            "accepted": str(t.accepted),
            "closed": str(t.closed),
            "overdue": str(t.overdue),
            "avg_days": days_text(t.avg_days),
            "satisfaction_rate": rate_text(t.satisfaction_rate),
            "repeat_rate": rate_text(t.repeat_rate),
        },
        "by_channel": occurred(stats.by_channel),
        "by_kind": occurred(stats.by_kind),
        "overdue_by_clock": occurred(stats.overdue_by_clock),
        "hot_matters": [{"label": line.label, "count": line.count} for line in stats.hot_matters],
        "per_area": [
            {
                "name": a.name,
                "received": a.received,
                "closed": a.closed,
                "overdue": a.overdue,
                "avg_days": days_text(a.avg_days),
                "satisfaction_rate": rate_text(a.satisfaction_rate),
                "repeat_rate": rate_text(a.repeat_rate),
            }
            for a in stats.per_area
        ],
    }
