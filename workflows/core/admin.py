from django.contrib import admin

from forms.registry import HouseholdForm, IncomeItemForm, MaskedBankAccountForm, MaskedMemberForm
from workflows.policy.models import Standard
from workflows.policy.standard_admin import StandardAdminOptions

from . import regions, services
from .admin_scoping import RegionScopedAdmin, ScopedChoicesMixin
from .models import Assessment, Asset, AuditLog, BankAccount, Beneficiary, Household, IncomeItem, Member, Region, RigidCost, StaffRole, Supporter


class MemberInline(admin.TabularInline):
    model = Member
    form = MaskedMemberForm
    extra = 0
    readonly_fields = ["birth_date", "sex"]


class IncomeInline(ScopedChoicesMixin, admin.TabularInline):
    model = IncomeItem
    form = IncomeItemForm
    extra = 0
    readonly_fields = ["exempt"]


class AssetInline(admin.TabularInline):
    model = Asset
    extra = 0


class RigidCostInline(admin.TabularInline):
    model = RigidCost
    extra = 0


class SupporterInline(admin.TabularInline):
    model = Supporter
    extra = 0


class BankAccountInline(ScopedChoicesMixin, admin.TabularInline):
    model = BankAccount
    form = MaskedBankAccountForm
    extra = 0


@admin.register(Household)
class HouseholdAdmin(RegionScopedAdmin):
    form = HouseholdForm
    list_display = ["id", "head_name", "hukou_region", "area_type", "updated"]
    list_filter = ["area_type"]
    search_fields = ["head_name", "=members__id_number"]
    inlines = [MemberInline, IncomeInline, AssetInline, RigidCostInline, SupporterInline, BankAccountInline]
    list_select_related = ["hukou_region"]

    def get_object(self, request, object_id, from_field=None):
        household = super().get_object(request, object_id, from_field)
        if request.method == "GET":
            services.record_view(request.user, household)  # like the registry's detail page
        return household

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.fill_head_name(form.instance)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class UserBoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return UserBoundForm


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    scope_field = "code"
    list_display = ["code", "name", "level", "area", "registered_population"]
    list_filter = ["level", "area"]
    search_fields = ["=code", "name"]


@admin.register(StaffRole)
class StaffRoleAdmin(RegionScopedAdmin):
    scope_field = "region__code"
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    autocomplete_fields = ["region"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(RegionScopedAdmin):
    list_display = ["id", "household", "kind", "state", "monthly_amount", "first_paid_month"]
    list_filter = ["kind", "state"]
    readonly_fields = ["state"]
    raw_id_fields = ["household", "member"]


@admin.register(AuditLog)
class AuditLogAdmin(RegionScopedAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(RegionScopedAdmin):
    scope_field = "household__region_code"
    list_display = ["household", "computed_at", "per_capita_income", "dibao_eligible", "marginal", "dibao_amount"]


@admin.register(Standard)
class StandardAdmin(RegionScopedAdmin, StandardAdminOptions):
    """A county's dated standards, kept by that county's (or its city's) administrator."""

    scope_field = "county__code"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "county":
            kwargs["queryset"] = Region.objects.filter(level=regions.LEVEL_COUNTY)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
