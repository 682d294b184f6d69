"""Writing prepared articles and their index terms into the library.

Articles are written in transactions together with their index entries, so
a crash leaves whole articles only. An article is recognised again by where
it came from (``source_key``: a file's real path, a page's canonical link)
and by its content: the same file with new content is updated in place
(bookmark and read state stay), the same content from elsewhere is stored
once.

The full-text index keeps no copy of its text: deleting an article's index
entry names the exact terms that were indexed, recomputed from the stored
fields with the same analyzer version.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from store.importing.prepare import (
    PAIR_SEPARATOR,
    AlreadyStored,
    IndexTerms,
    PreparedArticle,
    PrepareFailure,
    fts_terms,
)
from store.models import ImportOutcome
from store.search import nametable
from store.text.parse import PARSER_VERSION, ParsedArticle

Prepared = PreparedArticle | PrepareFailure | AlreadyStored

_FIELDS = (
    "origin, content_hash, encoding, raw, title, title_from_lead, dateline, site, credits, body, "
    "word_count, updated_at, parser_version, raw_kind, url, published_at, author, raw_codec"
)


class Writer:
    """Stores prepared articles; remembers which words' stems it has written."""

    def __init__(self) -> None:
        #: Stem pairs written to the terms table by this process: a long import
        #: sends each new word to the table once, not once per article.
        self.session_pairs: set[str] = set()

    def store_batch(
        self,
        conn: sqlite3.Connection,
        batch: list[Prepared],
        now: str,
        known_keys: set[str] | None = None,
    ) -> list[ImportOutcome]:
        """Store a batch inside the caller's transaction."""
        outcomes: list[ImportOutcome] = []
        pending: list[str] = []
        # A run of articles from sources the library does not know yet, with
        # no content twice: added together (see _add_all).
        run: list[PreparedArticle] = []
        hashes: set[str] = set()
        try:
            for item in batch:
                if (
                    known_keys is not None
                    and isinstance(item, PreparedArticle)
                    and item.source_key not in known_keys
                    and item.content_hash not in hashes
                ):
                    run.append(item)
                    hashes.add(item.content_hash)
                    continue
                if run:  # in order: what comes next may depend on it
                    outcomes.extend(self._add_all(conn, run, now, known_keys, pending))
                    run.clear()
                    hashes.clear()
                if isinstance(item, PrepareFailure):
                    outcomes.append(ImportOutcome(item.origin, "failed", reason=item.reason))
                elif isinstance(item, AlreadyStored):
                    outcomes.append(ImportOutcome(item.origin, "unchanged", _id_of(conn, item.content_hash)))
                else:
                    outcomes.append(self.store(conn, item, now, known_keys, pending))
            if run:
                outcomes.extend(self._add_all(conn, run, now, known_keys, pending))
            # New words of the whole batch, in one sorted write, each word once per session.
            new = set(pending) - self.session_pairs
            write_stem_pairs(conn, new)
        except BaseException:
            # Rolled back: the words this session thought it had written may not be there.
            self.session_pairs.clear()
            raise
        self.session_pairs |= new
        return outcomes

    def _add_all(
        self,
        conn: sqlite3.Connection,
        items: list[PreparedArticle],
        now: str,
        known_keys: set[str] | None,
        pending: list[str],
    ) -> list[ImportOutcome]:
        """Add articles from new sources, with no content twice among them, in
        two statements run over all of them: a fifth of the writer's time went
        into running one statement per article.

        Content the library has already (another program added it since the
        import began) is looked up first, under the write lock, and left out;
        the others get the next ids in order, as one by one.
        """
        present = _ids_of(conn, [item.content_hash for item in items])
        new = [item for item in items if item.content_hash not in present]
        first = int(conn.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()[0])
        ids = {item.content_hash: article_id for article_id, item in enumerate(new, first)}
        rows = []
        for item in new:
            item.pack()
            rows.append((ids[item.content_hash], *_fields(item, now), item.source_key, now))
        conn.executemany(_INSERT_NEW, rows)
        conn.executemany(
            _INSERT_INDEX,
            [(ids[item.content_hash], *item.terms.columns) for item in new],
        )
        for item in new:
            pending.extend(item.terms.stem_pairs)
        if known_keys is not None:
            known_keys.update(item.source_key for item in new)
        return [
            ImportOutcome(item.origin, "unchanged", present[item.content_hash])
            if item.content_hash in present
            else ImportOutcome(item.origin, "added", ids[item.content_hash])
            for item in items
        ]

    def store(
        self,
        conn: sqlite3.Connection,
        item: PreparedArticle,
        now: str,
        known_keys: set[str] | None = None,
        pending: list[str] | None = None,
        extra: dict[str, object] | None = None,
    ) -> ImportOutcome:
        """Add or update one article. ``extra`` columns are written with a new article's row
        (a row holds its kept page: writing it twice costs as much as the page)."""
        item.pack()  # already done by an import's workers; here for the rest
        fields = _fields(item, now)
        old = None
        if known_keys is None or item.source_key in known_keys:
            old = conn.execute(
                "SELECT id, title, body, dateline, site, credits, content_hash FROM articles "
                "WHERE source_key = ? ORDER BY id DESC LIMIT 1",
                (item.source_key,),
            ).fetchone()
        if old is not None and old["content_hash"] != item.content_hash:
            same = _id_of(conn, item.content_hash)
            if same is not None:  # the new content is another article already here
                return ImportOutcome(item.origin, "unchanged", same)
            # Same source, new content: update in place so bookmark and read state stay.
            fts_delete(conn, old)
            assignments = ", ".join(
                f"{name} = {marker}" for name, marker in zip(_FIELD_NAMES, _MARKERS, strict=True)
            )
            conn.execute(f"UPDATE articles SET {assignments} WHERE id = ?", (*fields, old["id"]))
            fts_insert(conn, old["id"], item.terms)
            return ImportOutcome(item.origin, "updated", old["id"])
        if old is not None:
            return ImportOutcome(item.origin, "unchanged", old["id"])
        # Unique by content: a second copy of an article inserts nothing.
        extra = extra or {}
        values = (*fields, item.source_key, now, *extra.values())
        columns = ", ".join((_FIELDS, "source_key", "imported_at", *extra))
        markers = ", ".join((*_MARKERS, "?", "?", *["?"] * len(extra)))
        row = conn.execute(
            f"INSERT INTO articles ({columns}) "
            f"VALUES ({markers}) "
            "ON CONFLICT(content_hash) DO NOTHING RETURNING id",
            values,
        ).fetchone()
        if row is None:
            return ImportOutcome(item.origin, "unchanged", _id_of(conn, item.content_hash))
        article_id = int(row[0])
        if known_keys is not None:
            known_keys.add(item.source_key)
        fts_insert(conn, article_id, item.terms, pending)
        return ImportOutcome(item.origin, "added", article_id)


