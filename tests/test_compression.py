"""Raw bytes stored compressed: round trips, old plain rows, migration, recover, reparse."""

from __future__ import annotations

import sqlite3
import zlib
from pathlib import Path

import pytest

from store.db import schema
from store.db.articles import RAW_PLAIN, RAW_ZLIB, RAW_ZSTD, pack_raw, unpack_raw
from store.db.recover import recover
from store.errors import LibraryError
from store.importing.prepare import PreparedArticle, prepare
from store.library import Library
from store.sources.files import SourceFile

from conftest import SEED_FILES, SEEDS
from webserver import WebServer

LIBRARY_V2 = Path(__file__).parent / "fixtures" / "library-v2.db"


def stored(path: Path) -> dict[int, tuple[bytes, str]]:
    """Each article's raw column and codec, as the file holds them."""
    conn = sqlite3.connect(path)
    try:
        return {
            row[0]: (bytes(row[1]), row[2]) for row in conn.execute("SELECT id, raw, raw_codec FROM articles")
        }
    finally:
        conn.close()


def raw_bytes(library: Library) -> dict[int, bytes]:
    return {a.id: library.raw(a.id)[0] for a in library.export()}


def test_round_trip() -> None:
    for raw in (b"", b"x", "نص عربي قصير".encode(), SEED_FILES[0].read_bytes(), bytes(range(256)) * 40):
        packed, codec = pack_raw(raw)
        assert unpack_raw(packed, codec) == raw
        assert codec in (RAW_PLAIN, RAW_ZSTD)
    text = SEED_FILES[0].read_bytes()
    packed, codec = pack_raw(text)
    assert codec == RAW_ZSTD and len(packed) < len(text) // 2
    # What compression cannot shrink stays as it is.
    assert pack_raw(b"ab") == (b"ab", RAW_PLAIN)
    assert unpack_raw(b"as it came", RAW_PLAIN) == b"as it came"
    # Rows written by schema version 6 (zlib) still read back.
    assert unpack_raw(zlib.compress(text, 1), RAW_ZLIB) == text


