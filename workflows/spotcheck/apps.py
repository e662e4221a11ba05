from django.apps import AppConfig


class SpotCheckConfig(AppConfig):
    name = "workflows.spotcheck"
    label = "spotcheck"
    verbose_name = "抽查"
