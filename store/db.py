"""Opening a library file safely, its schema, and its migrations.

The library is one SQLite file in WAL mode. A file that is not ours
(another program's database, a text file, a library written by a newer
reader) is refused with a clear message instead of being "repaired" or
overwritten; what the file is gets asked of SQLite, never read with Python's
own file functions (see :func:`connect`). Migrations run in one
``BEGIN IMMEDIATE`` transaction each and are safe to run again.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

from store.errors import LibraryDamaged, LibraryError, LibraryLocked, LibraryReadOnly

#: Written into the SQLite header so we recognise our own files ("ARDR").
APPLICATION_ID = 0x41524452
SCHEMA_VERSION = 2
#: How long a statement waits for another process's write to finish
#: (READER_BUSY_TIMEOUT_MS overrides it).
BUSY_TIMEOUT_MS = int(os.environ.get("READER_BUSY_TIMEOUT_MS", "10000") or 10000)

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26

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

#: Migration n takes a library at schema version n-1 to version n.
MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1, 2: _SCHEMA_V2}


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a connection with the pragmas every part of the reader relies on.

    Nothing here reads the file with Python: on Unix, closing any descriptor
    of a database file drops every SQLite lock the process holds on it, and
    another process would then delete the write-ahead log under our feet.
    What the file is gets asked of SQLite itself (:func:`validate`).
    """
    if path.is_dir():  # a stat, not an open
        raise LibraryError(f"{path} is a folder, not a library file")
    if readonly:
        if not path.exists():
            raise LibraryError(f"no library at {path}")
        conn = _connect_read_only(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LibraryReadOnly(
                f"cannot create the folder {path.parent} for the library: {error.strerror}"
            ) from None
        with translate_errors(path):
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    with translate_errors(path):
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA cache_size = -32000")
        if not readonly:
            conn.execute("PRAGMA synchronous = NORMAL")
    return conn


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
        raise LibraryError(f"{path} is a SQLite database of another program, not a reader library")
    if user_version > SCHEMA_VERSION:
        raise LibraryError(
            f"the library {path} was written by a newer version of reader "
            f"(schema {user_version}, this one knows {SCHEMA_VERSION}); upgrade reader to open it"
        )


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection, even where the folder is read-only too.

    WAL readers need the -shm file; when it cannot be created, the file is
    opened as immutable (no locking), which is right for a library nobody can
    write to anyway.
    """
    uri = f"file:{_uri_path(path)}?mode=ro"
    with translate_errors(path):
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
    except sqlite3.DatabaseError:
        return conn  # not a database, or damaged: validate() says which
    uri = f"file:{_uri_path(path)}?mode=ro&immutable=1"
    with translate_errors(path):
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


def _uri_path(path: Path) -> str:
    from urllib.parse import quote

    return quote(str(path.resolve()))


def migrate(conn: sqlite3.Connection, path: Path) -> bool:
    """Bring the schema up to date. Returns True when anything changed."""
    with translate_errors(path):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION and _has_tables(conn):
            return False
        if version == 0 and _has_foreign_tables(conn):
            raise LibraryError(f"{path} is a SQLite database of another program, not a reader library")
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        with write_transaction(conn, path):
            # Re-read inside the lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            # Every migration is written to be safe to run again, so a library
            # whose tables went missing is repaired by running them all.
            first = version + 1 if _has_tables(conn) else 1
            for target in range(first, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
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


def _has_tables(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {"articles", "meta", "articles_fts", "terms"} <= names


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    ours = {"articles", "meta", "articles_vocab", "terms"}
    return any(not (name in ours or name.startswith("articles_fts")) for name in names)


@contextlib.contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error.

    Taking the write lock up front means a writer waits (busy timeout) for
    another writer instead of failing half-way through with SQLITE_BUSY.
    """
    with translate_errors(path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's exceptions about the file into one-line ReaderErrors."""
    try:
        yield
    except sqlite3.OperationalError as error:
        raise _translate(error, path) from None
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.IntegrityError):
            raise
        raise _translate(error, path) from None


def _translate(error: sqlite3.Error, path: Path) -> Exception:
    message = str(error)
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return LibraryLocked(
            f"the library {path} is busy: another program kept it locked for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; try again"
        )
    if "readonly" in lowered or "read-only" in lowered:
        return LibraryReadOnly(f"the library {path} is read-only (the file or its folder cannot be written)")
    if "unable to open" in lowered:
        if not os.access(path.parent, os.W_OK):
            return LibraryReadOnly(f"cannot open the library {path}: its folder cannot be written")
        return LibraryError(f"cannot open the library {path}")
    if _error_code(error) == SQLITE_NOTADB:
        return LibraryDamaged(
            f"{path} is not a reader library (not a SQLite database, or its first page is damaged); "
            "choose another file with --db"
        )
    if _error_code(error) == SQLITE_CORRUPT or any(
        word in lowered for word in ("malformed", "not a database", "corrupt")
    ):
        return LibraryDamaged(damaged_message(path, message))
    if "disk i/o" in lowered or "disk is full" in lowered or "full" in lowered:
        return LibraryError(f"cannot write the library {path}: {message}")
    if isinstance(error, sqlite3.OperationalError):
        return LibraryError(f"library error ({path}): {message}")
    return LibraryError(f"the library {path} cannot be used: {message}")


def damaged_message(path: Path, detail: str) -> str:
    """What to tell a user whose library is damaged: what helps, not a loop."""
    return (
        f"the library {path} is damaged ({detail}); nothing more is written to it. "
        f"Copy what can still be read into a new library with `reader --db {shlex.quote(str(path))} "
        "recover NEW.db`, "
        "then use NEW.db (or import your files again)"
    )


def _error_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF  # the primary code of an extended one


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


ProgressCallback = Callable[[int, int], None]
