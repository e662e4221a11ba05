"""The roster build: who is paid, how much, idempotent rebuilds, crash and rerun, constraints."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_fsm import TransitionNotAllowed

from tests.factories import COUNTY, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_user
from workflows.payments import roster, services
from workflows.payments.models import CpiFigure, CycleState, PaymentCycle, RosterLine, SubsidyRule
from workflows.relief.models import ReliefCase, event_key

from .conftest import MAY, OTHER_VILLAGE, enroll, lines_snapshot, open_cycle

# A cycle's roster is built by a job that runs once the cycle's opening commits.
pytestmark = pytest.mark.django_db(transaction=True)


def relief(beneficiary, amount, user):
    """A paid interim relief for the beneficiary's household (M6)."""
    household = beneficiary.household
    case = ReliefCase(
        household=household,
        person=household.members.first(),
        region_code=household.region_code,
        kind="emergency",
        reason="火灾",
        event_key=event_key("火灾"),
        amount=Decimal(amount),
        dibao_standard=Decimal("750"),
        interim_cap=Decimal("7500"),
        small_amount_cap=Decimal("1000"),
        small_amount_first=True,
        proposed_on=date(2026, 4, 2),
        created_by=user,
    )
    case.pay(date(2026, 4, 2), date(2026, 4, 16))  # the transition the reserve-fund payment runs
    case.save()
    return case


def test_roster_pays_exactly_who_is_due_this_month(county):
    gradual_on = enroll(VILLAGE_A, "渐退中", "300", 1, state="gradual_exit", until=MAY)
    enroll(VILLAGE_A, "渐退期满", "300", 1, state="gradual_exit", until=date(2026, 4, 1))
    enroll(VILLAGE_B, "暂停", "500", 1, state="suspended")
    enroll(VILLAGE_B, "已终止", "500", 1, state="terminated")
    enroll(VILLAGE_B, "下月起", "500", 1, first=date(2026, 6, 1))
    enroll(OTHER_VILLAGE, "外县", "500", 1)
    enroll(VILLAGE_B, "边缘户", "0", 2, kind="marginal")  # recognised, not paid: no line
    enroll(VILLAGE_B, "边缘误填", "450", 2, kind="marginal")  # an amount typed on a marginal row pays nothing either
    cycle = open_cycle().cycle
    assert cycle.state == CycleState.ROSTER_BUILT
    paid = {line.name: line.amount for line in cycle.lines.all()}
    assert paid == {"甲一": Decimal("800"), "甲二": Decimal("620"), "乙一": Decimal("940"), "渐退中": Decimal("300")}
    assert cycle.line_count == 4 and cycle.total_amount == Decimal("2660")
    line = cycle.lines.get(beneficiary=gradual_on)
    assert line.card_number and line.reference == f"340121-202605-{gradual_on.pk}-J"
    totals = {t["township"]: (t["lines"], t["due"]) for t in roster.township_totals(cycle.lines.all())}
    assert totals == {TOWNSHIP_A[:9]: (3, Decimal("1720")), TOWNSHIP_B[:9]: (1, Decimal("940"))}


def test_interim_relief_is_never_deducted_from_the_benefit(county):
    """Relief is given first (先行给予, M6), not advanced: a 1,000 元 relief paid in April
    leaves May's 800 元 dibao line whole, in every rebuild and in the next month too."""
    user = make_user("clerk_x", "township_clerk", TOWNSHIP_A)
    relief(county["a1"], "1000", user)
    cycle = open_cycle().cycle
    line = cycle.lines.get(beneficiary=county["a1"])
    assert (line.gross_amount, line.offset_amount, line.amount) == (Decimal("800"), Decimal("0"), Decimal("800"))
    assert cycle.total_amount == Decimal("2360")
    roster.build_roster(cycle)
    assert cycle.lines.get(beneficiary=county["a1"]).amount == Decimal("800")


