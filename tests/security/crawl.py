"""Every URL pattern of the project, filled with real ids, as every role.

The patterns come from the URL resolver itself, so a new page is crawled the day it is added.
What fills a path parameter is decided by the parameter's name and the part of the project
the pattern lives in (`provider_for`); a parameter nothing can fill fails
test_every_parameter_can_be_filled, so no pattern is silently skipped.

Each object the crawl uses belongs to a region. A request for it is in scope when the user's
regions cover that region (workflows.core.scoping), out of scope otherwise; out of scope must
answer 404 (DESIGN §4.3), in scope 200, 302 or 405 (403 where the role may not act on the
record at all), never a 500.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver
from viewflow.workflow.status import STATUS

from tests.factories import CITY, COUNTY, PROVINCE, TOWNSHIP_A, TOWNSHIP_B, VILLAGE_A, VILLAGE_B, make_household, make_issuers, make_regions
from workflows.core.models import Region, StaffRole
from workflows.core.scoping import in_scope
from workflows.policy.models import Standard

# A second county of the same city, with two townships, so that county-level users have a
# neighbour they must not see and city/province supervisors see both.
COUNTY_2 = "340122000000"
TOWNSHIP_C, TOWNSHIP_D = "340122100000", "340122101000"
VILLAGE_C, VILLAGE_D = "340122100201", "340122101201"
VILLAGES = [VILLAGE_A, VILLAGE_B, VILLAGE_C, VILLAGE_D]
COUNTIES = [COUNTY, COUNTY_2]

# The Django admin (core.admin_scoping): administrators only, each inside their region. Its
# per-object pages are filled from the admin's own registry (`admin_provider`).
ADMIN_PREFIX = "admin/"
MISSING_PK = 987654321


@dataclass
class Pattern:
    route: str  # e.g. "workflow/flows/payment/<int:process_pk>/review/<int:task_pk>/"
    name: str  # namespaced, e.g. "workflow:flows:payment:review:detail"
    params: list = field(default_factory=list)

    @property
    def namespace(self) -> str:
        return self.name.rsplit(":", 1)[0] if ":" in self.name else ""


def walk(resolver=None, prefix="", namespace=""):
    """Every URLPattern under `resolver`, with its full route and namespaced name."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) if entry.namespace else namespace
            yield from walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = ":".join(part for part in (namespace, entry.name or "") if part)
            yield Pattern(route, name, list(_params(entry, resolver, route)))


