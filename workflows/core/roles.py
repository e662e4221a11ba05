"""Staff roles as Django groups with permissions (DESIGN §6)."""

from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission

from . import regions

R = regions
#: Every staff role and its name (StaffRole.role).
ROLE_CHOICES = [
    ("caseworker", "村（社区）协理员"),
    ("township_clerk", "乡镇经办人"),
    ("review_member", "联审小组成员"),
    ("township_principal", "乡镇主要负责同志"),
    ("county_officer", "县民政经办"),
    ("county_head", "县民政负责人"),
    ("finance_officer", "县财政"),
    ("bank_agent", "代理金融机构"),
    ("petition_officer", "信访"),
    ("supervisor", "市/省民政"),
    ("administrator", "系统管理员"),
]

# Which levels of region each role may be bound to.
ROLE_LEVELS = {
    "caseworker": [R.LEVEL_VILLAGE],
    "township_clerk": [R.LEVEL_TOWNSHIP],
    "review_member": [R.LEVEL_TOWNSHIP],
    "township_principal": [R.LEVEL_TOWNSHIP],
    "county_officer": [R.LEVEL_COUNTY],
    "county_head": [R.LEVEL_COUNTY],
    "finance_officer": [R.LEVEL_COUNTY],
    "bank_agent": [R.LEVEL_COUNTY],
    # Townships and counties handle petitions; the city answers 复查 of county replies and
    # 复核 of township ones (信访工作条例 arts 35–36), and so does the province above a city.
    "petition_officer": [R.LEVEL_TOWNSHIP, R.LEVEL_COUNTY, R.LEVEL_CITY, R.LEVEL_PROVINCE],
    "supervisor": [R.LEVEL_CITY, R.LEVEL_PROVINCE],
    # The admin (core.admin_scoping): a county's administrator keeps that county's standards,
    # local values, registry corrections and staff roles; a city's or the province's theirs.
    "administrator": [R.LEVEL_COUNTY, R.LEVEL_CITY, R.LEVEL_PROVINCE],
}

_VIEW_REGISTRY = (
    "changes.view_householdchangeprocess",
    "application.view_applicationprocess",
    "review.view_reviewprocess",
    "core.view_household",
    "core.view_member",
    "core.view_incomeitem",
    "core.view_asset",
    "core.view_bankaccount",
    "core.view_beneficiary",
    "core.view_region",
)
_EDIT_REGISTRY = (
    "core.add_household",
    "core.change_household",
    "core.add_member",
    "core.change_member",
    "core.add_incomeitem",
    "core.change_incomeitem",
    "core.delete_incomeitem",
    "core.add_asset",
    "core.change_asset",
    "core.add_bankaccount",
    "core.change_bankaccount",
)
# Proactive discovery (M3): villages record and verify leads, townships decide, counties refer.
_DISCOVERY_VIEW = ("discovery.view_discoveryprocess", "discovery.view_lead")
# Interim relief (M6): the township proposes and pays from its reserve fund, the principal
# approves; above the interim cap the county head decides.
_RELIEF_FUND = ("relief.view_reservefund", "relief.view_emergencyperiod")
# Rechecks: villages and townships visit, townships propose and (where delegated) decide, the
# county head decides the rest and every end of 特困 support.
_RECHECK_VIEW = ("recheck.view_recheckprocess", "recheck.view_recheck")
# Spot check (M8): county officers check, the county head signs the report, townships rectify.
_SPOTCHECK_VIEW = ("spotcheck.view_spotcheck", "spotcheck.view_spotcheckprocess", "spotcheck.view_casecheckprocess")

# Petitions (信访工作条例): every petition officer registers and reads; what a body does to a
# petition is granted by its level (LEVEL_PERMISSIONS), so that a county officer, who sees
# the townships' petitions, is not asked to handle them.
_PETITION_VIEW = ("petitions.view_petition", "petitions.view_petitionprocess", "petitions.view_petitionreviewprocess", "petitions.view_statistics")
_PETITION_OFFICER = (*_VIEW_REGISTRY, *_PETITION_VIEW, "petitions.register_petition")

