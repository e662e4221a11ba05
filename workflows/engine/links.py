"""The links that notifications store: built from the engine's own URLs (urls.py), so a
worker, a beat job or a management command makes them without loading the URL root, which
imports every flow."""

from django.urls import reverse

URLCONF = "workflows.engine.urls"  # mounted at the root by config.urls; a test holds them equal


def task_link(task_pk: int) -> str:
    """Where a notification about a task sends its reader: the task's page in its flow."""
    return reverse("task_open", urlconf=URLCONF, args=[task_pk])


def process_link(process_pk: int) -> str:
    """Where a notification about a case sends its reader: the case's page in its flow."""
    return reverse("process_open", urlconf=URLCONF, args=[process_pk])
