"""The legal bases of the one-stop mechanism and their form sets (legal/data.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from legal.data import load as enter

    enter(apps.get_model("legal", "LegalDocument"), apps.get_model("legal", "FormSet"))


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
