"""The departments and event codes of M1 (workflows.policy.monitoring): data, extendable in
the admin."""

from django.db import migrations

from workflows.policy import monitoring as rules


def load(apps, schema_editor):
    Department = apps.get_model("monitoring", "Department")
    EventKind = apps.get_model("monitoring", "EventKind")
    departments = {}
    for code, name in rules.DEPARTMENTS.items():
        departments[code], _ = Department.objects.get_or_create(code=code, defaults={"name": name})
    for code, (name, department) in rules.EVENTS.items():
        EventKind.objects.get_or_create(code=code, defaults={"name": name, "department": departments[department]})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
