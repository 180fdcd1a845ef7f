"""PostgreSQL full-text search over the search text (documents.search): a stored, generated
``tsvector`` column ``search_tsv`` = ``to_tsvector('simple', search_text)`` with a GIN index.

The column is PostgreSQL's alone (Django's model does not know it: the database fills it on every
write, whoever writes). Stored rather than an index on the expression because ranking reads the
vector of every candidate, and re-parsing the text for each one cost ~20 µs a row (bench
documents_search). The embedded SQLite mode searches the text itself and has neither."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE documents_document ADD COLUMN IF NOT EXISTS search_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED")
        schema_editor.execute("CREATE INDEX IF NOT EXISTS documents_document_search_gin "
                              "ON documents_document USING gin (search_tsv)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS documents_document_search_gin")
        schema_editor.execute("ALTER TABLE documents_document DROP COLUMN IF EXISTS search_tsv")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_types")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
