"""Stable links to a task and a case, for what is sent out (notifications, their emails).

A flow's own task URL names its flow and node, and exists only once the viewflow Site has
been built; these name only the record, and are answered at request time, when it has.
Mounted at the root by config.urls (links.py builds them from this module alone).
"""

from django.urls import path

from . import views

app_name = "engine"

urlpatterns = [
    path("tasks/<int:task_pk>/", views.task_open, name="task_open"),
    path("cases/<int:process_pk>/", views.process_open, name="process_open"),
]
