"""Operations of the monthly payment cycle (M9, M10); the only code that calls its transitions.

The roster build is one transaction: delete the cycle's lines and its claims, then insert the
whole roster in bulk. A worker killed halfway rolls back to the state before the build, and the
next run produces the same roster (DESIGN §4.5: batch jobs can be killed and rerun).
"""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from workflows.core import regions
from workflows.core.models import BankAccount, Beneficiary, BeneficiaryState, Household, Member, Region
from workflows.core.validators import validate_not_after_today, validate_not_before
from workflows.policy import defaults, subsidy
from workflows.policy.calendar import cn_date, first_of_month, next_month, payment_deadlines
from workflows.policy.models import Standard

from .models import BUILDABLE, CpiFigure, CycleState, LineKind, LineStatus, PaymentCycle, PaymentProcess, RosterLine, SubsidyRule

BATCH_SIZE = 2000
ZERO = Decimal("0")
RULE = "皖民社救字〔2022〕46号第十条"
# Reference suffix per line kind: benefit (基本), price subsidy, arrears.
_REF = {LineKind.PRICE_SUBSIDY: "P", LineKind.ARREARS: "A"}


# --- opening --------------------------------------------------------------------------------


def open_cycle(process: PaymentProcess, county: Region, month: date) -> PaymentCycle:
    """The cycle of `county` for `month`, with its M10 deadlines frozen on it."""
    month = first_of_month(month)
    if regions.level_of(county.code) != regions.LEVEL_COUNTY:
        raise ValidationError({"county": "资金发放按县（区）开展，请选择县级区划"})
    if PaymentCycle.objects.filter(county=county, month=month).exists():
        raise ValidationError({"month": f"{county.name}{month:%Y年%-m月}的发放批次已经开启"})
    due = payment_deadlines(month.year, month.month)
    cycle = PaymentCycle.objects.create(county=county, month=month, roster_due=due["roster"], funds_due=due["funds"], bank_due=due["bank"])
    process.cycle = cycle
    process.region_code = cycle.region_code
    process.summary = str(cycle)
    set_due(process, cycle.roster_due, "花名册报送期限（M10：每月5日前，遇节假日提前）", cycle, "roster")
    return cycle


def opening_day(month: date) -> date:
    """The day beat opens a month's cycle: the first working day of the month its roster is
    due in. Usually the 1st working day of the month itself; when the 5th is a holiday the
    deadline moves back (2026-05: to 30 April), and the cycle opens in April so that the
    roster can still be submitted on time (M10)."""
    from workflows.policy.calendar import is_working_day

    due = payment_deadlines(month.year, month.month)["roster"]
    day = first_of_month(due)
    while not is_working_day(day):
        day = date.fromordinal(day.toordinal() + 1)
    return day


def set_due(process: PaymentProcess, day: date | None, note: str, cycle: PaymentCycle | None = None, stage: str | None = None) -> None:
    """The process's deadline is the one of the current stage: reminders and escalation to
    the county head (notifications, engine.escalation) read it. A stage's deadline is kept
    with its nominal day (M10: the 5th, 10th, 15th), so that a deadline counted on a
    provisional calendar is counted again when the year's notice is loaded."""
    if cycle is not None and stage is not None:
        process.due_on_or_before(_nominal(cycle.month, stage), note)
    else:
        process.due_date, process.deadline_note = day, note
    process.save()


def _nominal(month: date, stage: str) -> date:
    return date(month.year, month.month, defaults.PAYMENT_DAYS[stage])


def recount_cycle_deadlines(year: int) -> int:
    """A year's official holiday arrangement was loaded: the M10 deadlines frozen on the cycles
    still open are counted again for it (a deadline near a holiday may move). The process's own
    deadline is counted again by the engine. Returns how many cycles changed."""
    changed = 0
    for cycle in PaymentCycle.objects.exclude(state=CycleState.CLOSED).filter(month__year__in=[year, year + 1]).order_by("pk"):
        due = payment_deadlines(cycle.month.year, cycle.month.month)
        fresh = {"roster_due": due["roster"], "funds_due": due["funds"], "bank_due": due["bank"]}
        if any(getattr(cycle, field) != value for field, value in fresh.items()):
            for field, value in fresh.items():
                setattr(cycle, field, value)
            cycle.save(update_fields=list(fresh))
            changed += 1
    return changed


