from django.apps import AppConfig


class ApplicationConfig(AppConfig):
    name = "workflows.application"
    label = "application"
    verbose_name = "申请审核确认"

    def ready(self):
        from documents.delivery import notice_delivered

        from .handlers import close_delivery_task

        notice_delivered.connect(close_delivery_task, dispatch_uid="application.close_delivery_task")
