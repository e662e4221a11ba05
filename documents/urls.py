"""URLs of the documents app. Public pages need no login; staff pages are region-scoped."""

from django.urls import path

from . import citizen, staff_views, views_batch, views_public, views_sign

app_name = "documents"

urlpatterns = [
    path("notices/batches/<str:batch_id>/", views_batch.batch_progress_page, name="batch_progress"),
    path("notices/batches/<str:batch_id>/progress", views_batch.batch_progress_json, name="batch_progress_json"),
    path("verify/<str:token>", views_public.verify, name="verify"),
    path("notices/<int:pk>/sign/", views_sign.notice_sign, name="notice_sign"),
    path("notices/<int:pk>/pdf/", views_sign.notice_pdf, name="notice_pdf"),
    path("notices/download", citizen.download, name="citizen_download"),
    path("notices/", staff_views.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", staff_views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/deliver/", staff_views.notice_deliver, name="notice_deliver"),
    path("notices/<int:pk>/acknowledge/", staff_views.notice_acknowledge, name="notice_acknowledge"),
    path("notices/<int:pk>/proof/", staff_views.notice_proof, name="notice_proof"),
]
