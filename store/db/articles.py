"""Reading articles and changing their bookmark and read state.

Every function takes an open connection (the :class:`~store.db.pool.Pool`
lends one) and runs a few short statements. Lists are ordered by when an
article was published, else when it was imported, newest first; bookmarks by
when they were saved.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from store.errors import Bookmarked, LibraryError, NotFound
from store.models import Article, ArticleSummary

_SUMMARY_COLUMNS = (
    "a.id, a.title, a.site, a.credits, a.dateline, a.word_count, a.bookmarked, a.read, a.imported_at, "
    "a.published_at, f.name AS feed_name"
)
_ARTICLE_COLUMNS = (
    "a.id, a.title, a.dateline, a.site, a.credits, a.body, a.word_count, a.origin, a.content_hash, "
    "a.bookmarked, a.read, a.imported_at, a.encoding, a.title_from_lead, a.url, a.published_at, "
    "a.author, a.feed_id, f.name AS feed_name"
)
_FROM = "FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id"
#: Newest first: published, else imported (an index covers this order).
NEWEST_FIRST = "coalesce(a.published_at, a.imported_at) DESC, a.id DESC"
_SAVED_FIRST = "a.bookmarked_at DESC, a.id DESC"


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# How ``articles.raw`` holds an article's raw bytes (column ``raw_codec``): as
# they came, as a zlib stream, or as a Zstandard frame. Articles stored before
# schema version 6 are plain; version 6 wrote zlib; everything written now is
# Zstandard at level 1, which takes a text file to about two fifths of its size
# and a web page to about a sixth, in less than half of zlib's level-1 time
# (zlib: a fifth). Nothing a list, a search or an open article shows reads them.
RAW_PLAIN = "plain"
RAW_ZLIB = "zlib"
RAW_ZSTD = "zstd"
RAW_ZSTD_LEVEL = 1
_codecs = threading.local()


def _zstd() -> tuple[Any, Any]:
    """This thread's Zstandard compressor and decompressor (neither may be shared between threads)."""
    pair = getattr(_codecs, "zstd", None)
    if pair is None:
        import zstandard

        pair = _codecs.zstd = (zstandard.ZstdCompressor(level=RAW_ZSTD_LEVEL), zstandard.ZstdDecompressor())
    return pair


def pack_raw(raw: bytes) -> tuple[bytes, str]:
    """Raw bytes as stored, and their codec (plain when compressing saves nothing)."""
    packed = _zstd()[0].compress(raw)
    return (packed, RAW_ZSTD) if len(packed) < len(raw) else (bytes(raw), RAW_PLAIN)


def unpack_raw(stored: bytes, codec: str | None) -> bytes:
    """The raw bytes as they came, from what ``articles.raw`` holds."""
    if codec == RAW_ZSTD:
        import zstandard

        try:
            data: bytes = _zstd()[1].decompress(stored)
            return data
        except zstandard.ZstdError as error:
            raise LibraryError(f"the stored raw bytes are damaged ({error})") from None
    if codec == RAW_ZLIB:
        try:
            return zlib.decompress(stored)
        except zlib.error as error:
            raise LibraryError(f"the stored raw bytes are damaged ({error})") from None
    if codec in (RAW_PLAIN, None):
        return bytes(stored)
    raise LibraryError(f"the raw bytes are stored in a way this version does not know ({codec})")


