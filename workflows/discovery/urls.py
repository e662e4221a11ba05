from django.urls import path

from . import api, views

app_name = "discovery"

urlpatterns = [
    path("discovery/ledger/", views.ledger_page, name="ledger"),
    path("discovery/ledger/export.xlsx", views.ledger_export, name="ledger_export"),
    path("api/discovery/referrals/", api.ReferralView.as_view(), name="api_referrals"),
]
