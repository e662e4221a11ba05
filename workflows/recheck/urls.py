from django.urls import path

from . import bulk, pages

app_name = "recheck"

urlpatterns = [
    path("recheck/", pages.township_page, name="list"),
    path("recheck/export.xlsx", pages.township_export, name="export"),
    path("recheck/start/", bulk.bulk_start, name="bulk_start"),
    path("recheck/overpayments/", pages.overpayments_page, name="overpayments"),
]
