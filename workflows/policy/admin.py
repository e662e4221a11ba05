"""Admin pages of the working-day calendar: the loaded years, their days, and an import page
that takes the State Council's yearly arrangement without shell access (DESIGN §4.4)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone

from forms.policy import HolidayConfirmForm, HolidayFileForm

from . import calendar, holiday_import
from .models import HolidayCalendar, HolidayYear


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "rest_days", "make_up_days", "loaded"]
    readonly_fields = ["year", "source", "loaded"]
    change_list_template = "admin/policy/holidayyear/change_list.html"

    def has_add_permission(self, request):
        return False  # a year comes in whole, through the import page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deadlines already counted with the year would no longer be explained

    def get_queryset(self, request):
        # Both counts in the list's one query: the days are keyed by date, not by a year row.
        days = HolidayCalendar.objects.annotate(year=ExtractYear("day")).filter(year=OuterRef("year")).values("year")

        def count(working: bool):
            return Subquery(days.annotate(n=Count("pk", filter=Q(is_working_day=working))).values("n"), output_field=IntegerField())

        return super().get_queryset(request).annotate(rest=count(False), make_up=count(True))

    @admin.display(description="休息日（天）", ordering="rest")
    def rest_days(self, obj):
        return obj.rest or 0

    @admin.display(description="调休上班日（天）", ordering="make_up")
    def make_up_days(self, obj):
        return obj.make_up or 0

    def changelist_view(self, request, extra_context=None):
        today = timezone.localdate()
        extra = {
            "missing_years": calendar.missing_years(today),
            "provisional_years": calendar.provisional_years(today),
            "can_import": self._can_import(request),
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def get_urls(self):
        return [path("import/", self.admin_site.admin_view(self.import_view), name="policy_holidayyear_import"), *super().get_urls()]

    def _can_import(self, request):
        # The same permission that gets the weekly reminder (workflows.engine.calendar_watch).
        return request.user.has_perm(holiday_import.IMPORT_PERMISSION)

    def import_view(self, request):
        if not self._can_import(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入法定节假日安排"}
        if request.method == "POST" and "text" in request.POST:
            confirm = HolidayConfirmForm(request.POST)
            if confirm.is_valid():
                parsed = confirm.parsed
                replaced = HolidayYear.objects.filter(year=parsed.year).exists()
                rest, work = holiday_import.save(parsed)
                verb = "已替换" if replaced else "已导入"
                messages.success(
                    request,
                    f"{verb} {parsed.year} 年节假日安排：休息日 {rest} 天，调休上班日 {work} 天" + (f"（依据：{parsed.source}）" if parsed.source else ""),
                )
                return redirect("admin:policy_holidayyear_changelist")
            return TemplateResponse(
                request, "admin/policy/holidayyear/import.html", {**context, "form": HolidayFileForm(), "errors": confirm.non_field_errors()}
            )
        form = HolidayFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            parsed = form.parsed
            rest, work = holiday_import.counts(parsed)
            return TemplateResponse(
                request,
                "admin/policy/holidayyear/import.html",
                {
                    **context,
                    "title": f"确认导入 {parsed.year} 年法定节假日安排",
                    "parsed": parsed,
                    "rest": rest,
                    "work": work,
                    "days": sorted(parsed.days.items()),
                    "replaces": HolidayYear.objects.filter(year=parsed.year).exists(),
                    "confirm": HolidayConfirmForm(initial={"text": form.text}),
                },
            )
        return TemplateResponse(request, "admin/policy/holidayyear/import.html", {**context, "form": form})


@admin.register(HolidayCalendar)
class HolidayCalendarAdmin(admin.ModelAdmin):
    list_display = ["day", "weekday", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    readonly_fields = ["day", "name", "is_working_day"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a day is corrected by importing the year again, so years stay whole

    @admin.display(description="星期")
    def weekday(self, obj):
        return "星期" + holiday_import.WEEKDAYS[obj.day.weekday()]
