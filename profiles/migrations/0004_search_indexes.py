"""PostgreSQL search indexes: trigram for substring match, GIN full-text for ranking.

SQLite has neither; there the same queries run as plain scans, which is fine at its scale.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    (
        "profiles_revision_search_trgm",
        "CREATE INDEX IF NOT EXISTS profiles_revision_search_trgm ON profiles_publishedrevision "
        "USING gin (search_text gin_trgm_ops)",
    ),
    (
        "profiles_revision_search_fts",
        "CREATE INDEX IF NOT EXISTS profiles_revision_search_fts ON profiles_publishedrevision "
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(search_text, '')))",
    ),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for _, sql in INDEXES:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_editorial_groups")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
