"""Reserve funds (top-ups with a 拨款文号) and emergency periods, in the scoped admin."""

from decimal import Decimal

from django import forms
from django.contrib import admin

from workflows.core.admin_scoping import RegionScopedAdmin

from . import services
from .models import EmergencyPeriod, FundEntry, ReserveFund


class FundEntryInline(admin.TabularInline):
    """The ledger, read-only: entries are appended by services only."""

    model = FundEntry
    extra = 0
    can_delete = False
    fields = readonly_fields = ("created", "kind", "amount", "balance_after", "reference", "relief", "created_by")

    def has_add_permission(self, request, obj=None):
        return False


class TopUpForm(forms.ModelForm):
    top_up_amount = forms.DecimalField(label="本次拨入金额（元）", max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    top_up_reference = forms.CharField(label="拨款文号", max_length=100)

    class Meta:
        model = ReserveFund
        fields = ["township"]


@admin.register(ReserveFund)
class ReserveFundAdmin(RegionScopedAdmin):
    form = TopUpForm
    list_display = ["township", "balance", "updated"]
    readonly_fields = ["balance"]
    inlines = [FundEntryInline]

    def get_readonly_fields(self, request, obj=None):
        return ["township", "balance"] if obj else ["balance"]

    def save_model(self, request, obj, form, change):
        # The balance moves only through the ledger; services open the fund on its first top-up.
        services.top_up(obj.township_id, form.cleaned_data["top_up_amount"], form.cleaned_data["top_up_reference"], request.user)
        obj.refresh_from_db()  # the township is the primary key, so obj names the fund already


@admin.register(EmergencyPeriod)
class EmergencyPeriodAdmin(RegionScopedAdmin):
    list_display = ["region", "reason", "starts", "ends", "declared_by"]
    exclude = ["declared_by"]

    def save_model(self, request, obj, form, change):
        obj.declared_by = request.user
        super().save_model(request, obj, form, change)
