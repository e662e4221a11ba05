from django.apps import AppConfig


class EngineConfig(AppConfig):
    name = "workflows.engine"
    label = "engine"
    verbose_name = "流程引擎"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save
        from viewflow.workflow.models import Task

        from workflows.policy.holiday_import import holidays_loaded

        from .assignment import on_scoped_task_saved, on_task_saved
        from .calendar_watch import warn_administrator_on_login
        from .models import ScopedTask
        from .tasks import on_holidays_loaded

        holidays_loaded.connect(on_holidays_loaded, dispatch_uid="engine-recount-provisional-deadlines")
        # Every new human task tells who can act on it; a task that moves on settles that.
        post_save.connect(on_scoped_task_saved, sender=ScopedTask, dispatch_uid="engine-announce-and-settle-tasks")
        post_save.connect(on_task_saved, sender=Task, dispatch_uid="engine-settle-cancelled-tasks")
        # Beat tells the administrators weekly; the embedded mode runs no beat, so a login does.
        user_logged_in.connect(warn_administrator_on_login, dispatch_uid="engine-warn-calendar-on-login")
