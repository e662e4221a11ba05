from django.contrib import admin

from workflows.core import regions
from workflows.core.admin_scoping import RegionScopedAdmin, admin_prefixes

from .models import CpiFigure, SubsidyRule


class CityLevelAdmin(RegionScopedAdmin):
    """City-level records (M9: price figures and subsidy rules are the city's): kept by a city's
    or the province's administrator. A county's administrator could choose no city, so the
    pages are not offered to them at all, rather than as an empty form."""

    scope_field = "city__code"

    def _keeps_a_city(self, request) -> bool:
        return any(len(prefix) <= regions.PREFIX_LENGTH[regions.LEVEL_CITY] for prefix in admin_prefixes(request.user))

    def has_module_permission(self, request):
        return self._keeps_a_city(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._keeps_a_city(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._keeps_a_city(request) and super().has_add_permission(request)


@admin.register(CpiFigure)
class CpiFigureAdmin(CityLevelAdmin):
    scope_field = "city__code"
    list_display = ["city", "month", "cpi_yoy", "food_cpi_yoy"]
    list_filter = ["city"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(CityLevelAdmin):
    """A city's dated price-subsidy rules (M9: decided at city level). A city's or the
    province's administrator keeps them; a county's sees none of its city's."""

    scope_field = "city__code"
    list_display = [
        "city",
        "valid_from",
        "valid_to",
        "cpi_threshold",
        "food_threshold",
        "formula",
        "fixed_amount",
        "minimum_amount",
        "include_marginal",
        "source",
    ]
    list_filter = ["city", "formula", "include_marginal"]
    ordering = ["city_id", "-valid_from"]
    list_select_related = ["city"]
    readonly_fields = ["created"]
    fieldsets = [
        ("适用范围（发改价格〔2021〕1553号：由设区市或省级确定）", {"fields": ["city", "valid_from", "valid_to", "source"]}),
        ("启动条件（只能调低：居民消费价格单月同比涨幅3.5%、食品价格6%）", {"fields": ["cpi_threshold", "food_threshold"]}),
        ("补贴标准", {"fields": ["formula", "fixed_amount", "minimum_amount"]}),
        ("保障范围（低保、特困人员等；各地可扩大）", {"fields": ["include_marginal"]}),
        (None, {"fields": ["created"]}),
    ]
