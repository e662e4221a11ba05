from django.contrib import admin

from .models import Department, EventKind


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "active")
    readonly_fields = ("token_sha256", "account")


@admin.register(EventKind)
class EventKindAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department")