def test_price_subsidy_lines_when_the_city_cpi_triggers(county):
    marginal = enroll(VILLAGE_B, "边缘户", "0", 2, kind="marginal")
    cycle = open_cycle().cycle
    assert not cycle.lines.filter(kind="price_subsidy").exists()
    CpiFigure.objects.create(city_id="340100000000", month=MAY, cpi_yoy=Decimal("3.5"), food_cpi_yoy=Decimal("2"))
    roster.build_roster(cycle)
    subsidies = {line.beneficiary_id: line.amount for line in cycle.lines.filter(kind="price_subsidy")}
    # rural standard 750 × 3.5% = 26.25 → 26 a person; the marginal household gets none
    assert subsidies == {county["a1"].pk: Decimal("52"), county["a2"].pk: Decimal("26"), county["b1"].pk: Decimal("78")}
    assert marginal.pk not in subsidies
    # a city's lower threshold: 3.2% triggers there
    CpiFigure.objects.filter(month=MAY).update(cpi_yoy=Decimal("3.2"))
    roster.build_roster(cycle)
    assert not cycle.lines.filter(kind="price_subsidy").exists()
    SubsidyRule.objects.create(
        city_id="340100000000", valid_from=date(2026, 1, 1), cpi_threshold=Decimal("3.0"), food_threshold=Decimal("6"), source="合肥市价格临时补贴通知（测试）"
    )
    roster.build_roster(cycle)
    assert cycle.lines.filter(kind="price_subsidy").count() == 3


def test_a_crash_mid_build_leaves_nothing_and_the_rerun_gives_the_same_roster(county, monkeypatch):
    for i in range(7):
        enroll(VILLAGE_B, f"丙{i}", "500", 1)
    cycle = open_cycle().cycle
    expected = lines_snapshot(cycle)
    assert len(expected) == 10

    real = roster.insert_lines

    def crash_after_three_lines(lines):
        real(lines[:3])
        raise RuntimeError("worker killed")

    monkeypatch.setattr(roster, "insert_lines", crash_after_three_lines)
    with pytest.raises(RuntimeError):
        roster.build_roster(cycle)
    assert lines_snapshot(cycle) == expected  # rolled back to the previous build, not 3 lines

    monkeypatch.setattr(roster, "insert_lines", real)
    roster.build_roster(cycle)
    roster.build_roster(cycle)
    assert lines_snapshot(cycle) == expected
    assert RosterLine.objects.count() == 10


def test_a_crash_in_the_first_build_leaves_the_cycle_open(county, monkeypatch):
    monkeypatch.setattr(roster, "insert_lines", lambda lines: (_ for _ in ()).throw(RuntimeError("killed")))
    from workflows.payments.flows import PaymentFlow
    from workflows.payments.models import PaymentProcess

    process = PaymentProcess.objects.create(flow_class=PaymentFlow)
    from workflows.core.models import Region

    cycle = services.open_cycle(process, Region.objects.get(code=COUNTY), MAY)
    with pytest.raises(RuntimeError):
        roster.build_roster(cycle)
    cycle.refresh_from_db()
    assert cycle.state == CycleState.OPEN and not cycle.lines.exists()
    monkeypatch.undo()
    roster.build_roster(cycle)
    assert cycle.lines.count() == 3


def test_the_database_refuses_a_second_line_for_the_same_beneficiary_and_kind(county):
    cycle = open_cycle().cycle
    line = cycle.lines.first()
    line.pk, line.reference = None, "another-reference"
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    line.kind = "price_subsidy"
    line.save()  # another kind for the same beneficiary is a separate payment


def test_a_submitted_roster_cannot_be_rebuilt(county):
    process = open_cycle()
    services.submit_roster(process, date(2026, 4, 28))
    with pytest.raises(ValidationError, match="已报送，不能重新生成"):
        roster.build_roster(process.cycle)
    cycle = PaymentCycle.objects.get()
    with pytest.raises(TransitionNotAllowed):
        cycle.mark_built(0, Decimal("0"), None)
    assert cycle.lines.count() == 3


