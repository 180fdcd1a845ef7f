from django.db import migrations


def load(apps, schema_editor):
    from datastore.catalog import load_kinds

    load_kinds(apps.get_model("datastore", "PaperKind"))


class Migration(migrations.Migration):
    dependencies = [("datastore", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
