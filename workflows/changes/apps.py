from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "workflows.changes"
    label = "changes"
    verbose_name = "家庭信息变更"