def test_deadlines_in_months_with_holidays(county):
    # 2026-05-05 is in the Labour Day holiday: the roster is due on the last working day
    # before it, 30 April; 9 May is a make-up working Saturday; 15 May is a Friday.
    may = open_cycle().cycle
    assert (may.roster_due, may.funds_due, may.bank_due) == (date(2026, 4, 30), date(2026, 5, 9), date(2026, 5, 15))
    # 2026-10: National Day holiday; 10 October is a make-up working Saturday
    october = open_cycle(date(2026, 10, 1)).cycle
    assert (october.roster_due, october.funds_due, october.bank_due) == (date(2026, 9, 30), date(2026, 10, 10), date(2026, 10, 15))
    # February 2026: the 15th is a Sunday in the Spring Festival: paid by Saturday the 14th (make-up day)
    february = open_cycle(date(2026, 2, 1)).cycle
    assert february.bank_due == date(2026, 2, 14)


def test_beat_opens_cycles_from_their_opening_day(county):
    from workflows.payments.tasks import open_monthly_cycles

    # May's roster is due 30 April, so May's cycle opens with April's, on 1 April
    assert services.opening_day(MAY) == date(2026, 4, 1)
    assert services.opening_day(date(2026, 6, 1)) == date(2026, 6, 1)
    assert open_monthly_cycles.apply(args=["2026-03-31"]).get() == 2  # March, for both counties
    assert open_monthly_cycles.apply(args=["2026-04-01"]).get() == 4  # April and May
    assert sorted(PaymentCycle.objects.filter(county_id=COUNTY).values_list("month", flat=True)) == [date(2026, 3, 1), date(2026, 4, 1), MAY]
    assert open_monthly_cycles.apply(args=["2026-04-02"]).get() == 0
    assert PaymentCycle.objects.get(county_id=COUNTY, month=MAY).state == CycleState.ROSTER_BUILT


def test_a_cycle_opens_once_per_county_and_month(county):
    open_cycle()
    with pytest.raises(ValidationError, match="已经开启"):
        open_cycle()
    assert PaymentCycle.objects.count() == 1


def test_each_line_goes_to_the_right_person_and_account(county):
    from workflows.core.models import BankAccount, Beneficiary

    from .conftest import card

    # a single-person beneficiary (单人户) is paid as the member covered, to their own account
    household = county["a1"].household
    spouse = household.members.exclude(relation="head").get()
    own = BankAccount.objects.create(household=household, member=spouse, account_name=spouse.name, card_number=card(), bank_name="长丰农商银行")
    single = Beneficiary.objects.create(
        household=household, member=spouse, kind="single_person", monthly_amount=Decimal("450"), covered_members=1, first_paid_month=date(2026, 1, 1)
    )
    # a household without an active account gets a line with no account (the review page flags it)
    closed = enroll(VILLAGE_B, "无账户", "500", 1)
    BankAccount.objects.filter(household=closed.household).update(active=False)
    # a household whose head has two accounts is paid to the first one opened
    twice = enroll(VILLAGE_B, "两张卡", "500", 1)
    first_card = BankAccount.objects.get(household=twice.household).card_number
    BankAccount.objects.create(
        household=twice.household, member=twice.household.members.get(), account_name="两张卡", card_number=card(), bank_name="长丰农商银行"
    )

    cycle = open_cycle().cycle
    lines = {line.beneficiary_id: line for line in cycle.lines.all()}
    assert (lines[single.pk].name, lines[single.pk].id_number, lines[single.pk].card_number) == (spouse.name, spouse.id_number, own.card_number)
    head = household.members.get(relation="head")
    assert (lines[county["a1"].pk].name, lines[county["a1"].pk].id_number) == (head.name, head.id_number)
    assert lines[county["a1"].pk].card_number == BankAccount.objects.filter(household=household).order_by("pk").first().card_number
    assert (lines[closed.pk].card_number, lines[closed.pk].account_name, lines[closed.pk].masked_card) == ("", "", "（无有效账户）")
    assert lines[twice.pk].card_number == first_card
    assert [line.beneficiary_id for line in cycle.lines.order_by("pk")] == sorted(lines)
