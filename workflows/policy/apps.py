from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "workflows.policy"
    label = "policy"
    verbose_name = "政策标准"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .tasks import warn_administrator_on_login

        # Beat tells the administrators weekly; the embedded mode runs no beat, so a login does.
        user_logged_in.connect(warn_administrator_on_login, dispatch_uid="policy-warn-calendar-on-login")
