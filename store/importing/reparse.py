"""Parsing stored articles again from their raw bytes, with today's parser.

Bookmarks, read state and the raw bytes are untouched (raw bytes stored
plain by an older version are compressed on the way, as new ones are); an
article whose parse did not change is only marked as parsed by this version.
"""

from __future__ import annotations

from collections.abc import Callable

from store.db.articles import RAW_PLAIN, pack_raw, unpack_raw, utc_now
from store.db.pool import Pool
from store.errors import InputError, LibraryError
from store.importing.prepare import parse_raw
from store.importing.writer import replace_parsed

#: Articles re-parsed per transaction.
BATCH = 500


def reparse(pool: Pool, progress: Callable[[int, int], None] | None = None) -> int:
    """Parse every article again. Returns how many changed."""
    with pool.read() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
    changed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        with pool.write() as conn:
            for article_id in chunk:
                sql = "SELECT raw, raw_codec, encoding, raw_kind, url, word_count FROM articles WHERE id = ?"
                row = conn.execute(sql, (article_id,)).fetchone()
                if row is None:
                    continue  # deleted meanwhile
                try:
                    raw = unpack_raw(row["raw"], row["raw_codec"])
                except LibraryError:
                    continue  # damaged raw bytes: the stored parse stays
                if row["raw_codec"] == RAW_PLAIN:
                    packed, codec = pack_raw(raw)
                    if codec != RAW_PLAIN:
                        sql = "UPDATE articles SET raw = ?, raw_codec = ? WHERE id = ?"
                        conn.execute(sql, (packed, codec, article_id))
                try:
                    parsed = parse_raw(raw, row["encoding"], row["raw_kind"], row["url"])
                except InputError:
                    continue
                if row["raw_kind"] == "html" and _lost_text(parsed.paragraphs, row["word_count"]):
                    continue  # the page gave too little when it was stored too: the feed's text stays
                changed += replace_parsed(conn, article_id, parsed, utc_now())
        if progress:
            progress(min(start + len(chunk), len(ids)), len(ids))
    return changed


def _lost_text(paragraphs: list[str] | tuple[str, ...], stored_words: int) -> bool:
    """A page whose extraction now gives less than half the stored words (or nothing)."""
    words = sum(len(paragraph.split()) for paragraph in paragraphs)
    return words == 0 or words < stored_words // 2