def on_holidays_loaded(sender, year, **kwargs) -> None:
    recount_cycle_deadlines(year)


# --- roster build ---------------------------------------------------------------------------


def subsidy_rule(county_code: str, month: date) -> subsidy.RuleValues:
    """The price-subsidy rule of this county's city in force for `month` (M9: decided at city
    level; none set: the defaults of 1553号)."""
    return SubsidyRule.in_force(regions.city_of(county_code), month)


def subsidy_rise(county_code: str, month: date, rule: subsidy.RuleValues | None = None) -> Decimal | None:
    """The rise (%) this county's city pays a price subsidy on in `month`, or None (M9)."""
    figure = CpiFigure.objects.filter(city_id=regions.city_of(county_code), month=month).first()
    if figure is None:
        return None
    rule = rule or subsidy_rule(county_code, month)
    return rule.rise(figure.cpi_yoy, figure.food_cpi_yoy)


def _accounts(prefix: str, households) -> tuple[dict, dict]:
    """Active accounts of these households of the county: by holder and by household (lowest pk wins)."""
    by_member, by_household = {}, {}
    rows = BankAccount.objects.filter(household__region_code__startswith=prefix, household_id__in=households, active=True).order_by("-pk")
    for household_id, member_id, *account in rows.values_list("household_id", "member_id", "account_name", "card_number", "bank_name"):
        by_household[household_id] = account
        if member_id is not None:
            by_member[member_id] = account
    return by_member, by_household


@transaction.atomic
def build_roster(cycle: PaymentCycle) -> PaymentCycle:
    """Build (or rebuild) the cycle's roster. Refused once the roster has been submitted.

    Lines: every active beneficiary paid from this month on (first_paid_month ≤ month: new
    enrollments start the month after the decision), gradual-exit ones up to and including
    gradual_exit_until, suspended and ended ones skipped; price subsidies when the city's CPI
    triggers, by the city's rule in force for the month (M9); arrears of lines an earlier cycle
    failed to pay. Interim relief is never deducted: it is given first (先行给予, M6), not
    advanced. The lines are written by INSERT … SELECT inside the database (100 counties,
    2,000,000 lines, in ≤ 120 s); only the few arrears lines pass through Python.
    """
    cycle = PaymentCycle.objects.select_for_update().select_related("county").get(pk=cycle.pk)
    if cycle.state not in BUILDABLE:
        raise ValidationError(f"{cycle}的花名册已报送，不能重新生成")
    prefix, month = regions.prefix_of(cycle.county_id), cycle.month

    # Undo a previous build of this cycle: its lines and what it claimed from others.
    RosterLine.objects.filter(cycle=cycle).delete()
    RosterLine.objects.filter(carried_to=cycle).update(carried_to=None)

    rule = subsidy_rule(cycle.county_id, month)
    rise = subsidy_rise(cycle.county_id, month, rule)
    with _set_based_plans():
        _insert_benefit_lines(cycle, prefix, month)
        if rise is not None:
            _insert_subsidy_lines(cycle, prefix, month, rule, _subsidy_per_person(cycle.county_id, month, rise, rule))
    insert_lines(_arrears_lines(cycle, prefix))

    RosterLine.objects.filter(
        cycle__region_code=cycle.region_code,
        cycle__month__lt=month,
        cycle__state__in=[CycleState.RECONCILED, CycleState.CLOSED],
        status=LineStatus.FAILED,
        carried_to__isnull=True,
    ).update(carried_to=cycle)
    totals = RosterLine.objects.filter(cycle=cycle).aggregate(n=Count("pk"), total=Sum("amount"))
    cycle.mark_built(totals["n"], totals["total"] or ZERO, timezone.now())
    cycle.save()
    return cycle


