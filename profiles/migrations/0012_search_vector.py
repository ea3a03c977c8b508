"""A stored search vector on PostgreSQL: a generated tsvector column with a GIN index, so that
search matches word prefixes through the index and ranks without rebuilding each row's vector.

It replaces the expression index of 0004 (the trigram index stays, for pieces inside a word).
SQLite has no such column; search there is a plain substring match (profiles.search).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE profiles_publishedrevision ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, COALESCE(search_text, ''))) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS profiles_revision_search_vector ON profiles_publishedrevision "
            "USING gin (search_vector)"
        )
        schema_editor.execute("DROP INDEX IF EXISTS profiles_revision_search_fts")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS profiles_revision_search_vector")
        schema_editor.execute("ALTER TABLE profiles_publishedrevision DROP COLUMN IF EXISTS search_vector")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS profiles_revision_search_fts ON profiles_publishedrevision "
            "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0011_rendered_pages")]

    operations = [migrations.RunPython(create, drop)]
