"""The household page's petitions: each, its state and its notices."""

from workflows.core.panels import Panel

from . import selectors


def household_petitions(request, household):
    if not request.user.has_perm("petitions.view_petition"):
        return None
    petitions = selectors.household_petitions(household, request.user)
    return Panel("信访记录", "petitions/_household_petitions.html", {"petitions": petitions, "empty": not petitions})


def case_petitions(request, process):
    if not request.user.has_perm("petitions.view_petition"):
        return None
    petitions = selectors.case_petitions(process, request.user)
    if not petitions:
        return None
    return Panel("涉及本业务的信访", "petitions/_household_petitions.html", {"petitions": petitions, "empty": False})
