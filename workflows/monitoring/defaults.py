"""The M1 departments and event codes as rows (workflows.policy.monitoring): loaded by
migration 0002 with its historical models, and again by services.ensure_defaults where a
database lost them. Rows that exist are kept as the admin left them."""

from workflows.policy import monitoring as rules


def load(department_model, event_model) -> None:
    departments = {code: department_model.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in rules.DEPARTMENTS.items()}
    for code, (name, department) in rules.EVENTS.items():
        event_model.objects.get_or_create(code=code, defaults={"name": name, "department": departments[department]})
