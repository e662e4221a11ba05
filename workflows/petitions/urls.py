from django.urls import path

from . import api, pages, public

app_name = "petitions"

urlpatterns = [
    path("petitions/", pages.list_page, name="list"),
    path("petitions/repeats/", pages.repeats_page, name="repeats"),
    path("petitions/risks/", pages.risks_page, name="risks"),
    path("petitions/<int:pk>/follow-up/", pages.follow_up, name="follow_up"),
    path("xinfang/online/", public.online, name="online"),
    path("xinfang/status/", public.status, name="status"),
    path("api/petitions/work-orders/", api.WorkOrderView.as_view(), name="api_work_orders"),
]
