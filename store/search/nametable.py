"""The library's table of name keys: which indexed words may spell a name, by key.

``name_keys(key, term)`` holds, for every word the index holds that could be
a name, its script-tagged phonetic keys (:func:`store.analysis.names.key_rows`).
An import adds the keys of its new words as it writes their index entries;
a library made before the table existed gets it filled from its whole
vocabulary when it is opened (:func:`fill_from_index`). At query time a word
asks for the words of the *other* script with one of its keys, and only
those are checked (:func:`store.analysis.names.same_name`): a few
dictionary look-ups and a B-tree range, never a scan.

Stale rows (a word whose articles were deleted) cost nothing: every match is
looked up in the full-text index before it is used.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from store.analysis.arabic import is_arabic
from store.analysis.names import NAMES_VERSION, key_rows, name_keys

#: Between a stem and its surface in the import's stem pairs; a pair with an
#: empty stem names a new word whose stem is itself (not for the stem table).
PAIR_SEPARATOR = "\x1f"
META_KEY = "names_version"
#: Words of the other script checked per query word, at most.
MAX_CANDIDATES = 400

SCHEMA = """
CREATE TABLE IF NOT EXISTS name_keys (key TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (key, term))
    WITHOUT ROWID
"""


def write_pairs(conn: sqlite3.Connection, pairs: Iterable[str]) -> None:
    """Key the words of the import's stem pairs ("stem<US>surface")."""
    words = [pair[pair.find(PAIR_SEPARATOR) + 1 :] for pair in pairs]
    write_words(conn, words)


def write_words(conn: sqlite3.Connection, words: Iterable[str]) -> None:
    rows = key_rows(words)
    if not rows:
        return
    rows.sort()
    try:
        conn.executemany("INSERT OR IGNORE INTO name_keys (key, term) VALUES (?, ?)", rows)
    except sqlite3.OperationalError as error:  # a library opened without migrating (a check)
        if "no such table" not in str(error):
            raise


def fill_from_index(conn: sqlite3.Connection) -> None:
    """(Re)build the table from every word the full-text index holds."""
    conn.execute(SCHEMA)
    conn.execute("DELETE FROM name_keys")
    batch: list[str] = []
    for (term,) in conn.execute("SELECT term FROM articles_vocab"):
        batch.append(term)
        if len(batch) >= 20_000:
            write_words(conn, batch)
            batch = []
    write_words(conn, batch)
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (META_KEY, str(NAMES_VERSION)),
    )


def candidates(conn: sqlite3.Connection, word: str) -> list[str]:
    """Words of the other script that share a key with ``word`` (unchecked)."""
    keys = name_keys(word)
    if not keys:
        return []
    tag = "l:" if is_arabic(word) else "a:"
    tagged = [tag + key for key in keys if len(key) >= 2]
    if not tagged:
        return []
    sql = f"SELECT term FROM name_keys WHERE key IN ({','.join('?' * len(tagged))}) LIMIT ?"
    try:
        return [row[0] for row in conn.execute(sql, [*tagged, MAX_CANDIDATES])]
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        return []
