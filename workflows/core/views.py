"""Household registry pages in the viewflow Site: a scoped list and an audited detail."""

from django.contrib.admin import display
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.html import format_html
from viewflow.urls import ReadonlyModelViewset
from viewflow.views import DetailModelView, ListModelView

from .models import Household, Member, Relation, mask_id
from .panels import panels_for
from .scoping import is_narrow, scoped
from .search import HINT, search_households
from .services import record_view


class HouseholdListView(ListModelView):
    template_name = "core/household_list.html"
    paginate_by = 20
    # Searching is ours (workflows.core.search); a non-None value shows viewflow's search box.
    search_fields = ()
    search_hint = HINT

    def get_queryset(self):
        # viewflow's search would apply `search_fields` (none): ours finds by ID, its last
        # digits, any member's name and the address, inside the scoped list.
        return search_households(super().get_queryset(), self.get_search_term() or "")

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("page_size", "")
        return int(size) if size in {"20", "50", "100"} else self.paginate_by

    # A column's label: `display` sets the short_description viewflow's lists read, as the admin's do.
    @display(description="编号")
    def number(self, obj):
        return obj.pk

    @display(description="户主身份号码")
    def head_id(self, obj):
        return mask_id(obj.head_id_number or "")

    @display(description="户籍村（社区）")
    def region(self, obj):
        return obj.hukou_region.name

    @display(description="人数")
    def members_count(self, obj):
        return obj.members_count

    @display(description="户主")
    def head(self, obj):
        return format_html('<a href="{}">{}</a>', self.viewset.reverse("detail", args=[obj.pk]), obj.head_name)


class HouseholdDetailView(DetailModelView):
    template_name = "core/household_detail.html"

    def get_queryset(self):
        return scoped(Household.objects.select_related("hukou_region", "residence_region"), self.request.user)

    def get_object(self):
        household = super().get_object()
        record_view(self.request.user, household)
        return household

    def get_context_data(self, **kwargs):
        household = self.object
        return super().get_context_data(
            members=household.members.all(),
            incomes=household.incomes.select_related("member"),
            assets=household.assets.all(),
            rigid_costs=household.rigid_costs.select_related("member"),
            supporters=household.supporters.all(),
            accounts=household.bank_accounts.select_related("member"),
            beneficiaries=household.beneficiaries.all(),
            assessment=household.assessments.select_related("standard").first(),
            panels=panels_for(self.request, household),
            **kwargs,
        )


class HouseholdViewset(ReadonlyModelViewset):
    model = Household
    title = "家庭档案"
    icon = "family_restroom"
    list_view_class = HouseholdListView
    detail_view_class = HouseholdDetailView
    list_columns = ("number", "head", "head_id", "region", "area_type", "members_count")

    def get_queryset(self, request):
        # Correlated subqueries instead of a JOIN ... GROUP BY: the cost follows the page
        # length, not the size of the user's whole region.
        head_id = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD).values("id_number")[:1]
        count = Member.objects.filter(household=OuterRef("pk")).order_by().values("household").annotate(n=Count("id")).values("n")
        # Newest first. For a county or smaller, order by an expression: PostgreSQL would
        # otherwise walk the primary key backwards and filter, reading most of the province's
        # rows when the region's households are old (412 ms at 1,000,000 households, against
        # 3 ms from the region index and a top-N sort; bench/bench_household_list.py).
        newest = (F("id") + 0).desc() if is_narrow(request.user) else F("id").desc()
        return (
            scoped(Household.objects.all(), request.user)
            .select_related("hukou_region")
            .annotate(members_count=Coalesce(Subquery(count), 0), head_id_number=Subquery(head_id))
            .order_by(newest)
        )


def may_open_registry(user) -> bool:
    """The 家庭档案 menu entry and its pages: roles that read households. Anonymous users pass
    here so that the registry's own views send them to the login page instead of a 403."""
    return not user.is_authenticated or user.has_perm("core.view_household")