def _params(entry, resolver, route):
    import re

    # Regex patterns (the admin's) name their groups; path() patterns use <conv:name>.
    for match in re.finditer(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>", route):
        yield match.group(2) or match.group(3)


def patterns() -> list[Pattern]:
    return list(walk())


# --- what fills each parameter -------------------------------------------------------------


@dataclass
class Candidate:
    """One way to fill a pattern's parameters, and who may see the object it names."""

    kwargs: dict
    region: str | None = None  # None: not a regional record
    owner_id: int | None = None  # a per-user record (a notification)
    roles: tuple | None = None  # the roles whose regions count (the admin: ADMIN_ROLES)
    missing: bool = False  # a URL naming no record at all

    def visible_to(self, user) -> bool | None:
        """True in scope, False out of scope, None when the URL names no record of anyone."""
        if self.owner_id is not None:
            return bool(user.is_authenticated and user.pk == self.owner_id)
        if self.region is None:
            return None
        return bool(user.is_authenticated and in_scope(user, self.region, self.roles))


def provider_for(pattern: Pattern):
    """The function giving a pattern's candidates from the crawl data, or None."""
    params = set(pattern.params)
    if not params:
        return lambda data: [Candidate({})]
    if pattern.route.startswith(ADMIN_PREFIX):
        return admin_provider(pattern)
    ns = pattern.namespace
    if params == {"process_pk"} and ns.startswith("workflow:flows:"):
        flow = ns.split(":")[2]
        return lambda data: [Candidate({"process_pk": p.pk}, p.region_code) for p in data.processes[flow]]
    if params == {"process_pk", "task_pk"} and ns.startswith("workflow:flows:"):
        flow, node = ns.split(":")[2:4]
        return lambda data: [Candidate({"process_pk": t.process_id, "task_pk": t.pk}, t.process.caseprocess.region_code) for t in data.tasks[flow, node]]
    if params == {"task_pk"} and ns == "engine":
        # The stable task link notifications carry: scoped like the task it leads to.
        return lambda data: [Candidate({"task_pk": t.pk}, t.process.caseprocess.region_code) for tasks in data.tasks.values() for t in tasks]
    if params == {"process_pk"} and ns == "engine":
        return lambda data: [Candidate({"process_pk": p.pk}, p.region_code) for processes in data.processes.values() for p in processes]
    by_model = {
        ("documents", "pk"): "notices",
        ("notifications", "pk"): "notifications",
        ("application", "pk"): "applications",
        ("spotcheck", "pk"): "spot_checks",
        ("payments", "pk"): "cycles",
        ("registry:household", "pk"): "households",
        ("petitions", "pk"): "petitions",
    }
    if ns == "monitoring" and params == {"pk"}:
        attr = "feeds" if "feeds/" in pattern.route else "feed_rows"
        return lambda data: [Candidate({"pk": obj.pk}, obj.region_code) for obj in getattr(data, attr)]
    if len(params) == 1 and (ns, next(iter(params))) in by_model:
        attr = by_model[ns, next(iter(params))]
        if attr == "notifications":
            return lambda data: [Candidate({"pk": n.pk}, owner_id=n.user_id) for n in data.notifications]
        return lambda data: [Candidate({"pk": obj.pk}, obj.region_code) for obj in getattr(data, attr)]
    if params == {"token"} and ns == "documents":
        # A citizen's link: public, no region to hide.
        return lambda data: [Candidate({"token": n.verify_token}) for n in data.notices[:1]]
    if params == {"batch_id"}:
        return lambda data: [Candidate({"batch_id": uuid.uuid4().hex})]
    if params == {"uidb64", "token"}:
        return lambda data: [Candidate({"uidb64": "MQ", "token": "bad-token"})]
    return None


def _admin_model(pattern: Pattern):
    """The ModelAdmin a per-object admin URL belongs to ("admin/core/household/<path:object_id>/")."""
    from django.contrib import admin

    parts = pattern.route.split("/")
    for model, model_admin in admin.site._registry.items():
        if parts[1:3] == [model._meta.app_label, model._meta.model_name]:
            return model, model_admin
    return None, None


def admin_provider(pattern: Pattern):
    from django.contrib.contenttypes.models import ContentType

    from workflows.core.admin_scoping import ADMIN_ROLES, RegionScopedAdmin

    params = set(pattern.params)
    if params == {"app_label"}:
        return lambda data: [Candidate({"app_label": "core"})]
    if params == {"url"}:
        return lambda data: [Candidate({"url": "no-such-page/"})]
    if params == {"content_type_id", "object_id"}:
        # The admin's "view on site" shortcut, for a household of each county.
        return lambda data: [
            Candidate({"content_type_id": ContentType.objects.get_for_model(h).pk, "object_id": h.pk}, h.region_code, roles=ADMIN_ROLES)
            for h in (data.households[0], data.households[-1])
        ]
    if params == {"id"} and pattern.name == "admin:auth_user_password_change":
        return lambda data: [Candidate({"id": data.users[0][1].pk})]
    if params != {"object_id"}:
        return None
    model, model_admin = _admin_model(pattern)
    if model is None:
        return None

    def candidates(data):
        found = []
        if isinstance(model_admin, RegionScopedAdmin):
            # One record of each county where the data has one (the first county is the
            # county administrator's, the second is not).
            rows = model._default_manager.values_list("pk", model_admin.scope_field)
            for county in COUNTIES:
                pk = next((pk for pk, code in rows if code and str(code).startswith(county[:6])), None)
                if pk is not None:
                    found.append(Candidate({"object_id": pk}, county, roles=ADMIN_ROLES))
        else:
            pk = model._default_manager.values_list("pk", flat=True).first()
            if pk is not None:
                found.append(Candidate({"object_id": pk}))
        return found or [Candidate({"object_id": MISSING_PK}, missing=True)]

    return candidates


# --- the data ------------------------------------------------------------------------------

ROLES = [
    # (label, role, region)
    ("村协理员", StaffRole.CASEWORKER, VILLAGE_A),
    ("乡镇经办人", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_A),
    ("联审小组成员", StaffRole.REVIEW_MEMBER, TOWNSHIP_A),
    ("乡镇主要负责同志", StaffRole.TOWNSHIP_PRINCIPAL, TOWNSHIP_A),
    ("县民政经办", StaffRole.COUNTY_OFFICER, COUNTY),
    ("县民政负责人", StaffRole.COUNTY_HEAD, COUNTY),
    ("县财政", StaffRole.FINANCE_OFFICER, COUNTY),
    ("代理金融机构", StaffRole.BANK_AGENT, COUNTY),
    ("信访", StaffRole.PETITION_OFFICER, COUNTY),
    ("市民政", StaffRole.SUPERVISOR, CITY),
    ("省民政", StaffRole.SUPERVISOR, PROVINCE),
]


class CrawlData:
    def __init__(self):
        self.processes: dict[str, list] = {}
        self.tasks: dict[tuple, list] = {}
        self.notices, self.notifications, self.applications, self.spot_checks, self.cycles, self.households = [], [], [], [], [], []
        self.petitions: list = []
        self.feeds: list = []
        self.feed_rows: list = []
        self.users: list[tuple[str, object]] = []
        # The neighbours: the same role as a user above in another region, there to be out of
        # scope; on a page naming no record they would repeat that user.
        self.neighbours: set[int] = set()


def _regions():
    make_regions()
    rows = [
        (COUNTY_2, "肥东县", "county", CITY),
        (TOWNSHIP_C, "店埠镇", "township", COUNTY_2),
        (TOWNSHIP_D, "撮镇镇", "township", COUNTY_2),
        (VILLAGE_C, "店埠村", "village", TOWNSHIP_C),
        (VILLAGE_D, "撮镇村", "village", TOWNSHIP_D),
    ]
    for code, name, level, parent in rows:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent, "registered_population": 3000 if level == "village" else None}
        )
    # The neighbouring county's standard: an admin record out of the county administrator's scope.
    Standard.objects.get_or_create(county_id=COUNTY_2, area_type="rural", valid_from=date(2024, 1, 1), defaults={"dibao_standard": Decimal("760")})


