from django.apps import AppConfig


class DeskConfig(AppConfig):
    """工作台: the landing page, which gathers every process's tasks and the notices to sign."""

    name = "workflows.desk"
    label = "desk"
    verbose_name = "工作台"
