"""The library's schema: what a library file must be, and its migrations.

A file that is not ours (another program's database, a text file, a library
written by a newer reader) is refused with a clear message instead of being
"repaired" or overwritten; what the file is gets asked of SQLite itself.
Migrations run in one ``BEGIN IMMEDIATE`` transaction each and are safe to
run again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from store.db.connection import translate_errors, write_transaction
from store.errors import LibraryError

#: Written into the SQLite header so we recognise our own files ("ARDR").
APPLICATION_ID = 0x41524452
SCHEMA_VERSION = 6

# FTS5 column order matters: bm25() weights and column filters refer to it.
FTS_COLUMNS = ("title", "body")

_SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    source_key TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    encoding TEXT NOT NULL,
    raw BLOB NOT NULL,
    title TEXT NOT NULL,
    title_from_lead INTEGER NOT NULL DEFAULT 0,
    dateline TEXT,
    site TEXT,
    credits TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    word_count INTEGER NOT NULL DEFAULT 0,
    bookmarked INTEGER NOT NULL DEFAULT 0,
    bookmarked_at TEXT,
    read INTEGER NOT NULL DEFAULT 0,
    imported_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    parser_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_source_key ON articles(source_key);
CREATE INDEX IF NOT EXISTS articles_bookmarked ON articles(bookmarked) WHERE bookmarked = 1;
CREATE INDEX IF NOT EXISTS articles_unread ON articles(read) WHERE read = 0;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- Analysed terms only (no content copy): the article text lives in articles.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, title_stem, body_stem,
    content='', tokenize='ascii', prefix='2 3'
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_vocab USING fts5vocab(articles_fts, 'row');
"""

# Version 2: the full-text index holds each word once, as its normalised
# surface form, with no prefix index; a ``terms`` table maps surfaces to their
# stems, and queries look up all the forms of a stem there. Half the index,
# twice the import speed of version 1. The index is emptied here and rebuilt
# from the articles by the library on open.
_SCHEMA_V2 = """
DROP TABLE IF EXISTS articles_vocab;
DROP TABLE IF EXISTS articles_fts;
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', tokenize='ascii');
CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, 'row');
-- Merge index segments less eagerly while importing (FTS5's default is 4):
-- a third faster to build, and queries still probe only a few segments.
INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
CREATE TABLE IF NOT EXISTS terms (stem TEXT NOT NULL, surface TEXT NOT NULL, PRIMARY KEY (stem, surface))
    WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('analyzer_version', 'rebuild')
    ON CONFLICT(key) DO UPDATE SET value = 'rebuild';
"""

# Version 3: news from the web. Feeds, the entries each feed listed (one
# article may be reached through several feeds), and what an article from the
# web carries: its link, when it was published, its author, its first feed,
# what its raw bytes are (text file, web page, feed text), and whether its
# page is still to be fetched.
_SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    named_by_user INTEGER NOT NULL DEFAULT 0,
    site_url TEXT,
    category TEXT,
    full_text INTEGER,
    etag TEXT,
    last_modified TEXT,
    added_at TEXT NOT NULL,
    last_refresh TEXT,
    last_success TEXT,
    status TEXT NOT NULL DEFAULT 'never',
    error TEXT,
    errors_in_a_row INTEGER NOT NULL DEFAULT 0,
    retry_after TEXT,
    warning TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_key TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entries_article ON entries(article_id);
