"""Opening a library file safely: connections, transactions, errors.

The library is one SQLite file in WAL mode. Nothing here reads the file with
Python's own file functions: on Unix, closing any descriptor of a database
file drops every SQLite lock the process holds on it, and another process
would then delete the write-ahead log under a live connection.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from store.errors import LibraryDamaged, LibraryError, LibraryLocked, LibraryReadOnly

#: How long a statement waits for another process's write to finish
#: (READER_BUSY_TIMEOUT_MS overrides it).
BUSY_TIMEOUT_MS = int(os.environ.get("READER_BUSY_TIMEOUT_MS", "10000") or 10000)

SQLITE_CORRUPT = 11
SQLITE_NOTADB = 26


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a connection with the pragmas every part of the reader relies on.

    Nothing here reads the file with Python: on Unix, closing any descriptor
    of a database file drops every SQLite lock the process holds on it, and
    another process would then delete the write-ahead log under our feet.
    What the file is gets asked of SQLite itself (:func:`validate`).
    """
    if path.is_dir():  # a stat, not an open
        raise LibraryError("{path} is a folder, not a library file", path=path)
    if readonly:
        if not path.exists():
            raise LibraryError("no library at {path}", path=path)
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
            "the library {path} is busy: another program kept it locked for more than {seconds} s; try again",
            path=path,
            seconds=BUSY_TIMEOUT_MS // 1000,
        )
    if "readonly" in lowered or "read-only" in lowered:
        return LibraryReadOnly(
            "the library {path} is read-only (the file or its folder cannot be written)", path=path
        )
    if "unable to open" in lowered:
        if not os.access(path.parent, os.W_OK):
            return LibraryReadOnly("cannot open the library {path}: its folder cannot be written", path=path)
        return LibraryError("cannot open the library {path}", path=path)
    if _error_code(error) == SQLITE_NOTADB:
        return LibraryDamaged(
            "{path} is not a reader library (not a SQLite database, or its first page is damaged); "
            "choose another file with --db",
            path=path,
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
