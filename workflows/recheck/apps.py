from django.apps import AppConfig


class RecheckConfig(AppConfig):
    name = "workflows.recheck"
    label = "recheck"
    verbose_name = "复核与退出"

    def ready(self):
        # The household page shows the rechecks; core, below this app, imports nothing of it.
        from workflows.core.panels import register

        from .panels import household_rechecks

        register(household_rechecks)
