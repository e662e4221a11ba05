from django.db import migrations


class Migration(migrations.Migration):
    """Interim relief is given first (先行给予, M6), never deducted from a later benefit: the
    offset a payment used to leave for the roster goes, with what recorded its settlement.
    Rosters not yet submitted are restored to the full amount by the payments migration."""

    dependencies = [("relief", "0002_one_case_per_household_event"), ("payments", "0004_relief_never_deducted")]

    operations = [
        migrations.RemoveField(model_name="reliefcase", name="offset_amount"),
        migrations.RemoveField(model_name="reliefcase", name="offset_applied"),
        migrations.RemoveField(model_name="reliefcase", name="offset_month"),
    ]