_FIELD_NAMES = tuple(name.strip() for name in _FIELDS.split(","))
#: Where each of ``_FIELDS`` goes in a statement: the body may come as UTF-8
#: bytes, stored as text all the same (a BLOB would stay a BLOB in a TEXT column).
_MARKERS = tuple("CAST(? AS TEXT)" if name == "body" else "?" for name in _FIELD_NAMES)


def _fields(item: PreparedArticle, now: str) -> tuple[Any, ...]:
    """The values of ``_FIELDS`` for an article."""
    return (
        item.origin,
        item.content_hash,
        item.encoding,
        item.raw,
        item.title,
        int(item.title_from_lead),
        item.dateline,
        item.site,
        item.credits_json,
        item.body,
        item.word_count,
        now,
        PARSER_VERSION,
        item.raw_kind,
        item.url,
        item.published_at,
        item.author,
        item.raw_codec,
    )


# No ON CONFLICT: the content was looked up first, under the write lock, and
# an article left half-written (a row, no index entry) must never be possible.
_INSERT_NEW = (
    f"INSERT INTO articles (id, {_FIELDS}, source_key, imported_at) VALUES (?, {', '.join(_MARKERS)}, ?, ?)"
)
#: Index entries: the body's terms may come as UTF-8 bytes (see PreparedArticle.body).
_INSERT_INDEX = "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, CAST(? AS TEXT))"


#: Contents looked up in one statement (well under SQLite's limit on parameters).
_LOOKUP = 500


