from django.urls import path

from . import api, pages, public, supervision

app_name = "petitions"

urlpatterns = [
    path("petitions/", pages.list_page, name="list"),
    path("petitions/repeats/", pages.repeats_page, name="repeats"),
    path("petitions/risks/", pages.risks_page, name="risks"),
    path("petitions/<int:pk>/follow-up/", pages.follow_up, name="follow_up"),
    path("petitions/statistics/", supervision.statistics_page, name="statistics"),
    path("petitions/statistics/export.xlsx", supervision.statistics_export, name="statistics_export"),
    path("petitions/statistics/bulletin/", supervision.statistics_bulletin, name="statistics_bulletin"),
    path("xinfang/online/", public.online, name="online"),
    path("xinfang/status/", public.status, name="status"),
    path("api/petitions/work-orders/", api.WorkOrderView.as_view(), name="api_work_orders"),
]
