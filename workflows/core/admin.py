from django.contrib import admin

from forms.registry import BankAccountForm, HouseholdForm, IncomeItemForm, MemberForm

from .models import Asset, Assessment, AuditLog, BankAccount, Beneficiary, Household, IncomeItem, Member, Region, RigidCost, StaffRole, Supporter
from .scoping import scoped


class ScopedAdmin(admin.ModelAdmin):
    """The admin obeys region scoping too: DESIGN §4.3 allows no back door."""

    scope_field = "region_code"

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.scope_field)


class MemberInline(admin.TabularInline):
    model = Member
    form = MemberForm
    extra = 0
    readonly_fields = ["birth_date", "sex"]


class IncomeInline(admin.TabularInline):
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


class BankAccountInline(admin.TabularInline):
    model = BankAccount
    form = BankAccountForm
    extra = 0


@admin.register(Household)
class HouseholdAdmin(ScopedAdmin):
    form = HouseholdForm
    list_display = ["id", "head_name", "hukou_region", "area_type", "updated"]
    list_filter = ["area_type"]
    search_fields = ["head_name", "=members__id_number"]
    inlines = [MemberInline, IncomeInline, AssetInline, RigidCostInline, SupporterInline, BankAccountInline]
    list_select_related = ["hukou_region"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class UserBoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return UserBoundForm


@admin.register(Region)
class RegionAdmin(ScopedAdmin):
    scope_field = "code"
    list_display = ["code", "name", "level", "area", "registered_population"]
    list_filter = ["level", "area"]
    search_fields = ["=code", "name"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    autocomplete_fields = ["region"]


@admin.register(Beneficiary)
class BeneficiaryAdmin(ScopedAdmin):
    list_display = ["id", "household", "kind", "state", "monthly_amount", "first_paid_month"]
    list_filter = ["kind", "state"]
    readonly_fields = ["state"]
    raw_id_fields = ["household", "member"]


@admin.register(AuditLog)
class AuditLogAdmin(ScopedAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "region_code"]
    list_filter = ["action", "object_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdmin):
    scope_field = "household__region_code"
    list_display = ["household", "computed_at", "per_capita_income", "dibao_eligible", "marginal", "dibao_amount"]
