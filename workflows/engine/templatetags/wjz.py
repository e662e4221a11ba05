"""Template helpers for the process pages: who may cancel, a person's name."""

from django import template

from workflows.core.panels import case_panels_for

register = template.Library()


@register.filter
def may_manage(flow_class, user) -> bool:
    """Whether `user` may cancel the flow's processes (viewflow's cancel view asks the same)."""
    return bool(flow_class) and flow_class.instance.has_manage_permission(user)


@register.filter
def person(user) -> str:
    """A staff member as a person: their full name, the username only when there is none."""
    if not user:
        return ""
    return user.get_full_name() or user.get_username()


@register.filter
def region_name(code: str) -> str:
    """A region as people name it (合肥市长丰县水湖镇), not its 12-digit code."""
    from workflows.core.models import Region

    region = Region.objects.select_related("parent", "parent__parent", "parent__parent__parent").filter(code=code).first()
    return region.full_name if region else code


#: Process columns that are the machinery, not the case: viewflow's own links, and how the
#: deadline was counted (its 暂定 mark is shown beside the deadline instead).
HIDDEN_FIELDS = frozenset(
    {
        "parent_task",
        "data",
        "flow_class",
        "artifact_object_id",
        "artifact_content_type",
        "seed_object_id",
        "seed_content_type",
        "due_provisional",
        "due_from",
        "due_working_days",
    }
)


@register.filter
def is_shown(field) -> bool:
    return getattr(field, "name", "") not in HIDDEN_FIELDS


@register.filter
def shown_value(value, field):
    """A process field's value for people: regions by name, staff by their names, yes or no
    in words."""
    from django.contrib.auth import get_user_model

    if isinstance(value, bool):
        return "是" if value else "否"
    if getattr(field, "name", "") == "region_code":
        return region_name(value)
    if isinstance(value, get_user_model()):
        return person(value)
    return value


@register.simple_tag(takes_context=True)
def case_panels(context, process):
    """What other apps show on a case's page (core.panels.register_case), e.g. its petitions."""
    return case_panels_for(context["request"], process)
