"""Panels that process apps add to the household page (its history of rechecks, …) and to a
case's page (the petitions about it).

core sits below the process apps and imports none of them: an app registers its panel when it
is ready (AppConfig.ready), and the household page shows every panel that has something."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


#: (request, household) -> Panel | None, in the order the apps are ready.
_PANELS: list[Callable] = []


def register(panel: Callable) -> Callable:
    if panel not in _PANELS:
        _PANELS.append(panel)
    return panel


def panels_for(request, household) -> list[Panel]:
    return [p for p in (make(request, household) for make in _PANELS) if p is not None]


#: (request, process) -> Panel | None: panels on a case's (a process's) page.
_CASE_PANELS: list[Callable] = []


def register_case(panel: Callable) -> Callable:
    if panel not in _CASE_PANELS:
        _CASE_PANELS.append(panel)
    return panel


def case_panels_for(request, process) -> list[Panel]:
    return [p for p in (make(request, process) for make in _CASE_PANELS) if p is not None]
