from django.apps import AppConfig


class RecheckConfig(AppConfig):
    name = "workflows.recheck"
    label = "recheck"
    verbose_name = "复核与退出"
