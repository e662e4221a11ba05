"""The monthly roster (花名册, M10) and its price-subsidy lines (M9): built in one transaction,
set-based (DESIGN §4.5: a build killed halfway rolls back, and the rerun gives the same roster)."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from workflows.core import regions
from workflows.core.locks import lock_county
from workflows.core.models import BankAccount, Beneficiary, BeneficiaryState, Household, Member, Overpayment, OverpaymentPlan, OverpaymentState, Region
from workflows.policy import recheck, subsidy
from workflows.policy.models import Standard

from .models import BUILDABLE, CpiFigure, CycleState, LineKind, LineStatus, PaymentCycle, RosterLine, SubsidyRule

BATCH_SIZE = 2000
ZERO = Decimal("0")
# Reference suffix per line kind: benefit (基本), price subsidy, arrears, recovery.
_REF: dict[str, str] = {LineKind.PRICE_SUBSIDY: "P", LineKind.ARREARS: "A", LineKind.RECOVERY: "R"}


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
    # A recheck's decision on one of the county's beneficiaries waits, or is waited for.
    lock_county(cycle.county_id)
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
    _step_down_exits(cycle, prefix, month)
    _deduct_overpayments(cycle, prefix)

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
# Beneficiary `b` is in payment this month (params: _in_payment_params): active; in gradual
# exit up to its last month; stopped by a recheck, up to the last month paid (no payment from
# the month after the decision, or after a death's month).
_IN_PAYMENT = "b.first_paid_month <= %s AND (b.state = %s OR (b.state = %s AND b.gradual_exit_until >= %s) OR (b.state IN (%s, %s) AND b.paid_until >= %s))"
# The monthly amount for the month (param: month): a decided change counts from its month.
_AMOUNT = "(CASE WHEN b.next_amount_from <= %s THEN b.next_amount ELSE b.monthly_amount END)"


def _in_payment_params(month: date) -> list:
    stopped = [BeneficiaryState.TERMINATED.value, BeneficiaryState.EXITED.value]
    return [month, BeneficiaryState.ACTIVE.value, BeneficiaryState.GRADUAL_EXIT.value, month, *stopped, month]


def _insert_benefit_lines(cycle: PaymentCycle, prefix: str, month: date) -> None:
    """One benefit line per paying beneficiary, in beneficiary order, the full amount, to the
    person and account of _payee_joins."""
    sql = f"""
        INSERT INTO {RosterLine._meta.db_table} (cycle_id, beneficiary_id, kind, region_code, name, id_number, covered_members, gross_amount, offset_amount, amount,
                            account_name, card_number, bank_name, reference, status, fail_reason)
        SELECT %s, b.id, b.kind, b.region_code, {_PAYEE}, b.covered_members,
               {_AMOUNT}, 0, {_AMOUNT},
               {_PAYEE_ACCOUNT},
               CAST(%s AS varchar(40)) || '-' || CAST(b.id AS varchar(20)) || '-J', %s, ''
        FROM {Beneficiary._meta.db_table} b
        {_payee_joins()}
        WHERE b.region_code LIKE %s AND {_AMOUNT} > 0 AND b.kind <> 'marginal' AND {_IN_PAYMENT}
        ORDER BY b.id
    """
    like = prefix + "%"
    with connection.cursor() as cursor:
        # Nothing to pay, no line: a 低保边缘家庭 is recognised, not paid (最低生活保障审核确认办法),
        # whatever amount a hand-made row carries.
        cursor.execute(sql, [cycle.pk, month, month, cycle.batch, LineStatus.PENDING.value, like, like, like, like, month, *_in_payment_params(month)])


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
    "overpayment_id",
]


def _line(common: dict, **values) -> dict:
    return {"offset_amount": ZERO, "status": LineStatus.PENDING.value, "fail_reason": "", "overpayment_id": None, **common, **values}


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
    failed = list(
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


def _step_down_exits(cycle: PaymentCycle, prefix: str, month: date) -> None:
    """A gradual exit the county steps down (its rule when the exit was decided): this month's
    step instead of the full amount (``Beneficiary.amount_for``). Few rows: done in Python."""
    stepping = Beneficiary.objects.filter(region_code__startswith=prefix, state=BeneficiaryState.GRADUAL_EXIT, gradual_exit_step_down=True)
    lines = RosterLine.objects.filter(cycle=cycle, beneficiary__in=stepping).exclude(kind__in=[LineKind.PRICE_SUBSIDY, LineKind.ARREARS, LineKind.RECOVERY])
    for line in lines.select_related("beneficiary"):
        amount = line.beneficiary.amount_for(month)
        if amount != line.gross_amount:
            line.gross_amount = line.amount = amount
            line.save(update_fields=["gross_amount", "amount"])


def _deduct_overpayments(cycle: PaymentCycle, prefix: str) -> None:
    """Overpayments recovered by deduction (社会救助暂行办法 art 68): each benefit line of a
    beneficiary who owes keeps back at most the overpayment's share of it
    (``recheck.monthly_deduction``), never more than remains after what other cycles not yet
    reconciled keep back; a RECOVERY line beside records it. Few rows: done in Python."""
    owed = list(
        Overpayment.objects.filter(region_code__startswith=prefix, state=OverpaymentState.OPEN, plan=OverpaymentPlan.DEDUCT).order_by("beneficiary_id", "pk")
    )
    if not owed:
        return
    pending = dict(
        RosterLine.objects.filter(kind=LineKind.RECOVERY, overpayment__in=owed)
        .exclude(cycle=cycle)
        .exclude(cycle__state__in=[CycleState.RECONCILED, CycleState.CLOSED])
        .values("overpayment_id")
        .annotate(total=Sum("gross_amount"))
        .values_list("overpayment_id", "total")
    )
    benefit = {
        line.beneficiary_id: line
        for line in RosterLine.objects.filter(cycle=cycle, beneficiary_id__in={o.beneficiary_id for o in owed}).exclude(
            kind__in=[LineKind.PRICE_SUBSIDY, LineKind.ARREARS, LineKind.RECOVERY]
        )
    }
    records = []
    for overpayment in owed:
        line = benefit.get(overpayment.beneficiary_id)
        if line is None:
            continue
        amount = recheck.monthly_deduction(line.amount, overpayment.remaining - pending.get(overpayment.pk, ZERO), overpayment.deduct_share)
        if amount <= 0:
            continue
        line.offset_amount += amount
        line.amount -= amount
        line.save(update_fields=["offset_amount", "amount"])
        records.append(
            _line(
                {
                    f: getattr(line, f)
                    for f in ("cycle_id", "beneficiary_id", "region_code", "name", "id_number", "covered_members", "account_name", "card_number", "bank_name")
                },
                kind=LineKind.RECOVERY,
                gross_amount=amount,
                amount=ZERO,
                reference=_reference(cycle, line.beneficiary_id, LineKind.RECOVERY),
                status=LineStatus.PAID.value,
                overpayment_id=overpayment.pk,
            )
        )
    insert_lines(records)


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
