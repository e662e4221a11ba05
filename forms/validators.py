"""Date validators for form fields: the same rules and messages as the services
(workflows.core.validators), against today's date when the form is checked."""

from django.utils import timezone

from workflows.core.validators import validate_not_after_today, validate_not_before_today


class NotAfterToday:
    """For a fact that happened: a visit, a meeting held, a payment made."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value):
        validate_not_after_today(value, self.label, today=timezone.localdate())


class NotBeforeToday:
    """For a plan: the day a meeting is to be held."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, value):
        validate_not_before_today(value, self.label, today=timezone.localdate())
