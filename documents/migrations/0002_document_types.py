from django.db import migrations


def load(apps, schema_editor):
    from documents.types import DOCUMENT_TYPES

    DocumentType = apps.get_model("documents", "DocumentType")
    for order, (abbreviation, name, is_letter) in enumerate(DOCUMENT_TYPES, start=1):
        DocumentType.objects.update_or_create(abbreviation=abbreviation,
                                              defaults={"name": name, "is_letter": is_letter, "order": order})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
