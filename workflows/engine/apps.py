from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "workflows.engine"
    label = "engine"
    verbose_name = "流程引擎"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from workflows.policy.holiday_import import holidays_loaded

        from .calendar_watch import warn_administrator_on_login
        from .tasks import on_holidays_loaded

        holidays_loaded.connect(on_holidays_loaded, dispatch_uid="engine-recount-provisional-deadlines")
        # Beat tells the administrators weekly; the embedded mode runs no beat, so a login does.
        user_logged_in.connect(warn_administrator_on_login, dispatch_uid="engine-warn-calendar-on-login")
