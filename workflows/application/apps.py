from django.apps import AppConfig


class ApplicationConfig(AppConfig):
    name = "workflows.application"
    label = "application"
    verbose_name = "申请审核确认"
