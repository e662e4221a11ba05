"""Region scoping, in one place (DESIGN §4.3).

A staff user sees exactly the records whose `region_code` starts with the prefix of one of
their roles' regions. Outside that, a record does not exist for them: 404, never 403.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from . import regions
from .models import Recusal

ALL = ""  # the prefix every code starts with


def scope_prefixes(user, roles: tuple[str, ...] | None = None) -> set[str]:
    """The region prefixes a user may see (cached on the user object for the request); with
    `roles`, only what those of the user's roles cover (the admin: the administrator role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    cache = user.__dict__.setdefault("_scope_prefixes", {})
    if roles in cache:
        return cache[roles]
    if user.is_superuser:
        prefixes = {ALL}
    else:
        bound = user.staff_roles.all() if roles is None else user.staff_roles.filter(role__in=roles)
        prefixes = {regions.prefix_of(code) for code in bound.values_list("region_id", flat=True)}
        # A prefix inside another adds nothing and would only lengthen the SQL.
        prefixes = {p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)}
    cache[roles] = prefixes
    return prefixes


def scope_q(user, field: str = "region_code", roles: tuple[str, ...] | None = None) -> Q:
    prefixes = scope_prefixes(user, roles)
    if not prefixes:
        return Q(pk__in=[])
    if ALL in prefixes:
        return Q()
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in sorted(prefixes)))


def recused_ids(user, model) -> QuerySet:
    """The ids of the records of ``model`` the user must not see (core.Recusal), as a subquery."""
    return Recusal.objects.filter(user=user, record_type=recusal_label(model)).values("record_id")


def recusal_label(model) -> str:
    """What a recusal of a record of ``model`` is stored under: the model's label, or (a
    process of any flow) the label its base declares, so that one row covers every list."""
    return getattr(model, "recusal_label", "") or model._meta.label


def scoped(queryset: QuerySet, user, field: str = "region_code", roles: tuple[str, ...] | None = None) -> QuerySet:
    queryset = queryset.filter(scope_q(user, field, roles))
    if getattr(queryset.model, "recusable", False) and user is not None and user.is_authenticated:
        # Withdrawn staff and the accused (core.Recusal): the record is not there for them.
        queryset = queryset.exclude(pk__in=recused_ids(user, queryset.model))
    return queryset


def is_narrow(user, roles: tuple[str, ...] | None = None) -> bool:
    """Whether every region the user sees is a county or smaller: a small share of the province's
    rows, which the region index finds faster than a walk along any other index."""
    prefixes = scope_prefixes(user, roles)
    return bool(prefixes) and all(len(p) >= regions.PREFIX_LENGTH[regions.LEVEL_COUNTY] for p in prefixes)


def in_scope(user, region_code: str, roles: tuple[str, ...] | None = None) -> bool:
    return any(region_code.startswith(p) for p in scope_prefixes(user, roles))


def covering_codes(region_code: str) -> list[str]:
    """The codes of the regions whose scope contains `region_code`: the region itself and every
    level above it. A user sees the record exactly when one of their roles is bound to one of
    these (the reverse of scope_q, for finding the people who see a record)."""
    if not region_code:
        return []
    return sorted({region_code[:n].ljust(12, "0") for n in regions.PREFIX_LENGTH.values()})


def get_scoped_or_404(queryset: QuerySet, user, field: str = "region_code", **lookup):
    try:
        return scoped(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("记录不存在或不在您的辖区内")
