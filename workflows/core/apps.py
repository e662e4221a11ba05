from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workflows.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import sync_role_groups

        # Every app: the process apps create their task permissions after this one migrates.
        post_migrate.connect(sync_role_groups, dispatch_uid="sync_role_groups")