@contextmanager
def _set_based_plans():
    """Hash joins only, for the few whole-county statements of a roster build (PostgreSQL).

    Right after a bulk load (a county's first import, the benchmark's data) the statistics say
    the tables are nearly empty; the planner then nests loops over the per-household
    subqueries and a 30,000-line build ran for over ten minutes instead of two seconds. Hash
    joins are the right plan at every size here, so they do not depend on ANALYZE having run.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_nestloop = on")


def _first_of(columns: str, key: str, table: str, where: str) -> str:
    """The lowest-pk row per `key` among the county's households (one LIKE %s: the prefix)
    meeting `where`, with `columns`."""
    return (
        f"(SELECT * FROM (SELECT t.{key} AS k, {columns}, ROW_NUMBER() OVER (PARTITION BY t.{key} ORDER BY t.id) AS n "
        f"FROM {table} t JOIN {Household._meta.db_table} th ON th.id = t.household_id WHERE th.region_code LIKE %s AND {where}) ranked WHERE n = 1)"
    )


def _payee_joins() -> str:
    """Who a line of beneficiary `b` goes to, for the whole county at once (three LIKE %s: the
    prefix): the single member covered, else the household's head (lowest pk); that member's
    own active account, else the household's (lowest pk). Hash joins, not one lookup per line."""
    member, account = Member._meta.db_table, BankAccount._meta.db_table
    columns = "t.account_name, t.card_number, t.bank_name"
    head = _first_of("t.name, t.id_number", "household_id", member, "t.relation = 'head'")
    own = _first_of(columns, "member_id", account, "t.active AND t.member_id IS NOT NULL")
    home = _first_of(columns, "household_id", account, "t.active")
    return f"""
        LEFT JOIN {member} m ON m.id = b.member_id
        LEFT JOIN {head} head ON head.k = b.household_id
        LEFT JOIN {own} own ON own.k = b.member_id
        LEFT JOIN {home} home ON home.k = b.household_id"""


# The person's name and ID number, then the account (blank fields when there is none), of _payee_joins.
_PAYEE = "COALESCE(m.name, head.name, ''), COALESCE(m.id_number, head.id_number, '')"
_PAYEE_ACCOUNT = """CASE WHEN own.k IS NOT NULL THEN own.account_name ELSE COALESCE(home.account_name, '') END,
               CASE WHEN own.k IS NOT NULL THEN own.card_number ELSE COALESCE(home.card_number, '') END,
               CASE WHEN own.k IS NOT NULL THEN own.bank_name ELSE COALESCE(home.bank_name, '') END"""
# Beneficiary `b` is in payment this month (params: month, active, gradual exit, month).
_IN_PAYMENT = "b.first_paid_month <= %s AND (b.state = %s OR (b.state = %s AND b.gradual_exit_until >= %s))"


def _in_payment_params(month: date) -> list:
    return [month, BeneficiaryState.ACTIVE.value, BeneficiaryState.GRADUAL_EXIT.value, month]


def _insert_benefit_lines(cycle: PaymentCycle, prefix: str, month: date) -> None:
    """One benefit line per paying beneficiary, in beneficiary order, the full amount, to the
    person and account of _payee_joins."""
    sql = f"""
        INSERT INTO {RosterLine._meta.db_table} (cycle_id, beneficiary_id, kind, region_code, name, id_number, covered_members, gross_amount, offset_amount, amount,
                            account_name, card_number, bank_name, reference, status, fail_reason)
        SELECT %s, b.id, b.kind, b.region_code, {_PAYEE}, b.covered_members,
               b.monthly_amount, 0, b.monthly_amount,
               {_PAYEE_ACCOUNT},
               CAST(%s AS varchar(40)) || '-' || CAST(b.id AS varchar(20)) || '-J', %s, ''
        FROM {Beneficiary._meta.db_table} b
        {_payee_joins()}
        WHERE b.region_code LIKE %s AND b.monthly_amount > 0 AND b.kind <> 'marginal' AND {_IN_PAYMENT}
        ORDER BY b.id
    """
    like = prefix + "%"
    with connection.cursor() as cursor:
        # Nothing to pay, no line: a 低保边缘家庭 is recognised, not paid (最低生活保障审核确认办法),
        # whatever amount a hand-made row carries.
        cursor.execute(sql, [cycle.pk, cycle.batch, LineStatus.PENDING.value, like, like, like, like, *_in_payment_params(month)])


