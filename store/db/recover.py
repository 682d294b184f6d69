"""Copying what can still be read out of a damaged library into a new one.

The damaged file is only ever opened read-only. Article IDs are found through
every structure that holds them (the table itself and its indexes), each
article is then read on its own, so one bad page costs the articles on it and
no others. The new library gets the rows as they were (IDs, bookmarks, read
state, raw bytes, compressed now if they were stored plain; the feeds, the
entries each has seen and the ones whose articles were deleted) and a search
index built afresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.db import connection as dbmod
from store.db.articles import RAW_PLAIN, pack_raw
from store.errors import LibraryError

#: Tables copied, parents first; the search index and word tables are rebuilt instead.
TABLES = ("feeds", "articles", "entries", "deleted_entries")
BATCH = 500
#: Columns of the keyed tables that point at a copied row: a row whose feed or
#: article was lost goes with it.
PARENTS = {"feed_id": "feeds", "article_id": "articles"}


@dataclass
class Recovery:
    copied: dict[str, int]
    unreadable: dict[str, int]
    bookmarked: int


def recover(damaged: Path, target: Path, progress: Callable[[int, int], None] | None = None) -> Recovery:
    """Copy every readable row of ``damaged`` into the new library ``target``."""
    from store.library import Library

    if target.exists() and target.stat().st_size > 0:
        raise LibraryError("{path} already exists: name a new file to recover into", path=target)
    if damaged.resolve() == target.resolve():
        raise LibraryError("recover into a new file, not into the damaged library itself")
    source = dbmod.connect(damaged, readonly=True)
    try:
        with Library(target):
            pass  # creates the file with today's schema
        copied: dict[str, int] = {}
        unreadable: dict[str, int] = {}
        out = dbmod.connect(target)
        try:
            wanted = {t: _columns(out, t) for t in TABLES}
            for table in TABLES:
                have = _columns(source, table)
                columns = [c for c in wanted[table] if c in have]
                if not columns:
                    continue
                if _without_rowid(source, table):
                    # Feed entries (the stories a refresh has seen, the ones the
                    # user deleted): without them a refresh would bring deleted
                    # stories back.
                    feeds = [row[0] for row in out.execute("SELECT id FROM feeds")]
                    rows, unreadable[table] = _keyed_rows(source, table, columns, feeds)
                    rows = _with_parents(out, columns, rows)
                    _write_rows(out, target, table, columns, rows)
                    copied[table] = len(rows)
                    continue
                ids = sorted(_readable_ids(source, table))
                copied[table] = unreadable[table] = 0
                for start in range(0, len(ids), BATCH):
                    rows = []
                    for row_id in ids[start : start + BATCH]:
                        row = _read_row(source, table, columns, row_id)
                        if row is None:
                            unreadable[table] += 1
                        else:
                            rows.append(row)
                    if table == "articles":
                        _write_rows(out, target, table, *_packed(columns, rows))
                    else:
                        _write_rows(out, target, table, columns, rows)
                    copied[table] += len(rows)
                    if progress and table == "articles":
                        progress(min(start + BATCH, len(ids)), len(ids))
            bookmarked = int(out.execute("SELECT count(*) FROM articles WHERE bookmarked = 1").fetchone()[0])
        finally:
            out.close()
    finally:
        source.close()
    with Library(target) as library:
        library.rebuild_index()
    return Recovery(copied, unreadable, bookmarked)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    except sqlite3.DatabaseError:
        return []


def _without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    try:
        conn.execute(f"SELECT rowid FROM {table} LIMIT 0")
    except sqlite3.OperationalError as error:
        return "rowid" in str(error)
    except sqlite3.DatabaseError:
        return False
    return False


def _primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    info = conn.execute(f"PRAGMA table_info({table})").fetchall()
    return [row[1] for row in sorted((row for row in info if row[5]), key=lambda row: row[5])]


def _keyed_rows(
    conn: sqlite3.Connection, table: str, columns: list[str], groups: Iterable[int]
) -> tuple[list[tuple[object, ...]], int]:
    """The rows of a table keyed by (feed, …) instead of row IDs, and how many could not be read.

    The whole table in one scan; if a bad page stops it, each feed's rows on
    their own (a bad page costs the rest of its feeds' rows), then, one by
    one, the rows whose keys an index still holds.
    """
    key = _primary_key(conn, table)
    if not key or any(name not in columns for name in key):
        return [], 0
    select = f"SELECT {', '.join(columns)} FROM {table}"
    places = [columns.index(name) for name in key]
    rows: dict[tuple[object, ...], tuple[object, ...]] = {}

    def take(sql: str, params: tuple[object, ...] = ()) -> bool:
        found, complete = _fetch(conn, sql, params)
        rows.update((tuple(row[i] for i in places), row) for row in found)
        return complete

    if take(select):
        return list(rows.values()), 0
    for group in groups:
        take(f"{select} WHERE {key[0]} = ?", (group,))
    indexed: set[tuple[object, ...]] = set()
    for name in _index_names(conn, table):
        # The keys read before a bad page are kept.
        indexed.update(_fetch(conn, f"SELECT {', '.join(key)} FROM {table} INDEXED BY {name}")[0])
    equal = " AND ".join(f"{name} = ?" for name in key)
    # A seek for a key stored on an interior page that follows a bad leaf goes
    # down into that leaf; a seek from the other side does not.
    from_above = " AND ".join([*(f"{name} = ?" for name in key[:-1]), f"{key[-1]} <= ?"])
    lookups = (f"{select} WHERE {equal}", f"{select} WHERE {from_above} ORDER BY {key[-1]} DESC LIMIT 1")
    unreadable = 0
    for wanted in indexed - rows.keys():
        for sql in lookups:
            try:
                row = conn.execute(sql, wanted).fetchone()
            except sqlite3.DatabaseError:
                continue
            if row is not None and tuple(row[i] for i in places) == wanted:
                rows[wanted] = tuple(row)
                break
        else:
            unreadable += 1
    return list(rows.values()), unreadable


def _with_parents(
    out: sqlite3.Connection, columns: list[str], rows: list[tuple[object, ...]]
) -> list[tuple[object, ...]]:
    """The rows whose feed and article (where they name one) are in the new library."""
    for column, parent in PARENTS.items():
        if column in columns:
            at = columns.index(column)
            kept = {row[0] for row in out.execute(f"SELECT id FROM {parent}")}
            rows = [row for row in rows if row[at] in kept]
    return rows


def _readable_ids(conn: sqlite3.Connection, table: str) -> set[int]:
    """Row IDs reachable through the table or any of its indexes."""
    found = _table_ids(conn, table)
    for name in _index_names(conn, table):
        found |= _scan(conn, f"SELECT rowid FROM {table} INDEXED BY {name}")[0]
    return found


def _index_names(conn: sqlite3.Connection, table: str) -> list[str]:
    try:
        return [row[1] for row in conn.execute(f"PRAGMA index_list({table})")]
    except sqlite3.DatabaseError:
        return []


def _table_ids(conn: sqlite3.Connection, table: str) -> set[int]:
    """A scan of the table that seeks past bad pages instead of stopping at the first."""
    found, complete = _scan(conn, f"SELECT rowid FROM {table} ORDER BY rowid")
    last = max(found, default=0)
    while not complete:
        jump = 1
        while True:  # the first readable row after the bad page
            try:
                row = conn.execute(
                    f"SELECT rowid FROM {table} WHERE rowid >= ? ORDER BY rowid LIMIT 1", (last + jump,)
                ).fetchone()
            except sqlite3.DatabaseError:
                jump *= 2
                if jump > 1 << 40:
                    return found
                continue
            if row is None:
                return found
            break
        more, complete = _scan(conn, f"SELECT rowid FROM {table} WHERE rowid >= {int(row[0])} ORDER BY rowid")
        found |= more
        last = max(more, default=int(row[0]))
    return found


def _scan(conn: sqlite3.Connection, sql: str) -> tuple[set[int], bool]:
    """The IDs a query yields until it ends or hits a bad page; and whether it ended."""
    rows, complete = _fetch(conn, sql)
    return {int(row[0]) for row in rows}, complete


def _fetch(
    conn: sqlite3.Connection, sql: str, params: tuple[object, ...] = ()
) -> tuple[list[tuple[Any, ...]], bool]:
    """The rows a query yields until it ends or hits a bad page (those read before
    it are kept); and whether it ended."""
    rows: list[tuple[Any, ...]] = []
    try:
        cursor = conn.execute(sql, params)
        while batch := cursor.fetchmany(1000):
            rows.extend(map(tuple, batch))  # plain tuples (not sqlite3.Row): they are keys too
    except sqlite3.DatabaseError:
        return rows, False
    return rows, True


def _read_row(
    conn: sqlite3.Connection, table: str, columns: list[str], row_id: int
) -> tuple[object, ...] | None:
    try:
        row = conn.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE rowid = ?", (row_id,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    return None if row is None else tuple(row)


def _packed(columns: list[str], rows: list[tuple[object, ...]]) -> tuple[list[str], list[tuple[object, ...]]]:
    """Article rows with their raw bytes compressed, as the new library stores them."""
    if "raw" not in columns:
        return columns, rows
    raw_at = columns.index("raw")
    if "raw_codec" not in columns:  # a library from before raw bytes were compressed
        columns = [*columns, "raw_codec"]
        rows = [(*row, RAW_PLAIN) for row in rows]
    codec_at = columns.index("raw_codec")
    packed: list[tuple[object, ...]] = []
    for row in rows:
        raw = row[raw_at]
        if row[codec_at] == RAW_PLAIN and isinstance(raw, bytes):
            items = list(row)
            items[raw_at], items[codec_at] = pack_raw(raw)
            row = tuple(items)
        packed.append(row)
    return columns, packed


def _write_rows(
    conn: sqlite3.Connection, path: Path, table: str, columns: Iterable[str], rows: list[tuple[object, ...]]
) -> None:
    columns = list(columns)
    sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    with dbmod.write_transaction(conn, path):
        conn.executemany(sql, rows)