# Low-income monitoring (M1): townships and villages see their signals; the county imports the
# departments' feeds, places signals about people it does not know and reads the raw rows.
_MONITORING_VIEW = ("monitoring.view_signal", "monitoring.view_monitoringprocess")
_MONITORING_COUNTY = (
    *_MONITORING_VIEW,
    "monitoring.view_feed",
    "monitoring.view_dashboard",
    "monitoring.import_feed",
    "monitoring.place_signal",
    "monitoring.view_raw_row",
)

# Permissions per role (tuples, so that no role's list can change another's).
ROLE_PERMISSIONS = {
    "caseworker": (
        *_VIEW_REGISTRY,
        *_EDIT_REGISTRY,
        *_DISCOVERY_VIEW,
        *_RECHECK_VIEW,
        "changes.start_householdchange",
        "application.file_application",
        "discovery.record_lead",
        "recheck.start_recheck",
        "recheck.visit_recheck",
        *_MONITORING_VIEW,
    ),
    "township_clerk": (
        *_VIEW_REGISTRY,
        *_EDIT_REGISTRY,
        *_DISCOVERY_VIEW,
        *_RELIEF_FUND,
        "changes.start_householdchange",
        "changes.approve_householdchange",
        "application.file_application",
        "application.handle_application",
        "review.organise_meeting",
        "discovery.assess_lead",
        "relief.view_reliefprocess",
        "relief.propose_relief",
        "relief.change_reservefund",
        "relief.add_reservefund",
        "spotcheck.view_casecheckprocess",
        "spotcheck.rectify_case",
        "payments.view_township_totals",
        "payments.view_accountfixprocess",
        *_RECHECK_VIEW,
        "recheck.start_recheck",
        "recheck.visit_recheck",
        "recheck.propose_recheck",
        *_MONITORING_VIEW,
    ),
    "review_member": _VIEW_REGISTRY,
    "township_principal": (
        *_VIEW_REGISTRY,
        *_DISCOVERY_VIEW,
        *_RELIEF_FUND,
        "review.sign_minutes",
        "relief.view_reliefprocess",
        "relief.approve_relief",
        "relief.add_emergencyperiod",
        "payments.view_accountfixprocess",
        *_RECHECK_VIEW,
        "recheck.decide_recheck",
        *_PETITION_VIEW,
        "petitions.sign_township",
        *_MONITORING_VIEW,
    ),
    "county_officer": (
        *_VIEW_REGISTRY,
        *_DISCOVERY_VIEW,
        *_RELIEF_FUND,
        *_SPOTCHECK_VIEW,
        "discovery.submit_referral",
        "relief.change_reservefund",
        "relief.add_reservefund",
        "relief.add_emergencyperiod",
        "spotcheck.check_case",
        "payments.view_paymentprocess",
        "payments.submit_roster",
        "payments.view_accountfixprocess",
        *_RECHECK_VIEW,
        "recheck.start_recheck",
        *_MONITORING_COUNTY,
    ),
    # Above the interim cap the county head decides the relief (docs/policy.md "Temporary relief").
    "county_head": (
        *_VIEW_REGISTRY,
        *_SPOTCHECK_VIEW,
        *_RELIEF_FUND,
        "spotcheck.sign_report",
        "payments.view_paymentprocess",
        "relief.view_reliefprocess",
        "relief.decide_above_cap",
        *_RECHECK_VIEW,
        "recheck.decide_recheck_county",
        *_PETITION_VIEW,
        "petitions.sign_county",
        *_MONITORING_VIEW,
        "monitoring.view_feed",
        "monitoring.view_dashboard",
    ),
    "finance_officer": (
        "core.view_beneficiary",
        "core.view_region",
        "payments.view_paymentprocess",
        "payments.allocate_funds",
    ),
    "bank_agent": (
        "core.view_region",
        "payments.view_paymentprocess",
        "payments.upload_bank_result",
    ),
    "petition_officer": _PETITION_OFFICER,
    # City and province supervise: they read the spot checks, their coverage and the payment
    # cycles of their counties; they act in none of them.
    "supervisor": (
        *_VIEW_REGISTRY,
        *_DISCOVERY_VIEW,
        *_SPOTCHECK_VIEW,
        "payments.view_paymentprocess",
        "core.view_auditlog",
        "petitions.view_statistics",
        "monitoring.view_dashboard",
        "monitoring.view_feed",
    ),
    "administrator": (
        *_VIEW_REGISTRY,
        *_EDIT_REGISTRY,
        "core.view_assessment",
        "core.view_auditlog",
        "core.view_staffrole",
        "core.add_staffrole",
        "core.change_staffrole",
        "core.delete_staffrole",
        "policy.view_standard",
        "policy.add_standard",
        "policy.change_standard",
        "policy.view_holidayyear",
        "policy.view_holidaycalendar",
        "relief.view_reservefund",
        "relief.add_reservefund",
        "relief.change_reservefund",
        "relief.view_emergencyperiod",
        "relief.add_emergencyperiod",
        "relief.change_emergencyperiod",
        "spotcheck.view_spotcheck",
        "payments.view_cpifigure",
        "payments.add_cpifigure",
        "payments.change_cpifigure",
        "payments.view_subsidyrule",
        "payments.add_subsidyrule",
        "payments.change_subsidyrule",
    ),
}


