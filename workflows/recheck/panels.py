"""The household page's history of rechecks: each, its outcome and its notice."""

from workflows.core.panels import Panel

from . import selectors


def household_rechecks(request, household):
    if not request.user.has_perm("recheck.view_recheck"):
        return None
    rechecks = selectors.history(household)
    return Panel("复核记录", "recheck/_household_history.html", {"rechecks": rechecks, "empty": not rechecks})
