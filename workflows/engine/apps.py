from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "workflows.engine"
    label = "engine"
    verbose_name = "流程引擎"
