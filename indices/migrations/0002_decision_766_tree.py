from django.db import migrations


def load(apps, schema_editor):
    from indices.catalog import load_tree

    load_tree(apps.get_model("indices", "IndexSet"), apps.get_model("indices", "Group"),
              apps.get_model("indices", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("indices", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
