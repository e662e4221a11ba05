"""The departments and event codes of M1 (workflows.policy.monitoring): data, extendable in
the admin."""

from django.db import migrations

from workflows.monitoring import defaults


def load(apps, schema_editor):
    defaults.load(apps.get_model("monitoring", "Department"), apps.get_model("monitoring", "EventKind"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
