"""Admin pages of the working-day calendar: the loaded years, their days, and an import page
that takes the State Council's yearly arrangement without shell access (DESIGN §4.4)."""

from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone

from forms.policy import HolidayConfirmForm, HolidayFileForm

from . import calendar, holiday_import
from .models import HolidayCalendar, HolidayYear

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _DayCounts(TypedDict):
        rest: int | None
        make_up: int | None

    #: A year row of the list, with its days counted (HolidayYearAdmin.get_queryset).
    _CountedYear = WithAnnotations[HolidayYear, _DayCounts]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[M] needs django_stubs_ext.monkeypatch() at runtime
    list_display = ["year", "source", "rest_days", "make_up_days", "loaded"]
    readonly_fields = ["year", "source", "loaded"]
    change_list_template = "admin/policy/holidayyear/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a year comes in whole, through the import page

    def has_change_permission(self, request: HttpRequest, obj: HolidayYear | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: HolidayYear | None = None) -> bool:
        return False  # deadlines already counted with the year would no longer be explained

    def get_queryset(self, request: HttpRequest) -> QuerySet[HolidayYear]:
        # Both counts in the list's one query: the days are keyed by date, not by a year row.
        days = HolidayCalendar.objects.annotate(year=ExtractYear("day")).filter(year=OuterRef("year")).values("year")

        def count(working: bool) -> Subquery:
            return Subquery(days.annotate(n=Count("pk", filter=Q(is_working_day=working))).values("n"), output_field=IntegerField())

        years: QuerySet[HolidayYear] = super().get_queryset(request)  # the base is unparametrised
        return years.annotate(rest=count(False), make_up=count(True))

    @admin.display(description="休息日（天）", ordering="rest")
    def rest_days(self, obj: "_CountedYear") -> int:
        return obj.rest or 0

    @admin.display(description="调休上班日（天）", ordering="make_up")
    def make_up_days(self, obj: "_CountedYear") -> int:
        return obj.make_up or 0

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        today = timezone.localdate()
        extra = {
            "missing_years": calendar.missing_years(today),
            "provisional_years": calendar.provisional_years(today),
            "can_import": self._can_import(request),
        }
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def get_urls(self) -> list[URLPattern]:
        return [path("import/", self.admin_site.admin_view(self.import_view), name="policy_holidayyear_import"), *super().get_urls()]

    def _can_import(self, request: HttpRequest) -> bool:
        # The same permission that gets the weekly reminder (workflows.engine.calendar_watch).
        return request.user.has_perm(holiday_import.IMPORT_PERMISSION)

    def import_view(self, request: HttpRequest) -> HttpResponse:
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
class HolidayCalendarAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # ModelAdmin[M] needs django_stubs_ext.monkeypatch() at runtime
    list_display = ["day", "weekday", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    readonly_fields = ["day", "name", "is_working_day"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: HolidayCalendar | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: HolidayCalendar | None = None) -> bool:
        return False  # a day is corrected by importing the year again, so years stay whole

    @admin.display(description="星期")
    def weekday(self, obj: HolidayCalendar) -> str:
        return "星期" + holiday_import.WEEKDAYS[obj.day.weekday()]
