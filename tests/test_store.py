"""The library file: imports, updates, bookmarks, migrations, refusals."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
import sqlite_utils

from store.db import schema as dbmod
from store.db.articles import unpack_raw
from store.errors import LibraryError, NotFound
from store.importing.prepare import content_hash
from store.library import Library
from store.text.parse import PARSER_VERSION

from conftest import SEED_FILES, SEEDS


def test_import_is_idempotent(db_path: Path) -> None:
    with Library(db_path) as library:
        first = library.import_paths([str(SEEDS)])
        second = library.import_paths([str(SEEDS)])
        assert (first.count("added"), first.count("unchanged")) == (5, 0)
        assert (second.count("added"), second.count("unchanged")) == (0, 5)
        assert library.count() == 5
        assert library.check() == []


def test_whole_rows_as_stored(library: Library) -> None:
    database = sqlite_utils.Database(sqlite3.connect(library.path))
    row = database["articles"].get(2)
    raw = SEED_FILES[1].read_bytes()
    assert {k: row[k] for k in row if k not in ("imported_at", "updated_at", "source_key")} == {
        "id": 2,
        "origin": str(SEEDS / SEED_FILES[1].name),
        "content_hash": content_hash(raw.decode("utf-8")),
        "encoding": "utf-8",
        "raw": row["raw"],
        "title": "بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا",
        "title_from_lead": 0,
        "dateline": "كييف، أوكرانيا",
        "site": None,
        "credits": json.dumps(["AP"]),
        "body": row["body"],
        "word_count": 631,
        "bookmarked": 0,
        "bookmarked_at": None,
        "read": 0,
        "parser_version": PARSER_VERSION,
        "url": None,
        "published_at": None,
        "author": None,
        "feed_id": None,
        "raw_kind": "text",
        "page_pending": 0,
        "raw_codec": "zstd",
    }
    assert unpack_raw(row["raw"], "zstd") == raw
    assert row["body"].split("\n")[0].startswith("تعهد الرئيس الروسي")
    assert row["source_key"] == str((SEEDS / SEED_FILES[1].name).resolve())


def test_origin_is_the_path_as_given(db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths(["seeds/"])
        assert library.get(1).origin == "seeds/000_399c34ab66c1470f.txt"


def test_changed_file_updates_in_place_and_keeps_bookmark(tmp_path: Path, db_path: Path) -> None:
    article = tmp_path / "news.txt"
    article.write_text("عنوان أول\n\nنص الخبر الأول.\n", encoding="utf-8")
    with Library(db_path) as library:
        assert library.import_paths([str(article)]).outcomes[0].status == "added"
        library.set_bookmark(1, True)
        library.mark_read(1)
        article.write_text("عنوان معدل\n\nنص الخبر بعد التعديل.\n", encoding="utf-8")
        outcome = library.import_paths([str(article)]).outcomes[0]
        assert (outcome.status, outcome.article_id) == ("updated", 1)
        updated = library.get(1)
        assert updated.title == "عنوان معدل"
        assert updated.bookmarked and updated.read
        assert [h.id for h in library.search("التعديل").hits] == [1]
        assert library.search("الأول").hits == ()
        assert library.check() == []


def test_same_content_elsewhere_is_unchanged(tmp_path: Path, db_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_bytes(SEED_FILES[0].read_bytes())
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
        outcome = library.import_paths([str(copy)]).outcomes[0]
        assert (outcome.status, outcome.article_id) == ("unchanged", 1)


def test_bookmarks(library: Library) -> None:
    assert library.set_bookmark(3, True) is True
    assert library.set_bookmark(3, True) is False
    assert library.toggle_bookmark(4) is True
    assert [a.id for a in library.summaries_page(bookmarked=True)] == [4, 3]
    assert library.toggle_bookmark(4) is False
    assert [a.id for a in library.articles(bookmarked=True)] == [3]
    with pytest.raises(NotFound):
        library.set_bookmark(99, True)
    with pytest.raises(NotFound):
        library.toggle_bookmark(-1)


def test_list_is_newest_first_and_pages(library: Library) -> None:
    assert [a.id for a in library.summaries_page()] == [5, 4, 3, 2, 1]
    assert [a.id for a in library.summaries_page(offset=2, limit=2)] == [3, 2]
    assert library.summaries_page()[1].source == "Qsarpress"
    assert library.summaries_page()[3].source == "AP"


def test_reparse_keeps_bookmarks_and_read_state(library: Library) -> None:
    library.set_bookmark(1, True)
    library.mark_read(2)
    database = sqlite_utils.Database(sqlite3.connect(library.path))
    # Pretend an older parser got the title wrong.
    database.execute("UPDATE articles SET title = 'خطأ', parser_version = 0 WHERE id = 1")
    database.conn.commit()
    database.conn.close()
    assert library.reparse() == 1
    assert library.get(1).title.startswith("“دعهم يحاولون!”")
    assert library.get(1).bookmarked and library.get(2).read
    assert library.check() == []


def test_migrations_are_safe_to_rerun() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    assert dbmod.migrate(conn, Path(":memory:")) is True
    assert dbmod.migrate(conn, Path(":memory:")) is False
    assert conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION
    # A library whose tables went missing gets them back.
    conn.execute("DROP TABLE meta")
    assert dbmod.migrate(conn, Path(":memory:")) is True
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "meta", "articles_fts"} <= tables


def test_two_processes_opening_at_once_migrate_once(db_path: Path) -> None:
    first = Library(db_path)
    second = Library(db_path)
    assert first.count() == second.count() == 0
    first.close()
    second.close()


def test_newer_schema_is_refused_untouched(db_path: Path) -> None:
    Library(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {dbmod.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(LibraryError, match="newer version"):
        Library(db_path)
    assert db_path.read_bytes() == before


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="not a reader library"):
        Library(path)
    assert path.read_bytes() == before


def test_other_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LibraryError, match="another program"):
        Library(path)
    assert path.read_bytes() == before


def test_empty_file_becomes_a_library(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with Library(path) as library:
        assert library.count() == 0


def test_truncated_library_gives_one_clear_error(library: Library, tmp_path: Path) -> None:
    library.close()
    damaged = tmp_path / "damaged.db"
    data = library.path.read_bytes()
    damaged.write_bytes(data[: len(data) // 3])
    with pytest.raises(LibraryError) as error, Library(damaged) as broken:
        broken.summaries_page()
        broken.search("روسيا")
        broken.export()
        for _ in broken.export():
            pass
    assert "damaged" in str(error.value) or "cannot" in str(error.value)


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="folder"):
        Library(tmp_path)


def test_seeding_only_an_empty_library(empty_library: Library) -> None:
    report = empty_library.ensure_seeded()
    assert report is not None and report.count("added") == 5
    assert empty_library.ensure_seeded() is None
    assert empty_library.get(1).origin == "seeds/000_399c34ab66c1470f.txt"


def test_analyzer_change_rebuilds_the_index(library: Library) -> None:
    conn = sqlite3.connect(library.path)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'analyzer_version'")
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
    conn.commit()
    conn.close()
    assert library.search("كورسك").hits == ()
    with Library(library.path) as reopened:
        assert len(reopened.search("كورسك").hits) == 1
        assert reopened.check() == []


def test_plain_text_and_json_shape(library: Library) -> None:
    article = library.get(2)
    data = article.to_json()
    assert list(data) == [
        "id",
        "title",
        "dateline",
        "site",
        "credits",
        "paragraphs",
        "word_count",
        "origin",
        "content_hash",
        "bookmarked",
        "read",
        "imported_at",
        "url",
        "published_at",
        "author",
        "feed",
    ]
    assert data["content_hash"].startswith("sha256:")
    assert data["imported_at"].endswith("Z")
    text = article.plain_text()
    assert text.startswith(article.title + "\n\nكييف، أوكرانيا · AP\n\n")


def test_prepared_article_survives_the_trip_between_processes() -> None:
    from store.importing.prepare import PreparedArticle, prepare
    from store.sources.files import SourceFile

    raw = (SEEDS / SEED_FILES[0]).read_bytes()
    prepared = prepare(SourceFile("a.txt", "/a.txt", data=raw))
    assert isinstance(prepared, PreparedArticle)
    assert prepared.terms.stem_pairs
    back = PreparedArticle.from_wire(prepared.to_wire())
    # The body and its index text travel as UTF-8, the rest as it is.
    assert isinstance(prepared.body, str) and isinstance(prepared.terms.body, str)
    assert back.body == prepared.body.encode() and back.terms.body == prepared.terms.body.encode()
    assert replace(back, body=prepared.body, terms=replace(back.terms, body=prepared.terms.body)) == prepared
    assert PreparedArticle.from_wire(back.to_wire()) == back  # sent on again as it came


def test_parallel_import_stores_what_a_serial_one_does(tmp_path: Path) -> None:
    from bench.corpus import generate

    corpus = generate(tmp_path / "corpus", 150, seed=5)
    libraries = []
    for workers in (1, 2):
        with Library(tmp_path / f"w{workers}.db") as library:
            report = library.import_paths([str(corpus)], workers=workers)
            assert report.count("added") == 150
        conn = sqlite3.connect(tmp_path / f"w{workers}.db")
        rows = conn.execute(
            "SELECT id, origin, content_hash, raw, title, dateline, site, credits, body, word_count "
            "FROM articles ORDER BY id"
        ).fetchall()
        terms = conn.execute("SELECT stem, surface FROM terms ORDER BY stem, surface").fetchall()
        vocab = conn.execute("SELECT term, doc, cnt FROM articles_vocab ORDER BY term").fetchall()
        libraries.append((rows, terms, vocab))
        conn.close()
    assert libraries[0] == libraries[1]