def test_damaged_or_unknown_raw_is_a_clear_error() -> None:
    packed, codec = pack_raw(SEED_FILES[0].read_bytes())
    with pytest.raises(LibraryError, match="damaged"):
        unpack_raw(packed[: len(packed) // 2] + b"\x00" * 8, codec)
    with pytest.raises(LibraryError, match="does not know"):
        unpack_raw(packed, "brotli")


def test_prepared_article_packs_once_and_crosses_the_pipe_packed() -> None:
    raw = SEED_FILES[1].read_bytes()
    prepared = prepare(SourceFile("b.txt", "/b.txt", data=raw))
    assert isinstance(prepared, PreparedArticle) and prepared.raw_codec == RAW_PLAIN
    prepared.pack()
    assert prepared.raw_codec == RAW_ZSTD and unpack_raw(prepared.raw, RAW_ZSTD) == raw
    packed = prepared.raw
    prepared.pack()  # a second time changes nothing
    assert prepared.raw == packed
    again = PreparedArticle.from_wire(prepared.to_wire())
    assert (again.raw, again.raw_codec) == (packed, RAW_ZSTD)


def test_import_stores_compressed_and_reads_back_the_same_bytes(db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
        assert raw_bytes(library) == {i + 1: path.read_bytes() for i, path in enumerate(SEED_FILES)}
    rows = stored(db_path)
    assert {codec for _, codec in rows.values()} == {RAW_ZSTD}
    assert sum(len(data) for data, _ in rows.values()) < sum(len(p.read_bytes()) for p in SEED_FILES) / 2


def test_parallel_import_compresses_in_the_workers(tmp_path: Path) -> None:
    from bench.corpus import generate

    corpus = generate(tmp_path / "corpus", 80, seed=11)
    files = sorted(corpus.rglob("*.txt"))
    with Library(tmp_path / "w.db") as library:
        assert library.import_paths([str(corpus)], workers=2).count("added") == 80
        by_origin = {a.origin: library.raw(a.id)[0] for a in library.export()}
    assert by_origin == {str(path): path.read_bytes() for path in files}
    assert {codec for _, codec in stored(tmp_path / "w.db").values()} == {RAW_ZSTD}


def test_migration_from_v2_keeps_raw_bytes_and_reparse_compresses_them(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(LIBRARY_V2.read_bytes())
    old = sqlite3.connect(db)
    before = {row[0]: bytes(row[1]) for row in old.execute("SELECT id, raw FROM articles")}
    bookmarked = {row[0] for row in old.execute("SELECT id FROM articles WHERE bookmarked = 1")}
    old.close()
    assert before
    with Library(db) as library:
        # Old rows stay plain and read as they were; new ones are compressed.
        assert raw_bytes(library) == before
        assert {codec for _, codec in stored(db).values()} == {RAW_PLAIN}
        library.import_paths([str(SEED_FILES[0])])
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    conn.close()
    # Running the migration again changes nothing.
    with Library(db) as library:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        migration = schema.MIGRATIONS[6]
        assert callable(migration)
        migration(conn)
        conn.execute("COMMIT")
        conn.close()
        assert raw_bytes(library) == before  # the seed was there already: nothing added
        assert library.reparse() == 0
        assert raw_bytes(library) == before
        assert {a.id for a in library.articles(bookmarked=True)} == bookmarked
        assert library.check() == []
    assert {codec for _, codec in stored(db).values()} == {RAW_ZSTD}


def test_reparse_reads_compressed_raw_bytes(db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
        before = raw_bytes(library)
        title = library.get(2).title
        # As if an older parser had stored another title: reparse puts today's back.
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute("UPDATE articles SET title = 'قديم', parser_version = 0 WHERE id = 2")
        conn.close()
        assert library.get(2).title == "قديم"
        assert library.reparse() == 1
        assert library.get(2).title == title
        assert raw_bytes(library) == before
        assert [hit.id for hit in library.search(title.split()[0]).hits]
        assert library.check() == []


def test_damaged_raw_bytes_fail_alone(db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
        conn = sqlite3.connect(db_path)
        with conn:
            conn.execute("UPDATE articles SET raw = zeroblob(64) WHERE id = 3")
        conn.close()
        with pytest.raises(LibraryError, match="damaged"):
            library.raw(3)
        assert library.raw(4)[0] == SEED_FILES[3].read_bytes()
        assert library.reparse() == 0  # the damaged one keeps its stored parse
        assert library.get(3).title


@pytest.mark.parametrize("start", ["compressed", "v2"])
def test_recover_keeps_raw_bytes(tmp_path: Path, start: str) -> None:
    source = tmp_path / "source.db"
    if start == "v2":
        source.write_bytes(LIBRARY_V2.read_bytes())
        conn = sqlite3.connect(source)
        before = {row[0]: bytes(row[1]) for row in conn.execute("SELECT id, raw FROM articles")}
        conn.close()
    else:
        with Library(source) as library:
            library.import_paths([str(SEEDS)])
            library.set_bookmark(2, True)
            before = raw_bytes(library)
    target = tmp_path / "recovered.db"
    result = recover(source, target)
    assert result.copied["articles"] == len(before)
    with Library(target) as library:
        assert raw_bytes(library) == before
        assert library.check() == []
    # Whatever the source held, the new library holds them compressed.
    assert {codec for _, codec in stored(target).values()} == {RAW_ZSTD}


def test_articles_from_the_web_are_stored_compressed(web_server: WebServer, tmp_path: Path) -> None:
    page = (LIBRARY_V2.parent / "pages" / "khaleej_colon_dateline.html").read_bytes()
    web_server.add("/news/1", page, headers={"Content-Type": "text/html; charset=utf-8"})
    text = " ".join(["جملة من نص الخبر في الموجز تكفي لمقال كامل."] * 12)
    items = [
        ("خبر بصفحته", web_server.url("/news/1"), "موجز"),
        ("خبر من الموجز وحده", "", text),
    ]
    feed = ['<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>موجز</title>']
    for title, link, description in items:
        feed.append(
            f"<item><title>{title}</title><link>{link}</link><description>{description}</description>"
        )
        feed.append(f"<guid>{title}</guid></item>")
    feed.append("</channel></rss>")
    web_server.add("/feed.rss", "".join(feed).encode(), headers={"Content-Type": "application/rss+xml"})
    db = tmp_path / "web.db"
    with Library(db) as library:
        feed_id = library.add_feed(web_server.url("/feed.rss"), full_text=True)[0].id
        assert library.refresh([feed_id], workers=2).new == 2
        raws = raw_bytes(library)
        assert page in raws.values()
        assert any(raw.decode().startswith("خبر من الموجز وحده") for raw in raws.values())
        assert library.reparse() == 0
    assert {codec for _, codec in stored(db).values()} == {RAW_ZSTD}
