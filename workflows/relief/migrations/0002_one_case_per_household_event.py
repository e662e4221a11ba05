import hashlib

from django.db import migrations, models


def fill_event_keys(apps, schema_editor):
    """Key the existing cases by their facts. Cases already paid twice for the same facts stay
    (the money went out), each keyed apart so that the constraint can hold from now on."""
    ReliefCase = apps.get_model("relief", "ReliefCase")
    seen = set()
    for case in ReliefCase.objects.order_by("pk").only("pk", "household_id", "reason"):
        key = hashlib.sha256("".join(case.reason.split()).encode()).hexdigest()
        if (case.household_id, key) in seen:
            key = f"{key[:40]}-{case.pk}"
        seen.add((case.household_id, key))
        ReliefCase.objects.filter(pk=case.pk).update(event_key=key)


class Migration(migrations.Migration):
    dependencies = [("relief", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="reliefcase", name="event_key",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="困难事件标识"), preserve_default=False,
        ),
        migrations.RunPython(fill_event_keys, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reliefcase",
            constraint=models.UniqueConstraint(fields=("household", "event_key"), name="relief_one_case_per_household_event"),
        ),
    ]
