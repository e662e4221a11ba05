from django.contrib import admin

from workflows.core.admin_scoping import RegionScopedAdmin

from .models import CpiFigure, SubsidyRule


@admin.register(CpiFigure)
class CpiFigureAdmin(RegionScopedAdmin):
    scope_field = "city__code"
    list_display = ["city", "month", "cpi_yoy", "food_cpi_yoy"]
    list_filter = ["city"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(RegionScopedAdmin):
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