def _insert_subsidy_lines(cycle: PaymentCycle, prefix: str, month: date, rule: subsidy.RuleValues, per_person: dict[str, Decimal]) -> None:
    """M9: the price-subsidy lines of a month that triggers, for the recipients of the city's
    rule whose area type has a standard: the amount per person × the people covered.

    Beside each benefit line of a recipient kind: the same person, people and account. For the
    kinds a city widened the recipients to (低保边缘家庭), recognised but drawing no benefit: a
    line of its own for each of them in recognition this month, for the household's members,
    to the person and account a benefit line would go to (_payee_joins)."""
    if not per_person:
        return
    line = RosterLine._meta.db_table
    cases = " ".join("WHEN %s THEN %s" for _ in per_person)
    case_params = [v for area_type, amount in per_person.items() for v in (area_type, amount)]
    areas = ", ".join(["%s"] * len(per_person))
    kinds = sorted(rule.kinds)
    beside = f"""
        INSERT INTO {line} (cycle_id, beneficiary_id, kind, region_code, name, id_number, covered_members, gross_amount, offset_amount, amount,
                            account_name, card_number, bank_name, reference, status, fail_reason)
        SELECT l.cycle_id, l.beneficiary_id, %s, l.region_code, l.name, l.id_number, l.covered_members,
               (CASE h.area_type {cases} END) * l.covered_members, 0, (CASE h.area_type {cases} END) * l.covered_members,
               l.account_name, l.card_number, l.bank_name, CAST(%s AS varchar(40)) || '-' || CAST(l.beneficiary_id AS varchar(20)) || '-P', %s, ''
        FROM {line} l
        JOIN {Beneficiary._meta.db_table} b ON b.id = l.beneficiary_id
        JOIN {Household._meta.db_table} h ON h.id = b.household_id
        WHERE l.cycle_id = %s AND l.kind IN ({", ".join(["%s"] * len(kinds))}) AND h.area_type IN ({areas})
        ORDER BY l.beneficiary_id
    """
    with connection.cursor() as cursor:
        cursor.execute(beside, [LineKind.PRICE_SUBSIDY.value, *case_params, *case_params, cycle.batch, LineStatus.PENDING.value, cycle.pk, *kinds, *per_person])
    widened = sorted(rule.widened_kinds)
    if not widened:
        return
    household, member = Household._meta.db_table, Member._meta.db_table
    alone = f"""
        INSERT INTO {line} (cycle_id, beneficiary_id, kind, region_code, name, id_number, covered_members, gross_amount, offset_amount, amount,
                            account_name, card_number, bank_name, reference, status, fail_reason)
        SELECT %s, b.id, %s, b.region_code, {_PAYEE}, size.n,
               (CASE h.area_type {cases} END) * size.n, 0, (CASE h.area_type {cases} END) * size.n,
               {_PAYEE_ACCOUNT},
               CAST(%s AS varchar(40)) || '-' || CAST(b.id AS varchar(20)) || '-P', %s, ''
        FROM {Beneficiary._meta.db_table} b
        JOIN {household} h ON h.id = b.household_id
        JOIN (SELECT t.household_id AS k, COUNT(*) AS n FROM {member} t JOIN {household} th ON th.id = t.household_id
              WHERE th.region_code LIKE %s GROUP BY t.household_id) size ON size.k = b.household_id
        {_payee_joins()}
        WHERE b.region_code LIKE %s AND b.kind IN ({", ".join(["%s"] * len(widened))}) AND h.area_type IN ({areas}) AND {_IN_PAYMENT}
          AND NOT EXISTS (SELECT 1 FROM {line} x WHERE x.cycle_id = %s AND x.beneficiary_id = b.id)
        ORDER BY b.id
    """
    like = prefix + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            alone,
            [
                cycle.pk,
                LineKind.PRICE_SUBSIDY.value,
                *case_params,
                *case_params,
                cycle.batch,
                LineStatus.PENDING.value,
                like,
                like,
                like,
                like,
                like,
                *widened,
                *per_person,
                *_in_payment_params(month),
                cycle.pk,
            ],
        )


COLUMNS = [
    "cycle_id",
    "beneficiary_id",
    "kind",
    "region_code",
    "name",
    "id_number",
    "covered_members",
    "gross_amount",
    "offset_amount",
    "amount",
    "account_name",
    "card_number",
    "bank_name",
    "reference",
    "status",
    "fail_reason",
]


def _line(common: dict, **values) -> dict:
    return {"offset_amount": ZERO, "status": LineStatus.PENDING.value, "fail_reason": "", **common, **values}


