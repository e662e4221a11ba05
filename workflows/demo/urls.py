from django.urls import path

from . import views

app_name = "demo"

urlpatterns = [path("demo/clock/", views.fast_forward, name="clock")]
