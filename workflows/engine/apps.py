from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "workflows.engine"
    label = "engine"
    verbose_name = "流程引擎"

    def ready(self):
        from workflows.policy.holiday_import import holidays_loaded

        from .tasks import on_holidays_loaded

        holidays_loaded.connect(on_holidays_loaded, dispatch_uid="engine-recount-provisional-deadlines")