def insert_lines(lines: list[dict]) -> None:
    """Insert roster lines given as column dicts (the arrears lines, built in Python).
    PostgreSQL: one COPY (no model instances, no per-value preparation); elsewhere
    bulk_create in batches."""
    if connection.vendor != "postgresql":
        RosterLine.objects.bulk_create((RosterLine(**line) for line in lines), batch_size=BATCH_SIZE)
        return
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {RosterLine._meta.db_table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for line in lines:
            copy.write_row([line[c] for c in COLUMNS])


def _reference(cycle: PaymentCycle, beneficiary_id: int, kind: str) -> str:
    """参考号: the same for the same line in every rebuild, so a bank file stays valid."""
    return f"{cycle.batch}-{beneficiary_id}-{_REF.get(kind, 'J')}"


def _subsidy_per_person(county_code: str, month: date, rise: Decimal, rule: subsidy.RuleValues) -> dict[str, Decimal]:
    """M9 amount per person and area type, by the city's rule: by default the local dibao
    standard × the rise, whole yuan."""
    result = {}
    for area_type in ("urban", "rural"):
        standard = Standard.objects.filter(county_id=county_code, area_type=area_type, valid_from__lte=month).order_by("-valid_from").first()
        if standard is not None:
            result[area_type] = rule.per_person(standard.dibao_standard, rise)
    return result


def _arrears_lines(cycle: PaymentCycle, prefix: str) -> list[dict]:
    """One ARREARS line per beneficiary for what earlier reconciled cycles failed to pay, to
    the account in the registry now (corrected after the failure)."""
    failed = (
        RosterLine.objects.filter(
            cycle__region_code=cycle.region_code,
            cycle__month__lt=cycle.month,
            cycle__state__in=[CycleState.RECONCILED, CycleState.CLOSED],
            status=LineStatus.FAILED,
            carried_to__isnull=True,
        )
        .values("beneficiary_id")
        # One line per beneficiary even when several months failed (the unique constraint).
        .annotate(
            total=Sum("amount"),
            household_id=Max("beneficiary__household_id"),
            member_id=Max("beneficiary__member_id"),
            region=Max("region_code"),
            person=Max("name"),
            id_no=Max("id_number"),
            members=Max("covered_members"),
        )
        .order_by("beneficiary_id")
    )
    failed = list(failed)
    by_member, by_household = _accounts(prefix, [row["household_id"] for row in failed]) if failed else ({}, {})
    lines = []
    for row in failed:
        account = by_member.get(row["member_id"]) or by_household.get(row["household_id"]) or ("", "", "")
        lines.append(
            _line(
                {
                    "cycle_id": cycle.pk,
                    "beneficiary_id": row["beneficiary_id"],
                    "region_code": row["region"],
                    "name": row["person"],
                    "id_number": row["id_no"],
                    "covered_members": row["members"],
                    "account_name": account[0],
                    "card_number": account[1],
                    "bank_name": account[2],
                },
                kind=LineKind.ARREARS,
                gross_amount=row["total"],
                amount=row["total"],
                reference=_reference(cycle, row["beneficiary_id"], LineKind.ARREARS),
            )
        )
    return lines


def township_totals(lines):
    """Lines, households, people and amount per township (for review, report and clerks)."""
    rows = (
        lines.annotate(township=Substr("region_code", 1, 9))
        .values("township")
        .annotate(
            lines=Count("pk"),
            due=Sum("amount"),
            paid=Sum("amount", filter=Q(status=LineStatus.PAID)),
            failed=Sum("amount", filter=Q(status=LineStatus.FAILED)),
            no_account=Count("pk", filter=Q(card_number="")),
        )
        .order_by("township")
    )
    names = dict(Region.objects.filter(code__in=[r["township"].ljust(12, "0") for r in rows]).values_list("code", "name"))
    return [{**r, "name": names.get(r["township"].ljust(12, "0"), r["township"])} for r in rows]


# --- the stages after the build ---------------------------------------------------------------


@transaction.atomic
def submit_roster(process: PaymentProcess, day: date) -> PaymentCycle:
    """The county officer submits the roster to finance (M10: by the 5th). Final from now on."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    if cycle.state != CycleState.ROSTER_BUILT:
        raise ValidationError("花名册尚未生成或已报送")
    if not cycle.line_count:
        raise ValidationError("花名册为空，不能报送；请核对保障对象后重新生成")
    cycle.submit(day)
    cycle.save()
    set_due(process, cycle.funds_due, "资金拨付期限（M10：每月10日前）", cycle, "funds")
    return cycle


def roster_context(cycle: PaymentCycle) -> dict:
    """The context of the "roster" notice (documents/samples.py), every line listed, masked."""
    lines = cycle.lines.order_by("region_code", "pk").values_list("name", "id_number", "kind", "covered_members", "amount", "card_number")
    labels = dict(LineKind.choices)
    rows = [
        {
            "name": n,
            "id_masked": RosterLine(id_number=i).masked_id,
            "kind": labels[k],
            "members": m,
            "amount": f"{a:.2f}",
            "account_masked": RosterLine(card_number=c).masked_card,
        }
        for n, i, k, m, a, c in lines.iterator(chunk_size=BATCH_SIZE)
    ]
    benefit = cycle.lines.exclude(kind__in=[LineKind.PRICE_SUBSIDY, LineKind.ARREARS])
    kinds = "、".join(labels[k] for k in sorted(set(cycle.lines.values_list("kind", flat=True))))
    return {
        "month": f"{cycle.month:%Y年%-m月}",
        "assistance": kinds or "社会救助",
        "rule": RULE,
        "pay_by": cn_date(cycle.bank_due),
        "total_households": benefit.count(),
        "total_people": benefit.aggregate(p=Sum("covered_members"))["p"] or 0,
        "total_amount": f"{cycle.total_amount:.2f}",
        "rows": rows,
    }


def issue_roster(cycle: PaymentCycle, user=None):
    """发放花名册 (PDF) from the county civil-affairs bureau to finance and the bank."""
    from documents.issuers import issuer_for
    from documents.services import issue_notice

    cycle = PaymentCycle.objects.select_related("county").get(pk=cycle.pk)
    notice = issue_notice(
        kind="roster",
        issuer=issuer_for(cycle.region_code, level=regions.LEVEL_COUNTY),
        case=cycle,
        addressee_name=f"{cycle.county.name}财政局、代理金融机构",
        context=roster_context(cycle),
        region_code=cycle.region_code,
        user=user,
    )
    if cycle.roster_notice_id != notice.pk:
        PaymentCycle.objects.filter(pk=cycle.pk).update(roster_notice=notice)
    return notice


@transaction.atomic
def allocate_funds(process: PaymentProcess, *, day: date, reference: str, amount: Decimal, today: date | None = None) -> PaymentCycle:
    """Finance confirms the allocation (M10: by the 10th); the amount must be the roster's, the
    day between the roster's submission and today."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    validate_not_after_today(day, "拨付日期", today=today or timezone.localdate(), field="allocated_on")
    validate_not_before(day, cycle.submitted_on, "拨付日期", "花名册报送日期", field="allocated_on")
    if amount != cycle.total_amount:
        raise ValidationError({"amount": f"拨付金额 {amount} 元与花名册合计 {cycle.total_amount} 元不符"})
    cycle.allocate(day, reference.strip())
    cycle.save()
    return cycle


@transaction.atomic
def start_disbursing(process: PaymentProcess) -> PaymentCycle:
    """The bank file is available to the bank from now on (written on each download)."""
    cycle = PaymentCycle.objects.select_for_update().get(pk=process.cycle_id)
    cycle.start_disbursing()
    cycle.save()
    set_due(process, cycle.bank_due, "银行发放期限（M10：每月15日前，遇节假日提前）", cycle, "bank")
    return cycle


def report_context(cycle: PaymentCycle) -> dict:
    """The context of the "payment_report" notice: totals, per township, every failed line (masked)."""

    def money(value) -> str:
        return f"{value or ZERO:.2f}"

    lines = cycle.lines.all()
    failed = lines.filter(status=LineStatus.FAILED).order_by("region_code", "pk").values_list("name", "id_number", "card_number", "amount", "fail_reason")
    return {
        "month": f"{cycle.month:%Y年%-m月}",
        "rule": RULE,
        "total_lines": cycle.line_count,
        "total_amount": money(cycle.total_amount),
        "submitted_on": cn_date(cycle.submitted_on),
        "allocation": cycle.allocation_reference,
        "paid_lines": lines.filter(status=LineStatus.PAID).count(),
        "paid_amount": money(cycle.paid_amount),
        "failed_lines": lines.filter(status=LineStatus.FAILED).count(),
        "failed_amount": money(cycle.failed_amount),
        "townships": [
            {"name": t["name"], "lines": t["lines"], "due": money(t["due"]), "paid": money(t["paid"]), "failed": money(t["failed"])}
            for t in township_totals(lines)
        ],
        "failures": [
            {
                "name": n,
                "id_masked": RosterLine(id_number=i).masked_id,
                "account_masked": RosterLine(card_number=c).masked_card,
                "amount": money(a),
                "reason": r,
            }
            for n, i, c, a, r in failed.iterator(chunk_size=BATCH_SIZE)
        ],
    }


def issue_report(cycle: PaymentCycle, user=None):
    """发放报告 (PDF) of a reconciled cycle, to the county government and finance (M10)."""
    from documents.issuers import issuer_for
    from documents.services import issue_notice

    notice = issue_notice(
        kind="payment_report",
        issuer=issuer_for(cycle.region_code, level=regions.LEVEL_COUNTY),
        case=cycle,
        addressee_name=f"{cycle.county.name}人民政府、{cycle.county.name}财政局",
        context=report_context(cycle),
        region_code=cycle.region_code,
        user=user,
    )
    cycle.report_notice = notice
    return notice


@transaction.atomic
def close_cycle(process: PaymentProcess, day: date, user=None) -> PaymentCycle:
    """Close a reconciled cycle for good, with its report (发放报告)."""
    cycle = PaymentCycle.objects.select_for_update().select_related("county").get(pk=process.cycle_id)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError("该批次已办结，不能重新开启或再次办结")
    if cycle.state != CycleState.RECONCILED:
        raise ValidationError("发放结果尚未对账，不能办结")
    issue_report(cycle, user)
    cycle.close(day)
    cycle.save()
    set_due(process, None, "")
    return cycle


# --- account fixes (M10: failed lines are paid again, to a corrected account) ----------------


def lines_to_fix(cycle: PaymentCycle):
    """The failed lines of `cycle` that have no 修正发放账户 process yet (a retried job opens
    none twice: the process's line is unique)."""
    return RosterLine.objects.filter(cycle=cycle, status=LineStatus.FAILED, account_fix__isnull=True).select_related("cycle").order_by("pk")


def account_fix_due(line: RosterLine) -> tuple[date | None, str]:
    """Fixed before the next cycle's roster is due, so the arrears line carries the new account."""
    month = next_month(line.cycle.month)
    try:
        return payment_deadlines(month.year, month.month)["roster"], f"{month.month}月花名册报送前修正，以便补发"
    except ValueError:  # that year's holidays are not loaded yet: no date rather than a wrong one
        return None, "下月花名册报送前修正，以便补发"


@transaction.atomic
def fix_account(line: RosterLine, *, account_name: str, card_number: str, bank_name: str, user) -> BankAccount:
    """The account the next cycle pays to: the line's own holder's account is replaced (the
    member's own card, else the household's), and the old one kept, inactive, for the record.
    Entering the same account confirms it (a failure on the bank's side) and changes nothing."""
    line = RosterLine.objects.select_related("beneficiary").get(pk=line.pk)
    if line.status != LineStatus.FAILED:
        raise ValidationError("该笔发放没有失败，无需修正账户")
    beneficiary = line.beneficiary
    card_number = card_number.replace(" ", "")
    account = BankAccount(
        household_id=beneficiary.household_id,
        member_id=beneficiary.member_id,
        account_name=account_name.strip(),
        card_number=card_number,
        bank_name=bank_name.strip(),
    )
    account.full_clean()
    old = BankAccount.objects.filter(household_id=beneficiary.household_id, active=True)
    old = old.filter(member_id=beneficiary.member_id) if beneficiary.member_id else old
    same = old.filter(card_number=card_number, account_name=account.account_name, bank_name=account.bank_name).first()
    if same is not None:  # confirmed as it is (e.g. the bank's own fault): nothing to replace
        return same
    old.update(active=False)
    account.save()
    return account
