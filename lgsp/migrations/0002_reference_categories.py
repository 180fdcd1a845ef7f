"""The reference lists the platform keeps (ethnic groups, religions, nationalities, sex, marital
status) as shared-category rows, version 1."""

from django.db import migrations

from lgsp.reference import all_rows


def load(apps, schema_editor):
    CategoryRow = apps.get_model("lgsp", "CategoryRow")
    CategoryVersion = apps.get_model("lgsp", "CategoryVersion")
    for category, rows in all_rows().items():
        CategoryRow.objects.bulk_create([CategoryRow(category=category, code=code, name=name) for code, name in rows],
                                        ignore_conflicts=True)
        CategoryVersion.objects.get_or_create(category=category)


def unload(apps, schema_editor):
    apps.get_model("lgsp", "CategoryRow").objects.filter(added_by__isnull=True).delete()
    apps.get_model("lgsp", "CategoryVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("lgsp", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
