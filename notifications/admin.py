from django.contrib import admin

from workflows.core.admin_scoping import ProvinceWideAdmin

from .models import ChannelPreference, Delivery, Notification


@admin.register(Notification)
class NotificationAdmin(ProvinceWideAdmin):
    list_display = ["title", "user", "kind", "created", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user"]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(ProvinceWideAdmin):
    list_display = ["user", "email", "sms", "phone"]
    raw_id_fields = ["user"]


@admin.register(Delivery)
class DeliveryAdmin(ProvinceWideAdmin):
    # Read-mostly: it is the record of what was sent, used to find failed deliveries.
    list_display = ["recipient", "channel", "status", "attempts", "sent_at", "created"]
    list_filter = ["channel", "status"]
    search_fields = ["recipient", "idempotency_key"]
    raw_id_fields = ["notification"]
