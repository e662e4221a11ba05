"""Demo data: Anhui regions, one staff user per role, standards, and generated households.

Running it again leaves the same data (`make run` calls it every time):
- regions are upserted, standards and staff users are created only when missing;
- households are generated only while the demo villages hold none. To reseed with another
  size or seed, empty the database first (`manage.py flush`).

Household generation is a pure function of (seed, count) (`generate_households`): the same
seed gives the same names, ID numbers and cards on any day, so ages are counted on the fixed
REFERENCE_DAY, not today. Rows are written with bulk_create, which skips Model.save(), so the
fields save() derives (region_code, birth_date, sex, exempt) are set here.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from itertools import accumulate
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as ZhPerson
from faker.providers.phone_number.zh_CN import Provider as ZhPhone
from stdnum import luhn
from stdnum.cn import ric

from documents.models import Issuer
from workflows.core.data import anhui
from workflows.core.models import (
    Asset,
    BankAccount,
    Beneficiary,
    DisabilityType,
    Employment,
    Household,
    IncomeItem,
    Member,
    Region,
    RigidCost,
    StaffRole,
)
from workflows.policy.calendar import CalendarYearMissing
from workflows.policy.models import Standard
from workflows.policy.rules import EXEMPT_INCOME_KINDS

from . import cases
from . import monitoring as demo_monitoring
from . import petitions as demo_petitions

DEMO_PASSWORD = "demo12345"
ADMIN_USERNAME, ADMIN_PASSWORD = "admin", "admin12345"
BATCH = 5000
# Ages are counted on this day so that a seed gives the same people whenever it runs.
REFERENCE_DAY = date(2025, 6, 30)
STANDARD_VALID_FROM = date(2024, 1, 1)

# Name pools from Faker's zh_CN provider, sampled with our own seeded Random: one Faker call
# costs ~20 µs, too slow for the 300,000 names of the benchmark.
SURNAMES = list(ZhPerson.last_names)
SURNAME_WEIGHTS = list(accumulate(ZhPerson.last_names.values()))
MALE_NAMES = ZhPerson.first_names_male
FEMALE_NAMES = ZhPerson.first_names_female
MALE_CHARS = sorted({c for n in MALE_NAMES for c in n})
FEMALE_CHARS = sorted({c for n in FEMALE_NAMES for c in n})
PHONE_PREFIXES = [str(p) for p in ZhPhone.phonenumber_prefixes]

DISABILITIES = [d for d in DisabilityType.values if d]
HOUSEHOLD_SIZES, SIZE_WEIGHTS = [1, 2, 3, 4, 5], list(accumulate([22, 27, 23, 17, 11]))
FIRST_PAID_MONTHS = [date(y, m, 1) for y in range(2019, 2026) for m in range(1, 13) if date(y, m, 1) <= REFERENCE_DAY]


@dataclass
class MemberSpec:
    name: str
    id_number: str
    relation: str
    birth_date: date
    sex: str
    age: int
    disability_type: str = ""
    disability_grade: int | None = None
    serious_illness: bool = False
    employment: str = Employment.UNEMPLOYED
    in_school: bool = False


@dataclass
class HouseholdSpec:
    village: str
    residence: str
    area_type: str
    address: str
    phone: str
    members: list[MemberSpec]
    # (member index or None, kind, monthly amount, note)
    incomes: list[tuple] = field(default_factory=list)
    # (kind, description, value)
    assets: list[tuple] = field(default_factory=list)
    # (member index, card number, bank name)
    bank: tuple = ()
    # (kind, member index or None, monthly amount, covered members, first paid month) or None
    beneficiary: tuple | None = None

    @property
    def head_name(self) -> str:
        return self.members[0].name


def demo_villages():
    """[(village code, village name, township name, county code, population)] in code order."""
    found = []
    for county, (_, townships) in anhui.DEMO_COUNTIES.items():
        for township9, township_name, villages in townships:
            found += [(township9 + suffix, name, township_name, county, population) for suffix, name, population in villages]
    return found


def is_community(village_code: str) -> bool:
    """Village codes 0xx are urban communities (社区), 2xx rural villages (村)."""
    return village_code[9] == "0"


def id_address_code(county: str, birth_year: int) -> str:
    for code, first, last in anhui.ID_ADDRESS_CODES[county]:
        if (first is None or birth_year >= first) and (last is None or birth_year <= last):
            return code
    raise ValueError(f"{county} 在 {birth_year} 年没有身份证地址码")


def money(value: float) -> Decimal:
    return Decimal(round(value)).quantize(Decimal("0.01"))


class Generator:
    """Everything random comes from one Random(seed) and counters, never from the database."""

    def __init__(self, seed: int, first_sequence: int = 0, first_card: int = 0):
        self.rng = random.Random(seed)
        self.sequences: dict[str, int] = {}
        # Numbers past those of the generated households (the demo cases' own households).
        self.first_sequence = first_sequence
        self.cards = first_card

    # --- people ---------------------------------------------------------------------------

    def surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]

    def given_name(self, sex: str) -> str:
        names, chars = (MALE_NAMES, MALE_CHARS) if sex == "M" else (FEMALE_NAMES, FEMALE_CHARS)
        if self.rng.random() < 0.45:
            return self.rng.choice(names)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, county: str, birth: date, sex: str) -> str:
        """A valid GB 11643 number; the sequence is counted per address and day, odd for men."""
        prefix = id_address_code(county, birth.year) + birth.strftime("%Y%m%d")
        key = prefix + sex
        k = self.sequences.get(key, self.first_sequence)
        self.sequences[key] = k + 1
        sequence = 2 * k + (1 if sex == "M" else 2)
        if sequence > 999:
            raise ValueError(f"身份证顺序码用尽：{prefix}")
        number17 = f"{prefix}{sequence:03d}"
        return number17 + ric.calc_check_digit(number17 + "0")

    def person(self, county: str, relation: str, age: int, sex: str, surname: str) -> MemberSpec:
        birth = REFERENCE_DAY - timedelta(days=age * 365 + age // 4 + self.rng.randint(1, 364))
        return MemberSpec(
            name=surname + self.given_name(sex),
            id_number=self.id_number(county, birth, sex),
            relation=relation,
            birth_date=birth,
            sex=sex,
            age=age,
        )

    def members(self, county: str, size: int, is_urban: bool) -> list[MemberSpec]:
        rng = self.rng
        head_age = rng.randint(60, 88) if size == 1 and rng.random() < 0.6 else rng.randint(24, 82)
        head_sex = "M" if rng.random() < 0.75 else "F"
        head_surname = self.surname()
        people = [self.person(county, "head", head_age, head_sex, head_surname)]
        other = "F" if head_sex == "M" else "M"
        spouse_surname = None
        if size > 1 and rng.random() < 0.85:
            spouse_age = min(95, max(20, head_age + rng.randint(-5, 5)))
            spouse_surname = self.surname()
            people.append(self.person(county, "spouse", spouse_age, other, spouse_surname))
        father_surname = head_surname if head_sex == "M" or spouse_surname is None else spouse_surname
        parents = 0
        while len(people) < size:
            if head_age <= 62 and parents < 2 and rng.random() < 0.3:
                parent_age = min(95, head_age + rng.randint(20, 32))
                sex = "M" if parents == 0 else "F"
                people.append(self.person(county, "parent", parent_age, sex, head_surname if sex == "M" else self.surname()))
                parents += 1
                continue
            sex = "M" if rng.random() < 0.52 else "F"
            grandchild_age = head_age - rng.randint(44, 60)
            if head_age >= 55 and grandchild_age >= 0 and rng.random() < 0.4:
                people.append(self.person(county, "grandchild", grandchild_age, sex, father_surname))
                continue
            child_age = head_age - rng.randint(20, 38)
            if child_age < 0:
                child_age = rng.randint(0, max(0, head_age - 20))
            people.append(self.person(county, "child", child_age, sex, father_surname))
        for person in people:
            self.conditions(person, is_urban)
        return people

    def conditions(self, person: MemberSpec, is_urban: bool) -> None:
        rng, age = self.rng, person.age
        if rng.random() < (0.09 if age >= 60 else 0.03):
            person.disability_type = rng.choice(DISABILITIES)
            person.disability_grade = rng.randint(1, 4)
        person.serious_illness = rng.random() < (0.06 if age >= 50 else 0.015)
        severe = person.disability_grade in (1, 2) or person.serious_illness
        if age < 6:
            person.employment = Employment.CHILD
        elif age < 18 or (age < 23 and rng.random() < 0.45):
            person.employment, person.in_school = Employment.STUDENT, True
        elif severe or age >= 75:
            person.employment = Employment.UNABLE
        elif age >= 60:
            weights = [0, 6, 2] if is_urban else [5, 1, 3]
            person.employment = rng.choices([Employment.FARMING, Employment.RETIRED, Employment.UNABLE], weights)[0]
        else:
            weights = [5, 4, 0, 2] if is_urban else [4, 3, 3, 1]
            person.employment = rng.choices([Employment.EMPLOYED, Employment.FLEXIBLE, Employment.FARMING, Employment.UNEMPLOYED], weights)[0]

    # --- money ------------------------------------------------------------------------------

    def incomes(self, people: list[MemberSpec], standard: int, is_urban: bool) -> tuple[list[tuple], float]:
        """Income items; about 30% of households fall below the standard. Returns (items, per-capita countable)."""
        rng = self.rng
        band = rng.random()
        if band < 0.30:
            per_capita = standard * rng.uniform(0.1, 0.95)
        elif band < 0.42:
            per_capita = standard * rng.uniform(1.0, 1.45)
        else:
            per_capita = standard * rng.uniform(1.5, 5.0)
        total = per_capita * len(people)
        earners = [i for i, p in enumerate(people) if p.employment in (Employment.EMPLOYED, Employment.FLEXIBLE, Employment.FARMING, Employment.RETIRED)]
        items: list[tuple[int | None, str, Decimal, str]] = []
        if earners:
            shares = [rng.uniform(0.5, 1.5) for _ in earners]
            for i, share in zip(earners, shares, strict=False):
                amount = money(total * share / sum(shares))
                by_employment: dict[str, tuple[str, str]] = {
                    Employment.EMPLOYED: ("wage", "务工收入"),
                    Employment.FLEXIBLE: ("wage", "灵活就业收入") if rng.random() < 0.6 else ("business", "个体经营"),
                    Employment.FARMING: ("business", rng.choice(["种植业收入", "养殖业收入"])),
                    Employment.RETIRED: ("transfer", "退休金"),
                }
                kind, note = by_employment[people[i].employment]
                items.append((i, kind, amount, note))
        elif total >= 1:
            items.append((None, "support", money(total), "子女赡养费"))
        countable = float(sum(item[2] for item in items))
        for i, person in enumerate(people):
            if person.age >= 60 and person.employment != Employment.RETIRED:
                items.append((i, "pension_basic", money(rng.randint(150, 260)), "城乡居民基础养老金"))
                if rng.random() < 0.12:
                    items.append((i, "family_planning", money(rng.choice([80, 100])), "农村部分计划生育家庭奖励扶助金"))
            if person.age >= 18 and rng.random() < 0.01:
                items.append((i, "allowance", money(rng.randint(300, 1500)), "优待抚恤金"))
            if person.in_school and rng.random() < 0.05:
                items.append((i, "award", money(rng.randint(50, 200)), "奖学金"))
        return items, countable / len(people)

    def assets(self, is_urban: bool, poor: bool) -> list[tuple]:
        rng, found = self.rng, []
        if rng.random() < 0.6:
            found.append(("deposit", "银行存款", money(rng.uniform(200, 8000) if poor else rng.uniform(3000, 80000))))
        if not is_urban and rng.random() < 0.7:
            found.append(("house", "宅基地自建房", money(rng.uniform(20000, 150000))))
        if is_urban and rng.random() < 0.4:
            found.append(("house", "自有住房", money(rng.uniform(150000, 600000))))
        if rng.random() < (0.03 if poor else 0.15):
            found.append(("vehicle", rng.choice(["小型轿车", "农用三轮车", "电动三轮车"]), money(rng.uniform(3000, 90000))))
        if not poor and rng.random() < 0.04:
            found.append(("business", "小卖部经营设备", money(rng.uniform(5000, 50000))))
        return found

    def card(self, county: str) -> tuple[str, str]:
        rng = self.rng
        bank = anhui.RURAL_BANKS[county] if rng.random() < 0.45 else rng.choices(anhui.NATIONAL_BANKS, [50, 35, 8, 7])[0]
        name, bin_, length = bank
        self.cards += 1
        # The running number, scrambled by a bijection of 0..10^7-1, keeps cards unique without looking sequential.
        body = f"{bin_}{rng.randint(10, 99)}{(self.cards * 7_654_321 + 1_234_567) % 10_000_000:07d}"
        tail = length - 1 - len(body)
        body += f"{rng.randrange(10**tail):0{tail}d}"
        return body + luhn.calc_check_digit(body), name

    def beneficiary(self, people: list[MemberSpec], per_capita: float, standard: int) -> tuple | None:
        rng = self.rng
        month = rng.choice(FIRST_PAID_MONTHS)
        size = len(people)
        if per_capita < standard:
            if rng.random() > 0.85:
                return None  # eligible on paper but not (yet) enrolled: material for proactive discovery
            head = people[0]
            if size == 1 and head.age >= 60 and per_capita < standard * 0.5 and rng.random() < 0.6:
                return ("tekun_dispersed", 0, money(standard * 1.3), 1, month)
            return ("dibao", None, money(max(30, (standard - per_capita) * size)), size, month)
        if per_capita < standard * 1.5:
            severe = [i for i, p in enumerate(people) if p.disability_grade in (1, 2) or p.serious_illness]
            if severe and size > 1:
                return ("single_person", severe[0], money(standard), 1, month)
            if rng.random() < 0.5:
                return ("marginal", None, money(0), size, month)
        return None

    # --- households -------------------------------------------------------------------------

    def household(self, village: tuple, residence: str) -> HouseholdSpec:
        rng = self.rng
        code, village_name, township_name, county, _ = village
        is_urban = is_community(code)
        area_type = "urban" if is_urban else "rural"
        standard = anhui.DEMO_STANDARDS[county][area_type]
        size = rng.choices(HOUSEHOLD_SIZES, cum_weights=SIZE_WEIGHTS)[0]
        people = self.members(county, size, is_urban)
        incomes, per_capita = self.incomes(people, standard, is_urban)
        if is_urban:
            address = f"{township_name}{village_name}{rng.randint(1, 30)}栋{rng.randint(1, 6)}0{rng.randint(1, 4)}室"
        else:
            address = f"{township_name}{village_name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号"
        phone = rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99999999):08d}"
        card, bank_name = self.card(county)
        return HouseholdSpec(
            village=code,
            residence=residence,
            area_type=area_type,
            address=address,
            phone=phone,
            members=people,
            incomes=incomes,
            assets=self.assets(is_urban, per_capita < standard),
            bank=(0, card, bank_name),
            beneficiary=self.beneficiary(people, per_capita, standard),
        )


def story_households(seed: int, villages: list[str]) -> list[HouseholdSpec]:
    """Households for the demo cases (workflows.demo.cases), one per village given: poor enough
    to qualify for dibao, not yet enrolled. Their ID and card numbers are drawn past any the
    generated households can reach, so the two never collide."""
    gen = Generator(seed + 1, first_sequence=450, first_card=5_000_000)
    by_code = {v[0]: v for v in demo_villages()}
    found = []
    for code in villages:
        spec = gen.household(by_code[code], code)
        standard = anhui.DEMO_STANDARDS[by_code[code][3]][spec.area_type]
        worker = next((i for i, m in enumerate(spec.members) if m.employment not in (Employment.CHILD, Employment.STUDENT)), 0)
        spec.incomes = [(worker, "wage", money(standard * 0.35 * len(spec.members)), "零星务工收入")]
        spec.assets = [("deposit", "银行存款", money(gen.rng.uniform(300, 3000)))]
        spec.beneficiary = None
        found.append(spec)
    return found


def generate_households(seed: int, count: int) -> list[HouseholdSpec]:
    """The demo households for a seed: pure Python, deterministic, no database."""
    gen = Generator(seed)
    villages = demo_villages()
    weights = list(accumulate(v[4] for v in villages))
    by_county: dict[str, list[str]] = {}
    for v in villages:
        by_county.setdefault(v[3], []).append(v[0])
    found = []
    for _ in range(count):
        village = gen.rng.choices(villages, cum_weights=weights)[0]
        # One in twenty lives in another village of the county than the hukou one.
        residence = gen.rng.choice(by_county[village[3]]) if gen.rng.random() < 0.05 else village[0]
        found.append(gen.household(village, residence))
    return found


# --- staff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffSpec:
    username: str
    role: str
    region: str
    last_name: str
    first_name: str


COUNTY_ROLES = [
    ("countyofficer", StaffRole.COUNTY_OFFICER),
    ("countyhead", StaffRole.COUNTY_HEAD),
    ("finance", StaffRole.FINANCE_OFFICER),
    ("bank", StaffRole.BANK_AGENT),
    ("petition", StaffRole.PETITION_OFFICER),
]
TOWNSHIP_ROLES = [
    ("clerk", StaffRole.TOWNSHIP_CLERK),
    ("reviewer", StaffRole.REVIEW_MEMBER),
    ("principal", StaffRole.TOWNSHIP_PRINCIPAL),
]


def staff_plan() -> list[StaffSpec]:
    """The demo staff, one user per role and region, with deterministic usernames and names.

    First township of each county: a caseworker per village, clerk, review member, principal;
    the second township: one more clerk (to show scoping); each county: the five county roles;
    each demo city and the province: a supervisor; each county: an administrator, the only
    demo staff who enter the admin (besides the superuser).
    """
    rng = random.Random("wjz-demo-staff")
    plan = []

    def add(username, role, region):
        sex = "M" if rng.random() < 0.6 else "F"
        names = MALE_NAMES if sex == "M" else FEMALE_NAMES
        plan.append(StaffSpec(username, role, region, rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0], rng.choice(names)))

    for county, (_, townships) in anhui.DEMO_COUNTIES.items():
        (first9, _, villages), (second9, _, _) = townships[0], townships[1]
        for suffix, _, _ in villages:
            add(f"caseworker_{first9}{suffix}", StaffRole.CASEWORKER, first9 + suffix)
        for prefix, role in TOWNSHIP_ROLES:
            add(f"{prefix}_{first9}", role, first9 + "000")
        add(f"clerk_{second9}", StaffRole.TOWNSHIP_CLERK, second9 + "000")
        for prefix, role in COUNTY_ROLES:
            add(f"{prefix}_{county[:6]}", role, county)
    for city in sorted({county[:4] for county in anhui.DEMO_COUNTIES}):
        add(f"supervisor_{city}", StaffRole.SUPERVISOR, city.ljust(12, "0"))
    add("supervisor_34", StaffRole.SUPERVISOR, anhui.PROVINCE[0])
    # Last, so that the names drawn for the accounts above stay as they were.
    for county in anhui.DEMO_COUNTIES:
        add(f"countyadmin_{county[:6]}", StaffRole.ADMINISTRATOR, county)
    # Petitions (信访工作条例): each first township's office, and each city's, which answers 复核.
    for _, townships in anhui.DEMO_COUNTIES.values():
        add(f"petition_{townships[0][0]}", StaffRole.PETITION_OFFICER, townships[0][0] + "000")
    for city in sorted({county[:4] for county in anhui.DEMO_COUNTIES}):
        add(f"petition_{city}", StaffRole.PETITION_OFFICER, city.ljust(12, "0"))
    return plan


class DemoSeeder:
    """Writes the demo data (the `seed_demo` command's work). Repeatable: regions are updated,
    accounts and standards made once, households only into empty demo villages."""

    def __init__(self, stderr=None):
        self.stderr = stderr if stderr is not None else StringIO()

    def run(self, households: int, seed: int, no_cases: bool = False, pki_dir: str | None = None) -> str:
        """Seed everything; returns the summary line."""
        with transaction.atomic():
            self.seed_regions()
            self.seed_standards()
            created_users = self.seed_staff()
            created = self.seed_households(households, seed)
            created += self.seed_named_households()
        # Each step of a case commits on its own, as in the web process: the jobs the flows
        # queue (economic verification, notices) run when their step commits.
        cases_note = "" if no_cases or households <= 0 else self.seed_cases(seed, pki_dir)
        if created:
            households_note = f"新建家庭 {created} 户。"
        elif existing := self.existing_households():
            households_note = f"演示村已有家庭 {existing} 户，未重复生成。"
        else:
            households_note = "未生成家庭。"
        return f"演示数据就绪：区划 {Region.objects.count()} 个，新建账号 {created_users} 个，{households_note}{cases_note}"

    def seed_cases(self, seed: int, pki_dir: str | None) -> str:
        """The demo cases (workflows.demo.cases): once, on a database that has none."""
        if cases.already_seeded():
            return "演示案件已存在，未重复生成。"
        township = Issuer.objects.filter(region_id=cases.TOWNSHIP).exclude(certificate_path="").first()
        if township is None or not township.certificate_path:
            call_command("init_dev_pki", **({"dir": pki_dir} if pki_dir else {}), stdout=StringIO())
        with transaction.atomic():
            specs = story_households(seed, cases.story_villages())
            made = insert_households(specs)
        households = dict(zip([s.key for s in cases.STORIES] + ["relief"], made, strict=False))
        try:
            cases.seed_cases(households, DEMO_PASSWORD)
            with cases.jobs_in_process():
                demo_petitions.seed()
                demo_monitoring.seed()
        except CalendarYearMissing as exc:
            self.stderr.write(f"演示案件未能全部生成：{exc.for_staff}")
            return "演示案件未能全部生成（见上）。"
        return "已生成各角色的演示待办（长丰县水湖镇）。"

    def seed_regions(self):
        rows = [
            Region(code=code, name=name, level=level, parent_id=parent, area=area, registered_population=population)
            for code, name, level, parent, area, population in anhui.demo_regions()
        ]
        Region.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "parent", "area", "registered_population"]
        )

    def seed_standards(self):
        for county, values in anhui.DEMO_STANDARDS.items():
            for area_type, amount in values.items():
                Standard.objects.get_or_create(
                    county_id=county, area_type=area_type, valid_from=STANDARD_VALID_FROM, defaults={"dibao_standard": Decimal(amount), **DEMO_CARE_STANDARDS}
                )

    def seed_staff(self) -> int:
        User = get_user_model()
        plan = staff_plan()
        existing = set(User.objects.filter(username__in=[s.username for s in plan] + [ADMIN_USERNAME]).values_list("username", flat=True))
        missing = [s for s in plan if s.username not in existing]
        if missing:
            # One hash for all demo accounts: hashing is deliberately slow (~0.3 s each).
            password = make_password(DEMO_PASSWORD)
            User.objects.bulk_create(
                [
                    User(
                        username=s.username, first_name=s.last_name + s.first_name, last_name="", password=password, is_staff=s.role == StaffRole.ADMINISTRATOR
                    )
                    for s in missing
                ]
            )
        if ADMIN_USERNAME not in existing:
            User.objects.create_superuser(ADMIN_USERNAME, password=ADMIN_PASSWORD, first_name="管理员")
        users = dict(User.objects.filter(username__in=[s.username for s in plan]).values_list("username", "id"))
        held = set(StaffRole.objects.filter(user_id__in=users.values()).values_list("user_id", "role", "region_id"))
        for s in plan:
            if (users[s.username], s.role, s.region) not in held:
                role = StaffRole(user_id=users[s.username], role=s.role, region_id=s.region)
                role.full_clean()
                role.save()
        return len(missing) + (ADMIN_USERNAME not in existing)

    def seed_named_households(self) -> int:
        """Named households in 水湖社区 that exercise each kind of decision (demo data)."""
        if Household.objects.filter(region_code=CASE_VILLAGE, head_name__in=[c[0] for c in DEMO_CASES]).exists():
            return 0
        for n, (head, people, incomes, assets, rigid) in enumerate(DEMO_CASES):
            household = Household.objects.create(
                hukou_region_id=CASE_VILLAGE, residence_region_id=CASE_VILLAGE, area_type="urban", head_name=head, address=f"水湖镇水湖社区{n + 1}栋101室"
            )
            members = []
            for i, (name, relation, birth, sex, extra) in enumerate(people):
                number17 = f"340121{birth:%Y%m%d}{901 + 2 * (n * 5 + i) + (0 if sex == 'M' else 1):03d}"
                members.append(
                    Member.objects.create(household=household, name=name, relation=relation, id_number=number17 + ric.calc_check_digit(number17 + "0"), **extra)
                )
            for index, kind, amount in incomes:
                IncomeItem.objects.create(household=household, member=members[index], kind=kind, monthly_amount=Decimal(amount))
            for kind, description, value, exempt in assets:
                Asset.objects.create(household=household, kind=kind, description=description, value=Decimal(value), exempt_use=exempt)
            for index, kind, amount, note in rigid:
                RigidCost.objects.create(household=household, member=members[index], kind=kind, monthly_amount=Decimal(amount), note=note)
            number = self.card_number(n)
            BankAccount.objects.create(
                household=household, member=members[0], account_name=members[0].name, card_number=number, bank_name="安徽长丰农村商业银行"
            )
        return len(DEMO_CASES)

    @staticmethod
    def card_number(n: int) -> str:
        body = f"62231999{n:010d}"
        return body + luhn.calc_check_digit(body)

    def existing_households(self) -> int:
        return Household.objects.filter(region_code__in=[v[0] for v in demo_villages()]).count()

    def seed_households(self, count: int, seed: int) -> int:
        if count <= 0 or self.existing_households():
            return 0
        specs = generate_households(seed, count)
        for start in range(0, len(specs), BATCH):
            insert_households(specs[start : start + BATCH])
        return len(specs)


# Demo care standards of 特困 per self-care level (plausible values, not official ones).
DEMO_CARE_STANDARDS = {"care_standard_full": Decimal("60.00"), "care_standard_partial": Decimal("240.00"), "care_standard_lost": Decimal("600.00")}
# Houses lived in and vehicles needed for work: left out of the property limits.
EXEMPT_USE_ASSETS = {"宅基地自建房", "自有住房", "农用三轮车"}

CASE_VILLAGE = "340121100001"  # 水湖社区 (urban standard 880 in the demo)
ADULT = {"employment": "unemployed"}
#: (head, [(name, relation, birth, sex, extra)], [(member, kind, amount)], [(kind, description, value, exempt_use)], [(member, kind, amount, note)])
DemoCase = tuple[
    str, list[tuple[str, str, date, str, dict[str, Any]]], list[tuple[int, str, str]], list[tuple[str, str, str, bool]], list[tuple[int, str, str, str]]
]
DEMO_CASES: list[DemoCase] = [
    # 特困: 72, alone, no income, no supporter
    ("周德福", [("周德福", "head", date(1954, 3, 8), "M", {"employment": "unable"})], [], [("house", "自住公租房", "0", True)], []),
    # marginal household: (2400 − 200) ÷ 2 = 1100 (≥ 880, < 1320); the son (grade-1 physical) alone as 单人户
    (
        "冯建国",
        [
            ("冯建国", "head", date(1976, 6, 2), "M", {"employment": "employed"}),
            ("冯小军", "child", date(2002, 9, 15), "M", {"employment": "unable", "disability_type": "physical", "disability_grade": 1}),
        ],
        [(0, "wage", "2400")],
        [("deposit", "银行活期存款", "6000", False)],
        [],
    ),
    # over the property limit: 2,000,000 元 in deposits
    (
        "钱有余",
        [("钱有余", "head", date(1979, 1, 20), "M", ADULT), ("孙秀兰", "spouse", date(1981, 4, 11), "F", ADULT)],
        [(0, "other", "600")],
        [("deposit", "定期存款", "2000000", False)],
        [],
    ),
    # rigid costs: (3000 − 200 − 400) ÷ 3 = 800 < 880 only because of the medical costs
    (
        "陈志强",
        [
            ("陈志强", "head", date(1978, 11, 3), "M", {"employment": "employed"}),
            ("刘芳", "spouse", date(1980, 2, 14), "F", {"employment": "unemployed", "serious_illness": True}),
            ("陈思雨", "child", date(2016, 5, 30), "F", {"employment": "student", "in_school": True}),
        ],
        [(0, "wage", "3000")],
        [],
        [(1, "medical", "400", "尿毒症透析自付费用")],
    ),
]


def recheck_day(i: int) -> date:
    """A seeded beneficiary's next recheck: spread over the year from a month ago, so that the
    demo's recheck list has some overdue, some due next month and most later."""
    return timezone.localdate() + timedelta(days=(i * 37) % 365 - 30)


def insert_households(specs: list[HouseholdSpec]) -> list[Household]:
    """Write one batch; bulk_create skips save(), so derived fields are set here."""
    households = Household.objects.bulk_create(
        Household.with_region_codes(
            Household(
                hukou_region_id=s.village,
                residence_region_id=s.residence,
                address=s.address,
                area_type=s.area_type,
                phone=s.phone,
                head_name=s.head_name,
            )
            for s in specs
        ),
        batch_size=BATCH,
    )
    members = Member.objects.bulk_create(
        [
            Member(
                household_id=h.pk,
                name=m.name,
                id_number=m.id_number,
                relation=m.relation,
                birth_date=m.birth_date,
                sex=m.sex,
                disability_type=m.disability_type,
                disability_grade=m.disability_grade,
                serious_illness=m.serious_illness,
                employment=m.employment,
                in_school=m.in_school,
            )
            for h, s in zip(households, specs, strict=False)
            for m in s.members
        ],
        batch_size=BATCH,
    )
    member_ids, offset = [], 0
    for s in specs:
        member_ids.append([m.pk for m in members[offset : offset + len(s.members)]])
        offset += len(s.members)

    def member_id(i, index):
        return None if index is None else member_ids[i][index]

    IncomeItem.objects.bulk_create(
        [
            IncomeItem(household_id=h.pk, member_id=member_id(i, index), kind=kind, monthly_amount=amount, exempt=kind in EXEMPT_INCOME_KINDS, note=note)
            for i, (h, s) in enumerate(zip(households, specs, strict=False))
            for index, kind, amount, note in s.incomes
        ],
        batch_size=BATCH,
    )
    Asset.objects.bulk_create(
        [
            Asset(household_id=h.pk, kind=kind, description=desc, value=value, exempt_use=desc in EXEMPT_USE_ASSETS)
            for h, s in zip(households, specs, strict=False)
            for kind, desc, value in s.assets
        ],
        batch_size=BATCH,
    )
    BankAccount.objects.bulk_create(
        [
            BankAccount(
                household_id=h.pk, member_id=member_id(i, s.bank[0]), account_name=s.members[s.bank[0]].name, card_number=s.bank[1], bank_name=s.bank[2]
            )
            for i, (h, s) in enumerate(zip(households, specs, strict=False))
        ],
        batch_size=BATCH,
    )
    Beneficiary.objects.bulk_create(
        [
            Beneficiary(
                region_code=h.region_code,
                household_id=h.pk,
                member_id=member_id(i, s.beneficiary[1]),
                kind=s.beneficiary[0],
                monthly_amount=s.beneficiary[2],
                covered_members=s.beneficiary[3],
                first_paid_month=s.beneficiary[4],
                next_recheck_on=recheck_day(i),
            )
            for i, (h, s) in enumerate(zip(households, specs, strict=False))
            if s.beneficiary
        ],
        batch_size=BATCH,
    )
    return households
