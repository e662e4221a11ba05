"""Panels that process apps add to the household page (its history of rechecks, …) and to a
case's (a process's) page (the petitions about it).

core sits below the process apps and imports none of them: an app registers its panel when it
is ready (AppConfig.ready), and the page shows every panel that has something."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)


class Panels:
    """(request, subject) -> Panel | None makers, in the order the apps are ready."""

    def __init__(self) -> None:
        self._makers: list[Callable] = []

    def register(self, maker: Callable) -> Callable:
        if maker not in self._makers:
            self._makers.append(maker)
        return maker

    def for_(self, request, subject) -> list[Panel]:
        return [p for p in (make(request, subject) for make in self._makers) if p is not None]


HOUSEHOLD = Panels()
CASE = Panels()

# The names the household page and the apps have used.
register = HOUSEHOLD.register
register_case = CASE.register


def panels_for(request, household) -> list[Panel]:
    return HOUSEHOLD.for_(request, household)


def case_panels_for(request, process) -> list[Panel]:
    return CASE.for_(request, process)