def build() -> CrawlData:
    """Records of every kind in four townships of two counties, and one user per role."""
    from django.contrib.contenttypes.models import ContentType

    import config.urls
    from documents.models import Issuer, Notice
    from notifications.models import Notification
    from workflows.application.models import Application
    from workflows.monitoring import services as monitoring
    from workflows.monitoring.models import Department, FeedRow, Signal
    from workflows.payments.models import PaymentCycle
    from workflows.petitions.models import Petition
    from workflows.spotcheck.models import SpotCheck

    _regions()
    make_issuers()
    Issuer.objects.get_or_create(number_prefix="皖肥民", defaults={"region_id": COUNTY_2, "name": "肥东县民政局"})
    data = CrawlData()
    user_model = get_user_model()
    for label, role, region in ROLES:
        user = user_model.objects.create_user(f"crawl_{role}_{region}", password="pw-crawl-12345", first_name=label)
        StaffRole.objects.create(user=user, role=role, region_id=region)
        data.users.append((label, user))
    # The same roles in the neighbouring county and township: they see none of the above.
    for label, role, region in [("他县民政经办", StaffRole.COUNTY_OFFICER, COUNTY_2), ("他乡镇经办人", StaffRole.TOWNSHIP_CLERK, TOWNSHIP_B)]:
        user = user_model.objects.create_user(f"crawl_{role}_{region}", password="pw-crawl-12345", first_name=label)
        StaffRole.objects.create(user=user, role=role, region_id=region)
        data.users.append((label, user))
        data.neighbours.add(user.pk)
    admin = user_model.objects.create_superuser("crawl_admin", password="pw-crawl-12345", first_name="系统管理员")
    data.users.append(("系统管理员", admin))
    # A county's administrator (seed_demo's countyadmin_ accounts): the admin, for one county.
    county_admin = user_model.objects.create_user("crawl_countyadmin", password="pw-crawl-12345", first_name="县系统管理员")
    StaffRole.objects.create(user=county_admin, role=StaffRole.ADMINISTRATOR, region_id=COUNTY)
    data.users.append(("县系统管理员", county_admin))

    by_region: dict[str, dict] = {}
    for i, village in enumerate(VILLAGES):
        county = COUNTY if village.startswith(COUNTY[:6]) else COUNTY_2
        household = make_household(village, head_name=f"户主{i}")
        application = Application.objects.create(
            household=household, applicant=household.members.first(), kind="dibao", filed_on=date(2026, 11, 2), created_by=data.users[0][1]
        )
        notice = Notice.objects.create(
            kind="acceptance",
            issuer=Issuer.objects.filter(region_id__in=[village[:9] + "000", county]).first(),
            region_code=village,
            word="受",
            year=2026,
            seq=i + 1,
            number=f"皖测受〔2026〕{i + 1}号",
            title="受理通知书",
            addressee_name=household.head_name,
            case_key=f"crawl-{i}",
            issued_on=date(2026, 11, 3),
            case_type=ContentType.objects.get_for_model(Application),
            case_id=application.pk,
        )
        petition = Petition.objects.create(
            number=f"XF-CRAWL-{i}",
            body_id=village[:9] + "000",
            channel="window",
            kind="claim",
            category="other",
            matter="巡检",
            received_on=date(2026, 11, 2),
            petitioner_name=household.head_name,
            household=household,
            matter_key=f"other:h{household.pk}",
            acceptance_due=date(2026, 11, 17),
        )
        data.households.append(household)
        data.applications.append(application)
        data.notices.append(notice)
        data.petitions.append(petition)
        by_region[village] = {"household": household, "application": application}
    for county in COUNTIES:
        spot = SpotCheck.objects.create(county_id=county, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31), seed="crawl")
        cycle = PaymentCycle.objects.create(
            county_id=county, month=date(2026, 10, 1), roster_due=date(2026, 10, 5), funds_due=date(2026, 10, 10), bank_due=date(2026, 10, 15)
        )
        data.spot_checks.append(spot)
        data.cycles.append(cycle)
        by_region[county] = {"spotcheck": spot, "paymentcycle": cycle}
    # Each county's police feed of November: a row and a signal for every household there.
    police = Department.objects.get(code="police")
    for county in COUNTIES:
        rows = [f"{h.members.first().id_number},{h.head_name},serious_illness,2026-11-05,," for h in data.households if h.region_code.startswith(county[:6])]
        data_file = ("id_number,name,event,event_date,amount,detail\n" + "\n".join(rows) + "\n").encode()
        feed = monitoring.import_feed(
            department=police,
            county=Region.objects.get(code=county),
            month=date(2026, 11, 1),
            data=data_file,
            filename="crawl.csv",
            user=None,
            via="command",
            today=date(2026, 12, 1),
            announce=False,
        ).feed
        data.feeds.append(feed)
        data.feed_rows.extend(FeedRow.objects.filter(feed=feed))
        for signal in Signal.objects.filter(feed=feed):
            by_region[signal.region_code]["signal"] = signal
    for _, user in data.users:
        data.notifications.append(Notification.objects.create(user=user, kind="task", title="待办", link="/", idempotency_key=f"crawl-{user.pk}"))

    # Every node of every flow gets a task in a process of each region: the process rows are
    # those of the product's classes, tied to the records of their region.
    for flow_class in config.urls.FLOWS:
        flow = flow_class.instance
        label = flow_class.instance.flow_label
        process_class = flow_class.process_class
        data.processes[label] = []
        for region in (*VILLAGES, *COUNTIES):
            if flow_class.__name__ in ("PaymentFlow", "SpotCheckFlow") and region not in COUNTIES:
                continue
            if flow_class.__name__ not in ("PaymentFlow", "SpotCheckFlow") and region in COUNTIES:
                continue
            process = process_class(flow_class=flow_class, region_code=region, summary="巡检")
            for fk in process_class._meta.get_fields():
                target = getattr(fk, "related_model", None)
                if getattr(fk, "many_to_one", False) and fk.model is process_class and target is not None and fk.null:
                    linked = by_region[region].get(target._meta.model_name)
                    if linked is not None:
                        setattr(process, fk.name, linked)
            process.save()
            data.processes[label].append(process)
            for node in flow.nodes():
                task = flow_class.task_class.objects.create(process=process, flow_task=node, status=STATUS.DONE if node.name != "end" else STATUS.DONE)
                data.tasks.setdefault((label, node.name), []).append(task)
    return data
