from django.contrib import admin

from workflows.core.admin_scoping import RegionScopedAdmin

from .models import CpiFigure, SubsidyThreshold


@admin.register(CpiFigure)
class CpiFigureAdmin(RegionScopedAdmin):
    scope_field = "city__code"
    list_display = ["city", "month", "cpi_yoy", "food_cpi_yoy"]
    list_filter = ["city"]


@admin.register(SubsidyThreshold)
class SubsidyThresholdAdmin(RegionScopedAdmin):
    scope_field = "city__code"
    list_display = ["city", "cpi_threshold", "food_threshold"]
