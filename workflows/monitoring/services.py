"""Low-income monitoring's operations (M1): take a department's feed, compare it, record the
signals; the actions they call for are opened by the flow layer (actions.py)."""

import hashlib
import io
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.dispatch import Signal as Announcement
from django.utils import timezone

from workflows.core import regions
from workflows.core.models import Region
from workflows.core.scoping import in_scope
from workflows.core.services import audit
from workflows.core.uploads import digest_and_encoding
from workflows.policy import monitoring as rules
from workflows.policy.calendar import add_working_days, cn_date, cn_month
from workflows.recheck.models import OPEN_STATES as RECHECK_OPEN

from . import defaults, importing
from .models import Department, EventKind, Feed, FeedRow, Signal, SignalState

#: A feed was compared and has signals whose actions are to open (kwargs: feed). The flow
#: layer opens them after the commit (tasks.on_feed_compared).
feed_compared = Announcement()


def ensure_defaults() -> None:
    """The M1 departments and event codes, where a database lost them (the demo's is emptied)."""
    defaults.load(Department, EventKind)


def medical_cost_yuan():
    return getattr(settings, "MONITORING_MEDICAL_COST_YUAN", rules.MEDICAL_COST_YUAN)


def action_working_days() -> int:
    return getattr(settings, "MONITORING_ACTION_WORKING_DAYS", rules.ACTION_WORKING_DAYS)


def retention_days() -> int:
    return getattr(settings, "MONITORING_RAW_RETENTION_DAYS", rules.RAW_RETENTION_DAYS)


def rule_table() -> list[rules.Rule]:
    return rules.rules(medical_cost_yuan())


@dataclass(frozen=True)
class ImportResult:
    feed: Feed
    applied: bool
    rows: int
    matched: int
    signals: int
    duplicates: int
    actions: int


def parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise ValidationError(f"数据月份“{text}”应为 YYYY-MM 格式，如 2026-11")


def _check_target(department: Department, county: Region, month: date, user, today: date) -> None:
    if county.level != regions.LEVEL_COUNTY:
        raise ValidationError({"county": f"“{county.name}”不是县（市、区）：比对数据按县报送"})
    if not department.active:
        raise ValidationError({"department": f"{department.name}已停用，不再接收其数据"})
    if month > today.replace(day=1):
        raise ValidationError({"month": f"数据月份 {cn_month(month)} 还未到，不能导入"})
    if user is not None and getattr(user, "is_authenticated", False) and not in_scope(user, county.code):
        raise PermissionDenied("不能导入本辖区以外县（市、区）的比对数据")


@transaction.atomic
def import_feed(
    *, department: Department, county: Region, month: date, data, filename: str, user, via: str, today: date | None = None, announce: bool = True
) -> ImportResult:
    """Take one department's feed for one county and month, compare it and record its signals,
    all or nothing (importing.py says what is checked). The same file again returns its first
    feed and changes nothing (``applied`` False). Unless ``announce`` is False (the caller
    opens them itself), the signals' actions are opened after the commit (feed_compared)."""
    today = today or timezone.localdate()
    _check_target(department, county, month, user, today)
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    digest, encoding = digest_and_encoding(stream)
    done = Feed.objects.filter(department=department, county=county, month=month, sha256=digest).first()
    if done is not None:
        return _already(done)
    head = stream.read(4)
    stream.seek(0)
    if not head:
        raise ValidationError("文件是空的，未导入任何数据")
    errors, counts = importing.FeedErrors(), {"rows": 0}
    events = set(EventKind.objects.values_list("code", flat=True))
    rows = importing.xlsx_rows(stream) if importing.is_xlsx(head) else importing.csv_rows(stream, encoding)
    try:
        # A file refused while it streams in aborts the COPY: its savepoint rolls back alone, so
        # the refusal reaches the caller and the temporary table can still be dropped.
        with transaction.atomic():
            importing.load(importing.read_rows(rows, month, events, errors, counts))
        if not counts["rows"] and not errors.count:
            raise ValidationError("文件中没有数据行，未导入任何数据")
        errors.merge(importing.other_county_rows(regions.prefix_of(county.code)))
        errors.raise_if_any()
        feed = Feed(department=department, county=county, month=month, filename=filename[:200], sha256=digest, via=via, uploaded_by=_actor(user, department))
        try:
            with transaction.atomic():
                feed.save()
        except IntegrityError:  # the same file, compared meanwhile by another request
            importing.drop()
            return _already(Feed.objects.get(department=department, county=county, month=month, sha256=digest))
        counted = importing.compare(feed, rule_table(), today, add_working_days(today, action_working_days()))
    finally:
        rows.close()  # an import stopped early lets go of the caller's file now
        importing.drop()
    stream.seek(0)
    feed.raw_file.save(f"{digest[:16]}.dat", File(stream), save=False)  # copied in chunks
    for name in ("rows", "matched", "beneficiaries", "signals", "duplicates", "actions"):
        setattr(feed, name, counted[name])
    feed.save()
    if announce and feed.actions:
        feed_compared.send(sender=Feed, feed=feed)
    audit(
        feed.uploaded_by,
        "monitoring_import",
        "monitoring.Feed",
        feed.pk,
        feed.region_code,
        f"{department.name} {month:%Y-%m} {feed.rows}行，新预警{feed.signals}条",
    )
    return ImportResult(feed, True, feed.rows, feed.matched, feed.signals, feed.duplicates, feed.actions)


