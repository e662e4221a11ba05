"""Admin of the dated local standards (M10: set by the city government; the local values
POLICY.md calls "configurable"). Each group names its source. Registered by core's admin, which
scopes it to the administrator's region (policy knows no regions)."""

from decimal import Decimal

from django.contrib import admin

from .models import Standard


class StandardAdminOptions(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[M] needs django_stubs_ext.monkeypatch() at runtime
    list_display = ["county", "area_type", "valid_from", "dibao_standard", "tekun_basic", "gradual_exit_months"]
    list_filter = ["area_type"]
    search_fields = ["county__name", "=county__code"]
    ordering = ["county_id", "area_type", "-valid_from"]
    list_select_related = ["county"]
    fieldsets = [
        ("适用范围（皖民社救字〔2022〕46号第十条：标准由设区市人民政府制定）", {"fields": ["county", "area_type", "valid_from"]}),
        (
            "最低生活保障（最低生活保障审核确认办法）",
            {
                "fields": [
                    "dibao_standard",
                    "marginal_multiplier",
                    "rounding",
                    "employment_deduction",
                    "income_exemption",
                    "pension_exemption_until",
                    "rigid_cost_cap",
                    "gradual_exit_months",
                ]
            },
        ),
        (
            "家庭财产限额（最低生活保障审核确认办法：财产状况符合当地规定）",
            {"fields": ["financial_assets_months", "vehicle_value_limit", "extra_houses_allowed", "business_value_limit"]},
        ),
        (
            "特困人员（特困人员认定办法）",
            {
                "fields": [
                    "tekun_multiplier",
                    "tekun_standard",
                    "care_standard_full",
                    "care_standard_partial",
                    "care_standard_lost",
                    "supporter_income_multiplier",
                    "supporter_income_line",
                ]
            },
        ),
        ("临时救助（皖民社救字〔2022〕46号第六条）", {"fields": ["small_amount_cap", "interim_cap_multiplier"]}),
        (
            "复核周期（最低生活保障审核确认办法、特困人员年审）",
            {"fields": ["recheck_stable_months", "recheck_unstable_months", "recheck_tekun_months", "gradual_exit_step_down"]},
        ),
    ]

    @admin.display(description="特困基本生活标准（元）")
    def tekun_basic(self, obj: Standard) -> Decimal:
        return obj.values().tekun_basic_standard
