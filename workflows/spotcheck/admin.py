from django.contrib import admin

from workflows.core.admin_scoping import RegionScopedAdmin

from .models import SampledCase, SpotCheck


class SampledCaseInline(admin.TabularInline):
    model = SampledCase
    fields = readonly_fields = ("application", "must_include", "state", "result", "action", "recovered_amount")
    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # a drawn sample is frozen


@admin.register(SpotCheck)
class SpotCheckAdmin(RegionScopedAdmin):
    list_display = ["county", "period_start", "period_end", "state", "frame_size", "seed"]
    list_filter = ["state"]
    readonly_fields = ["county", "period_start", "period_end", "ratio", "seed", "frame_size", "state", "drawn_at", "sample_list", "report"]
    inlines = [SampledCaseInline]
