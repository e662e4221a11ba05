from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("payments/<int:pk>/roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("payments/<int:pk>/bank-file.csv", views.bank_file, name="bank_file"),
    path("payments/<int:pk>/report/", views.report, name="report"),
    path("payments/townships/", views.township_totals, name="township_totals"),
]
