from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "workflows.discovery"
    label = "discovery"
    verbose_name = "主动发现"

    def ready(self):
        from django.db.models.signals import post_save

        from workflows.application.models import Application

        from .services import link_application

        # The application is filed through its own start view, which knows nothing of leads;
        # the link back to the lead it answers is made here when the application is saved.
        post_save.connect(link_application, sender=Application, dispatch_uid="discovery_link_application")
