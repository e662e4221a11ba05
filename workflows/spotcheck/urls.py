from django.urls import path

from . import views

app_name = "spotcheck"

urlpatterns = [
    path("spotcheck/coverage/", views.coverage_page, name="coverage"),
    path("spotcheck/<int:pk>/", views.cases_page, name="cases"),
]