#: What a role adds at one level of region, in its own group (e.g. 信访（县级）).
LEVEL_PERMISSIONS = {
    ("petition_officer", R.LEVEL_TOWNSHIP): ("petitions.handle_township",),
    ("petition_officer", R.LEVEL_COUNTY): ("petitions.handle_county", "petitions.answer_county"),
    ("petition_officer", R.LEVEL_CITY): ("petitions.handle_city", "petitions.answer_city"),
    ("petition_officer", R.LEVEL_PROVINCE): ("petitions.answer_province",),
}
LEVEL_NAMES = {R.LEVEL_PROVINCE: "省级", R.LEVEL_CITY: "市级", R.LEVEL_COUNTY: "县级", R.LEVEL_TOWNSHIP: "乡镇"}


def group_name(role: str, level: str | None = None) -> str:
    name = dict(ROLE_CHOICES)[role]
    return f"{name}（{LEVEL_NAMES[level]}）" if level else name


def sync_role_groups(sender=None, **kwargs):
    """Create one group per role with its permissions; runs after every migrate (and every
    flush between transactional tests).

    post_migrate is sent once per app, after that app's permissions exist: the groups are set
    once, at the last app's signal, when every app's permissions do, in two queries per role
    rather than one per permission."""
    if sender is not None and sender is not _last_app_with_models():
        return
    wanted = {perm for perms in (*ROLE_PERMISSIONS.values(), *LEVEL_PERMISSIONS.values()) for perm in perms}
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list("pk", "content_type__app_label", "codename")
        if f"{app_label}.{codename}" in wanted
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        group.permissions.set([found[perm] for perm in perms if perm in found])
    for (role, level), perms in LEVEL_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name(role, level))
        group.permissions.set([found[perm] for perm in perms if perm in found])


def _last_app_with_models():
    # The order emit_post_migrate_signal sends in: every installed app with a models module.
    return [config for config in django_apps.get_app_configs() if config.models_module is not None][-1]


def add_to_role_group(user, role: str, level: str | None = None) -> None:
    names = [group_name(role)] + ([group_name(role, level)] if (role, level) in LEVEL_PERMISSIONS else [])
    groups = list(Group.objects.filter(name__in=names))
    if groups:
        user.groups.add(*groups)


def on_staff_role_saved(sender, instance, **kwargs) -> None:
    """post_save of a StaffRole (wired in core.apps): its holder joins the role's group, which
    carries the role's permissions."""
    add_to_role_group(instance.user, instance.role, regions.level_of(instance.region_id))
