"""The household page's petitions: each, its state and its notices."""

from workflows.core.panels import Panel

from . import selectors


def household_petitions(request, household):
    if not request.user.has_perm("petitions.view_petition"):
        return None
    petitions = selectors.household_petitions(household, request.user)
    return Panel("信访记录", "petitions/_household_petitions.html", {"petitions": petitions, "empty": not petitions})
