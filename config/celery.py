import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("wanjiuzhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def load_urls(**kwargs):
    """Build the URL tree in the worker too: a flow node's URLs exist only once the viewflow
    Site in config.urls has been made, and tasks put task and case links in notifications
    (reminders, escalations, new tasks). A web process builds it on its first request."""
    import django

    django.setup()
    import config.urls  # noqa: F401
