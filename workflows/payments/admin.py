from django.contrib import admin

from .models import CpiFigure, SubsidyThreshold


@admin.register(CpiFigure)
class CpiFigureAdmin(admin.ModelAdmin):
    list_display = ["city", "month", "cpi_yoy", "food_cpi_yoy"]
    list_filter = ["city"]


@admin.register(SubsidyThreshold)
class SubsidyThresholdAdmin(admin.ModelAdmin):
    list_display = ["city", "cpi_threshold", "food_threshold"]
