"""An index for one- and two-character search terms (issue #13), which a trigram index cannot serve:
every character of the normalised text is a token.

SQLite: an FTS5 table (unicode61) over the text with a blank after every character, written by
records/search.py beside each SearchEntry, rows removed with it by a trigger; a two-character term is
a phrase of two tokens. PostgreSQL: a GIN index on the same spaced text as a 'simple' tsvector (an
expression index: nothing stored twice); a term's characters are ANDed through it and the exact
substring checked on the few rows found. Entries made before this migration are dropped and rebuilt
at the next search."""
from django.db import migrations

# The same expression as records.search.PG_CHARS (the planner uses the index only for it).
PG_CHARS = r"to_tsvector('simple'::regconfig, regexp_replace(text, '(.)', '\1 ', 'g'))"

SQLITE = [
    "CREATE VIRTUAL TABLE records_searchentry_chars USING fts5(chars, tokenize='unicode61')",
    "CREATE TRIGGER records_searchentry_chars_ad AFTER DELETE ON records_searchentry BEGIN "
    "DELETE FROM records_searchentry_chars WHERE rowid = old.document_id; END",
    "DELETE FROM records_searchentry",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS records_searchentry_chars_ad",
    "DROP TABLE IF EXISTS records_searchentry_chars",
]
POSTGRES = [f"CREATE INDEX records_searchentry_chars ON records_searchentry USING gin (({PG_CHARS}))"]
POSTGRES_DROP = ["DROP INDEX IF EXISTS records_searchentry_chars"]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0009_search'),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
