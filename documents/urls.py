"""URLs of the documents app. Public pages need no login; staff pages are region-scoped."""

from django.urls import path  # noqa: F401 - used by the entries below

app_name = "documents"

urlpatterns = []