@dataclass(frozen=True)
class Selection:
    """Which articles a list shows: all, bookmarks only, one feed's, unread only."""

    bookmarked: bool = False
    feed_id: int | None = None
    unread: bool = False

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.bookmarked:
            clauses.append("a.bookmarked = 1")
        if self.unread:
            clauses.append("a.read = 0")
        if self.feed_id is not None:
            clauses.append("a.id IN (SELECT article_id FROM entries WHERE feed_id = ?)")
            params.append(self.feed_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def order(self) -> str:
        return _SAVED_FIRST if self.bookmarked else NEWEST_FIRST


def is_empty(conn: sqlite3.Connection) -> bool:
    """No article at all (one row read, where counting them reads the whole table)."""
    return conn.execute("SELECT 1 FROM articles LIMIT 1").fetchone() is None


def count(conn: sqlite3.Connection, selection: Selection = Selection()) -> int:
    where, params = selection.where()
    return int(conn.execute(f"SELECT count(*) FROM articles a{where}", params).fetchone()[0])


def summaries_page(
    conn: sqlite3.Connection, selection: Selection = Selection(), *, offset: int = 0, limit: int | None = None
) -> list[ArticleSummary]:
    where, params = selection.where()
    sql = f"SELECT {_SUMMARY_COLUMNS} {_FROM}{where} ORDER BY {selection.order()} LIMIT ? OFFSET ?"
    rows = conn.execute(sql, [*params, -1 if limit is None else limit, offset]).fetchall()
    return [summary(row) for row in rows]


def summaries(conn: sqlite3.Connection, ids: list[int]) -> dict[int, ArticleSummary]:
    placeholders = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT {_SUMMARY_COLUMNS} {_FROM} WHERE a.id IN ({placeholders})", ids).fetchall()
    return {row["id"]: summary(row) for row in rows}


def get(conn: sqlite3.Connection, article_id: int) -> Article:
    row = conn.execute(f"SELECT {_ARTICLE_COLUMNS} {_FROM} WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound("no article with ID {id}", id=article_id)
    return article(row)


def articles(
    conn: sqlite3.Connection, selection: Selection = Selection(), *, limit: int | None = None
) -> list[Article]:
    where, params = selection.where()
    sql = f"SELECT {_ARTICLE_COLUMNS} {_FROM}{where} ORDER BY {selection.order()} LIMIT ?"
    return [article(row) for row in conn.execute(sql, [*params, -1 if limit is None else limit])]


def export(conn: sqlite3.Connection, *, bookmarked: bool = False) -> Iterator[Article]:
    """Every article, oldest first (the order they were imported)."""
    where = " WHERE a.bookmarked = 1" if bookmarked else ""
    cursor = conn.execute(f"SELECT {_ARTICLE_COLUMNS} {_FROM}{where} ORDER BY a.id")
    try:
        while rows := cursor.fetchmany(200):
            yield from (article(row) for row in rows)
    finally:
        cursor.close()  # ends the read at once, even when the caller stops early


def raw(conn: sqlite3.Connection, article_id: int) -> tuple[bytes, str]:
    """An article's raw bytes as they came, and their encoding."""
    row = conn.execute("SELECT raw, encoding, raw_codec FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound("no article with ID {id}", id=article_id)
    return unpack_raw(row[0], row[2]), row[1]


def set_bookmark(conn: sqlite3.Connection, article_id: int, bookmarked: bool) -> bool:
    """Save or unsave an article. Returns whether it was changed."""
    row = conn.execute(
        "UPDATE articles SET bookmarked = ?, bookmarked_at = CASE WHEN ? THEN ? ELSE NULL END "
        "WHERE id = ? AND bookmarked != ? RETURNING id",
        (int(bookmarked), int(bookmarked), utc_now(), article_id, int(bookmarked)),
    ).fetchone()
    if row is None and conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
        raise NotFound("no article with ID {id}", id=article_id)
    return row is not None


def toggle_bookmark(conn: sqlite3.Connection, article_id: int) -> bool:
    """Flip an article's bookmark in one statement. Returns the new state."""
    row = conn.execute(
        "UPDATE articles SET bookmarked = 1 - bookmarked, "
        "bookmarked_at = CASE WHEN bookmarked = 0 THEN ? ELSE NULL END "
        "WHERE id = ? RETURNING bookmarked",
        (utc_now(), article_id),
    ).fetchone()
    if row is None:
        raise NotFound("no article with ID {id}", id=article_id)
    return bool(row[0])


def mark_read(conn: sqlite3.Connection, article_ids: Iterable[int], read: bool = True) -> int:
    """Mark articles read (or unread). Returns how many changed."""
    changed = 0
    for article_id in article_ids:
        cursor = conn.execute(
            "UPDATE articles SET read = ? WHERE id = ? AND read != ?", (int(read), article_id, int(read))
        )
        changed += cursor.rowcount
    return changed


def delete(conn: sqlite3.Connection, article_id: int, *, allow_bookmarked: bool = False) -> bool:
    """Remove an article and its index entries. Returns True once it is gone.

    A bookmarked article stays unless ``allow_bookmarked``. The feed entries
    that brought it are remembered, so the next refresh does not add it again.
    """
    from store.importing.writer import delete_articles

    row = conn.execute("SELECT bookmarked FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFound("no article with ID {id}", id=article_id)
    if row[0] and not allow_bookmarked:
        raise Bookmarked(
            "article {id} is bookmarked: remove its bookmark first, or ask for bookmarked ones too",
            id=article_id,
        )
    conn.execute(
        "INSERT OR IGNORE INTO deleted_entries (feed_id, entry_key, deleted_at) "
        "SELECT feed_id, entry_key, ? FROM entries WHERE article_id = ?",
        (utc_now(), article_id),
    )
    return delete_articles(conn, [article_id]) == 1


def mark_selection_read(conn: sqlite3.Connection, selection: Selection) -> int:
    """Mark every article a list shows read, in one statement."""
    where, params = selection.where()
    extra = " AND a.read = 0" if where else " WHERE a.read = 0"
    sql = f"UPDATE articles SET read = 1 WHERE id IN (SELECT a.id FROM articles a{where}{extra})"
    return conn.execute(sql, params).rowcount


def summary(row: Any) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        site=row["site"],
        credits=tuple(json.loads(row["credits"] or "[]")),
        dateline=row["dateline"],
        word_count=row["word_count"],
        bookmarked=bool(row["bookmarked"]),
        read=bool(row["read"]),
        imported_at=row["imported_at"],
        published_at=row["published_at"],
        feed=row["feed_name"],
    )


def article(row: Any) -> Article:
    body = row["body"]
    return Article(
        id=row["id"],
        title=row["title"],
        dateline=row["dateline"],
        site=row["site"],
        credits=tuple(json.loads(row["credits"] or "[]")),
        paragraphs=tuple(body.split("\n")) if body else (),
        word_count=row["word_count"],
        origin=row["origin"],
        content_hash=row["content_hash"],
        bookmarked=bool(row["bookmarked"]),
        read=bool(row["read"]),
        imported_at=row["imported_at"],
        encoding=row["encoding"],
        title_from_lead=bool(row["title_from_lead"]),
        url=row["url"],
        published_at=row["published_at"],
        author=row["author"],
        feed_id=row["feed_id"],
        feed_name=row["feed_name"],
    )