def _already(feed: Feed) -> ImportResult:
    """The same file again: its first feed, nothing new, every row a duplicate."""
    return ImportResult(feed, False, feed.rows, feed.matched, 0, feed.rows, 0)


def _actor(user, department: Department):
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return system_account(department)


def system_account(department: Department):
    """The account a department's feeds are recorded under when no person imported them (the
    API, the operators' command): it cannot log in."""
    if department.account_id is None:
        User = get_user_model()
        department.account, _ = User.objects.get_or_create(
            username=f"dept_{department.code}", defaults={"first_name": f"{department.name}（数据接口）", "is_active": False}
        )
        department.save(update_fields=["account"])
    return department.account


def actor(signal: Signal):
    """Who opens a signal's action: whoever imported its feed."""
    return signal.feed.uploaded_by or system_account(signal.feed.department)


def issue_token(department: Department) -> str:
    """A new API token for the department (the old one stops working); only its SHA-256 is
    kept. The department's feeds are recorded under its own account."""
    token = secrets.token_urlsafe(32)
    department.token_sha256 = hashlib.sha256(token.encode()).hexdigest()
    system_account(department)
    department.save(update_fields=["token_sha256"])
    return token


def department_for_token(token: str) -> Department | None:
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    return Department.objects.filter(token_sha256=digest, active=True).exclude(token_sha256="").first()


def mark_open(signal: Signal, *, recheck=None, lead=None) -> Signal:
    """The signal's action exists: a recheck, a lead, or the county's placing task."""
    signal.recheck, signal.lead, signal.state = recheck or signal.recheck, lead or signal.lead, SignalState.OPEN
    if recheck is not None:  # the recheck's own deadline (a death: 3 months), not the visit's
        signal.due_on = recheck.due_on
    signal.save(update_fields=["recheck", "lead", "state", "due_on"])
    return signal


def locked_pending(pk: int) -> Signal | None:
    """The signal, row-locked, when its action is still to open (a re-run after a killed
    worker skips what was opened)."""
    return (
        Signal.objects.select_for_update(of=("self",))
        .select_related("household", "member", "beneficiary", "feed")
        .filter(pk=pk, state=SignalState.PENDING)
        .first()
    )


def open_recheck_for(signal: Signal):
    """Once per person and event: the open recheck an earlier signal of the same person and
    event opened, if any."""
    earlier = (
        Signal.objects.filter(id_number=signal.id_number, event=signal.event, recheck__state__in=[s.value for s in RECHECK_OPEN])
        .exclude(pk=signal.pk)
        .select_related("recheck")
        .first()
    )
    return earlier.recheck if earlier else None


def validate_place(signal: Signal, village: Region) -> None:
    if village.level != regions.LEVEL_VILLAGE:
        raise ValidationError({"village": "请选择村（社区）"})
    if not village.code.startswith(regions.prefix_of(signal.feed.county_id)):
        raise ValidationError({"village": f"请选择{signal.feed.county.name}的村（社区）"})


@transaction.atomic
def place(signal: Signal, *, village: Region, note: str, user) -> Signal:
    """The county officer sends the visit about someone we do not know to a village."""
    validate_place(signal, village)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    signal.placed_village, signal.placed_note = village, note.strip()[:300]
    signal.save(update_fields=["placed_village", "placed_note"])
    audit(user, "monitoring_place", "monitoring.Signal", signal.pk, signal.region_code, f"安排{village.name}入户核查")
    return signal


def situation(signal: Signal) -> str:
    """What the visit is about, prefilled on the lead."""
    amount = f"，金额{signal.amount}元" if signal.amount is not None else ""
    detail = f"（{signal.detail}）" if signal.detail else ""
    text = f"{signal.feed.department.name}{cn_month(signal.feed.month)}比对数据：{cn_date(signal.event_date)}{signal.event_label}{amount}{detail}。"
    if signal.placed_note:
        text += signal.placed_note
    return text


def view_raw_row(user, row: FeedRow) -> FeedRow:
    """A raw row is personal data another department sent: every view is audited."""
    audit(user, "monitoring_view_row", "monitoring.FeedRow", row.pk, row.region_code, f"{row.feed} 第{row.line}行")
    return row


def delete_expired_raw(today: date) -> int:
    """Raw files and rows older than the retention period go; the signals stay."""
    cutoff = timezone.make_aware(datetime.combine(today - timedelta(days=retention_days()), time.min))
    expired = Feed.objects.filter(created__lt=cutoff, raw_deleted_on__isnull=True)
    count = 0
    for feed in expired.iterator():
        with transaction.atomic():
            FeedRow.objects.filter(feed=feed).delete()
            if feed.raw_file:
                feed.raw_file.delete(save=False)
            feed.raw_deleted_on = today
            feed.save(update_fields=["raw_file", "raw_deleted_on"])
        count += 1
    return count
