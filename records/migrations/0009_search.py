"""Full-text search over what was read (issue #13): the SearchEntry table and its index.

SQLite: an FTS5 table with the trigram tokenizer over SearchEntry.text (external content, kept
in step by triggers), for terms of three characters or more; shorter terms are looked up in
SearchEntry by records/search.py. PostgreSQL: pg_trgm's GIN index on SearchEntry.text, which
serves LIKE '%term%' for terms of three characters or more."""
from django.db import migrations, models
import django.db.models.deletion

SQLITE = [
    "CREATE VIRTUAL TABLE records_searchentry_fts USING fts5("
    "text, content='records_searchentry', content_rowid='document_id', tokenize='trigram')",
    "CREATE TRIGGER records_searchentry_ai AFTER INSERT ON records_searchentry BEGIN "
    "INSERT INTO records_searchentry_fts(rowid, text) VALUES (new.document_id, new.text); END",
    "CREATE TRIGGER records_searchentry_ad AFTER DELETE ON records_searchentry BEGIN "
    "INSERT INTO records_searchentry_fts(records_searchentry_fts, rowid, text) VALUES ('delete', old.document_id, old.text); END",
    "CREATE TRIGGER records_searchentry_au AFTER UPDATE ON records_searchentry BEGIN "
    "INSERT INTO records_searchentry_fts(records_searchentry_fts, rowid, text) VALUES ('delete', old.document_id, old.text); "
    "INSERT INTO records_searchentry_fts(rowid, text) VALUES (new.document_id, new.text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS records_searchentry_au",
    "DROP TRIGGER IF EXISTS records_searchentry_ad",
    "DROP TRIGGER IF EXISTS records_searchentry_ai",
    "DROP TABLE IF EXISTS records_searchentry_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX records_searchentry_trgm ON records_searchentry USING gin (text gin_trgm_ops)",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS records_searchentry_trgm"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0008_long_paths_raw_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('document', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='records.document')),
                ('text', models.TextField()),
            ],
            options={
                'verbose_name': '检索文本',
                'verbose_name_plural': '检索文本',
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