"""

#: Columns version 3 adds to ``articles`` (ALTER TABLE has no IF NOT EXISTS).
_V3_COLUMNS = (
    ("url", "TEXT"),
    ("published_at", "TEXT"),
    ("author", "TEXT"),
    ("feed_id", "INTEGER REFERENCES feeds(id) ON DELETE SET NULL"),
    ("raw_kind", "TEXT NOT NULL DEFAULT 'text'"),
    ("page_pending", "INTEGER NOT NULL DEFAULT 0"),
)

_V3_INDEXES = """
CREATE INDEX IF NOT EXISTS articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_feed ON articles(feed_id) WHERE feed_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_when ON articles(coalesce(published_at, imported_at), id);
CREATE INDEX IF NOT EXISTS articles_pending ON articles(page_pending) WHERE page_pending = 1;
"""


def _migrate_v3(conn: sqlite3.Connection) -> None:
    for statement in _statements(_SCHEMA_V3):
        conn.execute(statement)
    have = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    for name, kind in _V3_COLUMNS:
        if name not in have:
            conn.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")
    for statement in _statements(_V3_INDEXES):
        conn.execute(statement)


def _migrate_v4(conn: sqlite3.Connection) -> None:
    """Version 4: the name keys of the index's words, for names across scripts.

    Filled from the whole vocabulary of the index here; imports then add the
    keys of their new words.
    """
    from store.search import nametable

    nametable.fill_from_index(conn)


# Version 5: the feed entries of articles the user deleted, so that the next
# refresh does not bring them back.
_SCHEMA_V5 = """
CREATE TABLE IF NOT EXISTS deleted_entries (
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    entry_key TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (feed_id, entry_key)
) WITHOUT ROWID;
"""


def _migrate_v6(conn: sqlite3.Connection) -> None:
    """Version 6: raw bytes stored compressed, ``raw_codec`` saying how.

    Rows already stored stay as they are ("plain", the column's default, so
    adding it rewrites nothing and opening the library waits for nothing);
    new and re-parsed articles are written compressed
    (see :func:`store.db.articles.pack_raw`).
    """
    have = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    if "raw_codec" not in have:
        conn.execute("ALTER TABLE articles ADD COLUMN raw_codec TEXT NOT NULL DEFAULT 'plain'")


Migration = str | Callable[[sqlite3.Connection], None]

#: Migration n takes a library at schema version n-1 to version n.
MIGRATIONS: dict[int, Migration] = {
    1: _SCHEMA_V1,
    2: _SCHEMA_V2,
    3: _migrate_v3,
    4: _migrate_v4,
    5: _SCHEMA_V5,
    6: _migrate_v6,
}


def validate(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a library this version can use.

    SQLite reads the header for us (``application_id`` and ``user_version``
    live in it); a file that is not SQLite at all fails that read. An empty
    file is a new library. Nothing is written.
    """
    with translate_errors(path):
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if application_id not in (0, APPLICATION_ID):
        raise LibraryError("{path} is a SQLite database of another program, not a reader library", path=path)
    if user_version > SCHEMA_VERSION:
        raise LibraryError(
            f"the library {path} was written by a newer version of reader "
            f"(schema {user_version}, this one knows {SCHEMA_VERSION}); upgrade reader to open it"
        )


def migrate(conn: sqlite3.Connection, path: Path) -> bool:
    """Bring the schema up to date. Returns True when anything changed."""
    with translate_errors(path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION and _has_tables(conn, version):
            return False
        if version == 0 and _has_foreign_tables(conn):
            raise LibraryError(
                "{path} is a SQLite database of another program, not a reader library", path=path
            )
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        with write_transaction(conn, path):
            # Re-read inside the lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            # Every migration is written to be safe to run again, so a library
            # whose tables went missing is repaired by running them all.
            first = version + 1 if _has_tables(conn, version) else 1
            for target in range(first, SCHEMA_VERSION + 1):
                migration = MIGRATIONS[target]
                if callable(migration):
                    migration(conn)
                else:
                    for statement in _statements(migration):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return True


def _statements(script: str) -> Iterator[str]:
    """Split a schema script into statements (no semicolons inside them)."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    for statement in "\n".join(lines).split(";"):
        if statement.strip():
            yield statement


#: The tables a library at each schema version has.
_TABLES = {
    0: frozenset(),
    1: frozenset({"articles", "meta", "articles_fts"}),
    2: frozenset({"articles", "meta", "articles_fts", "terms"}),
    3: frozenset({"articles", "meta", "articles_fts", "terms", "feeds", "entries"}),
    4: frozenset({"articles", "meta", "articles_fts", "terms", "feeds", "entries", "name_keys"}),
    5: frozenset(
        {"articles", "meta", "articles_fts", "terms", "feeds", "entries", "name_keys", "deleted_entries"}
    ),
    6: frozenset(
        {"articles", "meta", "articles_fts", "terms", "feeds", "entries", "name_keys", "deleted_entries"}
    ),
}


def _has_tables(conn: sqlite3.Connection, version: int) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return _TABLES[version] <= names


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    ours = {"articles", "meta", "articles_vocab", "terms", "feeds", "entries", "name_keys", "deleted_entries"}
    return any(not (name in ours or name.startswith("articles_fts")) for name in names)
