from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = "文书"

    def ready(self):
        from . import checks  # noqa: F401 - registers the renderer's system check
