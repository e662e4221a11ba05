from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "workflows.monitoring"
    label = "monitoring"
    verbose_name = "低收入人口动态监测"

    def ready(self):
        # The household page shows the signals about it; core, below this app, imports
        # nothing of it.
        from workflows.core.panels import register

        from .panels import household_signals
        from .services import feed_compared
        from .tasks import on_feed_compared

        register(household_signals)
        feed_compared.connect(on_feed_compared, dispatch_uid="monitoring-open-actions")
