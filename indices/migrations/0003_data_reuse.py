"""Indicator 6.3 (data reused) computed from the reuses the dossiers record (datastore, ADR 0044): the roll-up
count and the 2022 set's formula. The roll-ups of past days hold 0 reuses until rebuilt (indices_rebuild)."""

from django.db import migrations, models

REUSE = {"formula": "share", "parameters": {"numerator": "reused_online", "denominator": "received_online"}}
NOT_RECORDED = {"formula": "not_recorded", "parameters": {"what": "data_reuse"}}


def _set(apps, values):
    Indicator = apps.get_model("indices", "Indicator")
    Indicator.objects.filter(group__index_set__year=2022, code="6.3").update(**values)


def forwards(apps, schema_editor):
    _set(apps, REUSE)


def backwards(apps, schema_editor):
    _set(apps, NOT_RECORDED)


class Migration(migrations.Migration):

    dependencies = [
        ("indices", "0002_decision_766_tree"),
        ("datastore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="dailycount", name="reused_online", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="monthlycount", name="reused_online",
                            field=models.PositiveIntegerField(default=0)),
        migrations.RunPython(forwards, backwards),
    ]