def _ids_of(conn: sqlite3.Connection, hashes: list[str]) -> dict[str, int]:
    """The ids of the articles with these contents, for those the library has."""
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _LOOKUP):
        part = hashes[start : start + _LOOKUP]
        found.update(
            conn.execute(
                f"SELECT content_hash, id FROM articles WHERE content_hash IN ({', '.join('?' * len(part))})",
                part,
            ).fetchall()
        )
    return found


def _id_of(conn: sqlite3.Connection, content_hash: str) -> int | None:
    row = conn.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
    return None if row is None else int(row[0])


def replace_parsed(conn: sqlite3.Connection, article_id: int, parsed: ParsedArticle, now: str) -> bool:
    """Put a new parse of an article in place of the old one. Returns whether it changed."""
    row = conn.execute(
        "SELECT id, title, body, dateline, site, credits, title_from_lead FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    body = "\n".join(parsed.paragraphs)
    credits = json.dumps(parsed.credits, ensure_ascii=False)
    new = (parsed.title, body, parsed.dateline, parsed.site, credits, int(parsed.title_from_lead))
    old = (row["title"], row["body"], row["dateline"], row["site"], row["credits"], row["title_from_lead"])
    if new == old:
        conn.execute("UPDATE articles SET parser_version = ? WHERE id = ?", (PARSER_VERSION, article_id))
        return False
    fts_delete(conn, row)
    conn.execute(
        "UPDATE articles SET title = ?, body = ?, dateline = ?, site = ?, credits = ?, "
        "title_from_lead = ?, word_count = ?, parser_version = ?, updated_at = ? WHERE id = ?",
        (*new, parsed.word_count, PARSER_VERSION, now, article_id),
    )
    fts_insert(conn, article_id, fts_terms(parsed.title, body, parsed.dateline, parsed.site, parsed.credits))
    return True


def rebuild_index(conn: sqlite3.Connection) -> None:
    """Re-analyse every article into a fresh index (inside the caller's transaction)."""
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    conn.execute("DELETE FROM terms")
    rows = conn.execute(
        "SELECT id, title, body, dateline, site, credits FROM articles ORDER BY id"
    ).fetchall()
    pending: list[str] = []
    for row in rows:
        fts_insert(conn, row["id"], stored_terms(row), pending)
    write_stem_pairs(conn, pending)


def fts_insert(
    conn: sqlite3.Connection, article_id: int, terms: IndexTerms, pending: list[str] | None = None
) -> None:
    """Index an article. Its new stem pairs go to ``pending`` if given, else are written now."""
    conn.execute(_INSERT_INDEX, (article_id, *terms.columns))
    if pending is None:
        write_stem_pairs(conn, terms.stem_pairs)
    else:
        pending.extend(terms.stem_pairs)


def fts_delete(conn: sqlite3.Connection, row: Any) -> None:
    # (The terms table keeps the old words: a stale form costs nothing.)
    conn.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        (row["id"], *stored_terms(row).columns),
    )


def delete_articles(conn: sqlite3.Connection, ids: Iterable[int]) -> int:
    """Remove articles and their index entries. Returns how many went."""
    removed = 0
    for article_id in ids:
        row = conn.execute(
            "SELECT id, title, body, dateline, site, credits FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        if row is None:
            continue
        fts_delete(conn, row)
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        removed += 1
    return removed


def write_stem_pairs(conn: sqlite3.Connection, pairs: Iterable[str]) -> None:
    """Add stem -> surface pairs to the terms table, in key order (fastest).

    A pair with an empty stem is a word that is its own stem: only its name
    keys are written (so are those of every other new word).
    """
    unique = sorted(set(pairs))
    nametable.write_pairs(conn, unique)
    rows = [pair.split(PAIR_SEPARATOR, 1) for pair in unique if not pair.startswith(PAIR_SEPARATOR)]
    if rows:
        conn.executemany("INSERT OR IGNORE INTO terms (stem, surface) VALUES (?, ?)", rows)


def stored_terms(row: Any) -> IndexTerms:
    """The index terms of an article as stored (title, body, dateline, site, credits)."""
    credits = json.loads(row["credits"] or "[]")
    return fts_terms(row["title"], row["body"], row["dateline"], row["site"], credits)
