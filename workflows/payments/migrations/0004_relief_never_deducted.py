from django.db import migrations
from django.db.models import Count, F, Sum


def restore_full_amounts(apps, schema_editor):
    """Rosters not yet submitted pay the full amount again, and their totals follow.

    Submitted rosters stay as they were sent: they are the record of what finance allocated
    and the bank paid."""
    PaymentCycle = apps.get_model("payments", "PaymentCycle")
    RosterLine = apps.get_model("payments", "RosterLine")
    buildable = ["open", "roster_built"]
    touched = list(RosterLine.objects.filter(cycle__state__in=buildable, offset_amount__gt=0).values_list("cycle_id", flat=True).distinct())
    RosterLine.objects.filter(cycle_id__in=touched).update(amount=F("gross_amount"), offset_amount=0)
    for cycle in PaymentCycle.objects.filter(pk__in=touched):
        totals = RosterLine.objects.filter(cycle=cycle).aggregate(n=Count("pk"), total=Sum("amount"))
        PaymentCycle.objects.filter(pk=cycle.pk).update(line_count=totals["n"], total_amount=totals["total"] or 0)


class Migration(migrations.Migration):
    dependencies = [("payments", "0003_account_fix")]

    operations = [
        migrations.RunPython(restore_full_amounts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="rosterline", name="offsets"),
    ]
