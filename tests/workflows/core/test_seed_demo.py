from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from stdnum import luhn

from workflows.core import regions as R
from workflows.core.data import anhui
from workflows.core.models import Asset, BankAccount, Beneficiary, Household, IncomeItem, Member, Region, StaffRole
from workflows.core.roles import ROLE_LEVELS, group_name
from workflows.core.validators import birth_date_of, sex_of, validate_id_number
from workflows.demo.seed import CASE_VILLAGE, DEMO_CASES, DEMO_PASSWORD, generate_households, staff_plan, story_households
from workflows.policy.defaults import NORTH_CITY_CODES
from workflows.policy.models import Standard
from workflows.policy.rules import EXEMPT_INCOME_KINDS

MODELS = [Region, StaffRole, Standard, Household, Member, IncomeItem, Asset, BankAccount, Beneficiary]


def seed(households=30):
    # The households, staff and standards only: the demo cases are tested in test_demo_cases.
    call_command("seed_demo", households=households, seed=7, no_cases=True, stdout=StringIO())


@pytest.fixture
def seeded(db):
    seed()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS} | {"User": get_user_model().objects.count()}


@pytest.mark.django_db
def test_province_and_sixteen_cities_with_their_area(seeded):
    assert Region.objects.get(code="340000000000").name == "安徽省"
    cities = Region.objects.filter(level=R.LEVEL_CITY)
    assert cities.count() == 16
    assert cities.get(code="340100000000").name == "合肥市"
    for city in cities:
        assert city.parent_id == "340000000000"
        assert city.area == ("north" if city.code[:4] in NORTH_CITY_CODES else "south")
    assert sorted(c.code[:4] for c in cities.filter(area="north")) == sorted(NORTH_CITY_CODES)


@pytest.mark.django_db
def test_two_cities_two_counties_three_townships_four_villages(seeded):
    counties = Region.objects.filter(level=R.LEVEL_COUNTY)
    assert {c.code[:6]: c.name for c in counties} == {"340121": "长丰县", "340122": "肥东县", "341221": "临泉县", "341222": "太和县"}
    assert Counter(c.parent_id for c in counties) == {"340100000000": 2, "341200000000": 2}
    for county in counties:
        townships = Region.objects.filter(parent=county)
        assert townships.count() == 3 and all(t.level == R.LEVEL_TOWNSHIP for t in townships)
        for township in townships:
            villages = Region.objects.filter(parent=township)
            assert villages.count() == 4
            assert all(v.level == R.LEVEL_VILLAGE and R.parent_code(v.code) == township.code and v.registered_population for v in villages)


@pytest.mark.django_db
def test_members_have_valid_ids_matching_birth_date_and_sex(seeded):
    members = list(Member.objects.all())
    assert len(members) >= 30
    for m in members:
        validate_id_number(m.id_number)
        assert m.birth_date == birth_date_of(m.id_number)
        assert m.sex == sex_of(m.id_number)


@pytest.mark.django_db
def test_fields_that_save_derives_are_set(seeded):
    for household in Household.objects.prefetch_related("members"):
        assert household.region_code == household.hukou_region_id
        heads = [m for m in household.members.all() if m.relation == "head"]
        assert len(heads) == 1 and household.head_name == heads[0].name
    for item in IncomeItem.objects.all():
        assert item.exempt == (item.kind in EXEMPT_INCOME_KINDS)
    for beneficiary in Beneficiary.objects.select_related("household"):
        assert beneficiary.region_code == beneficiary.household.region_code
        assert beneficiary.first_paid_month.day == 1


@pytest.mark.django_db
def test_every_household_has_a_luhn_valid_card(seeded):
    accounts = list(BankAccount.objects.select_related("member"))
    assert len(accounts) == Household.objects.count()
    for account in accounts:
        assert len(account.card_number) in (16, 19) and luhn.is_valid(account.card_number)
        assert account.account_name == account.member.name


@pytest.mark.django_db
def test_one_user_per_role_with_the_right_region_level_and_group(seeded):
    roles = StaffRole.objects.select_related("user")
    assert {r.role for r in roles} == {code for code, _ in StaffRole.ROLE_CHOICES}
    for role in roles:
        assert R.level_of(role.region_id) in ROLE_LEVELS[role.role]
        assert role.user.groups.filter(name=group_name(role.role)).exists()
        # Chinese order in one field: get_full_name() would put a space after the given name.
        assert len(role.user.first_name) >= 2 and not role.user.last_name
    clerk = get_user_model().objects.get(username="clerk_340121100")
    assert clerk.check_password(DEMO_PASSWORD)
    assert clerk.staff_roles.get().region_id == "340121100000"
    assert StaffRole.objects.get(user__username="caseworker_340121100001").region_id == "340121100001"
    assert StaffRole.objects.get(user__username="countyhead_340121").region_id == "340121000000"
    assert StaffRole.objects.get(user__username="supervisor_3401").region_id == "340100000000"
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin12345")


