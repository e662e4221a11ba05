"""The household page's monitoring signals: each, its action and whether it is closed."""

from workflows.core.panels import Panel

from . import selectors


def household_signals(request, household):
    if not request.user.has_perm("monitoring.view_signal"):
        return None
    signals = selectors.household_signals(household, request.user)
    if not signals:
        return None
    lines = [{"s": s, "outcome": selectors.outcome_label(s)} for s in signals]
    return Panel("低收入人口监测预警", "monitoring/_household_signals.html", {"lines": lines})
