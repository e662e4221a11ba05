from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AdministratorAdminConfig(admin_apps.AdminConfig):
    """The admin site that only administrators enter (core.admin_scoping)."""

    default = False
    default_site = "workflows.core.admin_scoping.AdministratorSite"


class CoreConfig(AppConfig):
    default = True
    name = "workflows.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from .models import StaffRole
        from .roles import on_staff_role_saved, sync_role_groups

        # Every app: the process apps create their task permissions after this one migrates.
        post_migrate.connect(sync_role_groups, dispatch_uid="sync_role_groups")
        post_save.connect(on_staff_role_saved, sender=StaffRole, dispatch_uid="core-staff-role-joins-group")
