"""Time limits get a kind (working days, working hours, calendar days, same day) and an exact amount."""

import datetime as dt
from decimal import Decimal

from django.db import migrations, models

SAME_DAY = {"2.000815", "2.000884"}  # chứng thực: Decree 23/2015/NĐ-CP art. 7, cut-off 15:00
CALENDAR_DAYS = {"3.000333"}  # lý lịch tư pháp: Law on Judicial Records art. 48, in days


def kinds(apps, schema_editor):
    version_model = apps.get_model("procedures", "ProcedureVersion")
    for version in version_model.objects.select_related("procedure"):
        code = version.procedure.code
        if version.time_limit == 0 or code in SAME_DAY:
            version.time_limit_kind, version.time_limit, version.time_limit_cutoff = "same_day", Decimal(0), dt.time(15)
        elif code in CALENDAR_DAYS:
            version.time_limit_kind = "calendar_days"
        else:
            continue
        version.save(update_fields=["time_limit_kind", "time_limit", "time_limit_cutoff"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]

    operations = [
        migrations.RenameField("procedureversion", "time_limit_days", "time_limit"),
        migrations.AlterField(
            model_name="procedureversion", name="time_limit",
            field=models.DecimalField(
                "time limit", max_digits=7, decimal_places=2, default=Decimal(1),
                help_text="Counted from receipt of a complete, valid dossier, in the unit of its kind (0 for same-day)"),
        ),
        migrations.AddField(
            model_name="procedureversion", name="time_limit_kind",
            field=models.CharField(
                "kind of time limit", max_length=16, default="working_days",
                choices=[("working_days", "working days"), ("working_hours", "working hours"),
                         ("calendar_days", "calendar days"), ("same_day", "same day (with a cut-off hour)")]),
        ),
        migrations.AddField(
            model_name="procedureversion", name="time_limit_cutoff",
            field=models.TimeField(
                "cut-off hour", null=True, blank=True,
                help_text="Same-day procedures: received at or after this hour, settled the next working day "
                          "(15:00 if empty)"),
        ),
        migrations.RunPython(kinds, migrations.RunPython.noop),
    ]
