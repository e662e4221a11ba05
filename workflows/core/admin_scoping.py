"""The Django admin is for administrators, and inside their region only (DESIGN §4.3: no back
door). An administrator role is bound to a county, city or the province; superusers see
everything. Ordinary staff roles (and `is_staff` alone) do not open the admin.

Every ModelAdmin holding regional data derives from RegionScopedAdmin: its list, its object
pages and the choices of its foreign keys are filtered by the prefixes of the user's
administrator roles, and an object outside them answers 404.
"""

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.http import Http404

from .models import Region, StaffRole
from .scoping import ALL, scope_prefixes, scoped

ADMIN_ROLES = (StaffRole.ADMINISTRATOR,)


def admin_prefixes(user) -> set[str]:
    return scope_prefixes(user, ADMIN_ROLES)


def is_administrator(user) -> bool:
    return bool(admin_prefixes(user))


class AdministratorLoginForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        # Django's form asks for is_staff; here the administrator role decides.
        if not user.is_active or not is_administrator(user):
            raise ValidationError("该账号不是系统管理员，不能进入管理后台。业务办理请从首页登录。", code="invalid_login")


class AdministratorSite(admin.AdminSite):
    site_header = site_title = "皖救助管理后台"
    index_title = "系统管理"
    login_form = AdministratorLoginForm

    def has_permission(self, request):
        return request.user.is_active and is_administrator(request.user)


class ScopedChoicesMixin:
    """Only regions and regional records inside the scope can be chosen (also by a raw id)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = _scope_path(db_field.remote_field.model)
        if field is not None:
            base = kwargs.get("queryset") or db_field.remote_field.model._default_manager.all()
            kwargs["queryset"] = scoped(base, request.user, field, ADMIN_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RegionScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A ModelAdmin of regional data: `scope_field` names the 12-digit region code (a column or
    a path such as "county__code")."""

    scope_field = "region_code"

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user, self.scope_field, ADMIN_ROLES)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Missing and out of scope look the same: the record does not exist for this user.
            raise Http404("记录不存在或不在您的辖区内")
        return obj


class ProvinceWideAdmin(admin.ModelAdmin):
    """Records that belong to no region (notifications of any user, delivery records): for
    superusers only, since no county's administrator may read another county's."""

    def _everything(self, request) -> bool:
        return ALL in admin_prefixes(request.user)

    def has_module_permission(self, request):
        return self._everything(request)

    def has_view_permission(self, request, obj=None):
        return self._everything(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._everything(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._everything(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._everything(request) and super().has_delete_permission(request, obj)


def _scope_path(model) -> str | None:
    if model is Region:
        return "code"
    for field, path in (("region_code", "region_code"), ("household", "household__region_code")):
        try:
            model._meta.get_field(field)
        except FieldDoesNotExist:
            continue
        return path
    return None