@pytest.mark.django_db
def test_a_second_clerk_in_another_township_of_the_same_county(seeded):
    clerks = StaffRole.objects.filter(role=StaffRole.TOWNSHIP_CLERK, region__code__startswith="340121")
    assert {c.region_id for c in clerks} == {"340121100000", "340121101000"}


@pytest.mark.django_db
def test_demo_standards_per_county_and_area_type(seeded):
    standards = Standard.objects.all()
    assert {(s.county_id, s.area_type) for s in standards} == {(c, a) for c in anhui.DEMO_COUNTIES for a in ("urban", "rural")}
    for s in standards:
        assert Decimal("700") <= s.dibao_standard <= Decimal("900")


@pytest.mark.django_db
def test_running_twice_changes_nothing(seeded):
    before = counts()
    seed()
    seed(households=50)
    assert counts() == before


@pytest.mark.django_db
def test_database_holds_exactly_what_the_generator_gives(seeded):
    specs = generate_households(7, 30)
    first = Household.objects.order_by("id").first()
    assert first.head_name == specs[0].head_name
    generated = Member.objects.exclude(household__region_code=CASE_VILLAGE, household__head_name__in=[c[0] for c in DEMO_CASES])
    assert set(generated.values_list("id_number", flat=True)) == {m.id_number for s in specs for m in s.members}


@pytest.mark.django_db
def test_named_demo_cases_exercise_each_kind(seeded):
    from datetime import date

    from workflows.core.services import household_facts, standard_for
    from workflows.policy import rules

    day = date(2026, 12, 1)

    def outcome(head, kind, member=None):
        household = Household.objects.get(region_code=CASE_VILLAGE, head_name=head)
        facts = household_facts(household, day)
        return rules.application_outcome(kind, facts, standard_for(household, day).values(day), member)

    # urban standard of 长丰县 in the demo: 880; 1.3 × = 1144.00, care (self-care not assessed) 0
    assert outcome("周德福", "tekun").monthly_amount == Decimal("1144.00")
    assert outcome("冯建国", "marginal").eligible and not outcome("冯建国", "dibao").eligible
    assert outcome("冯建国", "single_person", 1).monthly_amount == Decimal("880.00")
    assert not outcome("钱有余", "dibao").eligible
    assert outcome("陈志强", "dibao").monthly_amount == Decimal("240.00")  # 880 × 3 − (3000 − 200 − 400)


def test_generator_is_deterministic_for_a_seed():
    assert generate_households(7, 200) == generate_households(7, 200)
    assert [s.head_name for s in generate_households(7, 20)] != [s.head_name for s in generate_households(8, 20)]
    assert staff_plan() == staff_plan()


def test_generated_people_are_consistent():
    specs = generate_households(2022, 2000)
    ids = [m.id_number for s in specs for m in s.members]
    assert len(ids) == len(set(ids))
    cards = [s.bank[1] for s in specs]
    assert len(cards) == len(set(cards))
    for s in specs:
        head = s.members[0]
        assert head.relation == "head" and 1 <= len(s.members) <= 5
        for m in s.members:
            if m.relation in ("child", "grandchild"):
                assert m.age < head.age
            if m.relation == "parent":
                assert m.age > head.age
            if m.relation == "spouse":
                assert m.sex != head.sex
            if m.in_school:
                assert 6 <= m.age < 23
    assert 0.01 < sum(bool(m.disability_type) for s in specs for m in s.members) / len(ids) < 0.1


def test_about_thirty_percent_of_households_below_the_standard():
    specs = generate_households(2022, 2000)
    below = 0
    for s in specs:
        counted = sum(amount for _, kind, amount, _ in s.incomes if kind not in EXEMPT_INCOME_KINDS)
        county = R.county_of(s.village)
        below += counted / len(s.members) < anhui.DEMO_STANDARDS[county][s.area_type]
    assert 0.25 < below / len(specs) < 0.35
    kinds = Counter(s.beneficiary[0] for s in specs if s.beneficiary)
    assert kinds["dibao"] and kinds["marginal"] and kinds["tekun_dispersed"] and kinds["single_person"]


def test_story_households_qualify_and_never_collide_with_generated_ones():
    from workflows.demo.cases import story_villages

    stories = story_households(2022, story_villages())
    generated = generate_households(2022, 5000)
    ids = {m.id_number for s in generated for m in s.members}
    cards = {s.bank[1] for s in generated}
    for s in stories:
        assert s.beneficiary is None and luhn.is_valid(s.bank[1]) and s.bank[1] not in cards
        assert not ids & {m.id_number for m in s.members}
        for m in s.members:
            validate_id_number(m.id_number)
        counted = sum(amount for _, kind, amount, _ in s.incomes if kind not in EXEMPT_INCOME_KINDS)
        assert counted / len(s.members) < anhui.DEMO_STANDARDS["340121000000"][s.area_type]
