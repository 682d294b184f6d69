"""Deleting an article: gone from lists and search, the index whole, and gone for good."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedtext import numbered_items, rss, story

from store.db.recover import recover
from store.errors import Bookmarked, NotFound
from store.library import Library
from store.web.refresh import RefreshReport

from webserver import WebServer


def refresh(library: Library) -> RefreshReport:
    return library.refresh(workers=2)


def test_delete_removes_the_article_and_its_index_entries(library: Library) -> None:
    assert [hit.id for hit in library.search("كورسك").hits] == [3]
    assert library.delete(3) is True
    assert library.count() == 4
    assert 3 not in [row.id for row in library.summaries_page()]
    assert not library.search("كورسك").hits
    with pytest.raises(NotFound):
        library.get(3)
    assert library.check() == []


def test_delete_an_unknown_id_is_not_found(library: Library) -> None:
    with pytest.raises(NotFound, match="no article with ID 99"):
        library.delete(99)
    library.delete(2)
    with pytest.raises(NotFound):
        library.delete(2)
    assert library.count() == 4


def test_bookmarked_articles_stay_unless_asked(library: Library) -> None:
    library.set_bookmark(4, True)
    with pytest.raises(Bookmarked, match="article 4 is bookmarked"):
        library.delete(4)
    assert library.get(4).bookmarked
    assert library.delete(4, allow_bookmarked=True) is True
    assert library.count(bookmarked=True) == 0
    assert library.check() == []


def test_a_deleted_file_comes_back_only_when_imported_again(library: Library) -> None:
    origin = library.get(1).origin
    library.delete(1)
    report = library.import_paths([origin])
    assert report.count("added") == 1
    assert library.count() == 5
    assert library.check() == []


@pytest.fixture
def web_lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(tmp_path / "web.db")
    yield library
    library.close()


def test_a_deleted_feed_article_does_not_come_back_on_refresh(
    web_server: WebServer, web_lib: Library
) -> None:
    items = numbered_items(3)
    web_server.add("/f.rss", rss("أخبار", items))
    feed, _ = web_lib.add_feed(web_server.url("/f.rss"), full_text=False)
    assert refresh(web_lib).new == 3
    target = next(s.id for s in web_lib.summaries_page() if s.title == "الخبر رقم 1")
    web_lib.delete(target)
    assert web_lib.feed(feed.id).articles == 2
    again = refresh(web_lib)
    assert (again.new, again.updated) == (0, 0)
    # Even when the publisher changes the entry, and without a conditional request.
    items[1] = {**items[1], "title": "الخبر رقم 1 (محدث)", "description": story(1) + " تفاصيل جديدة."}
    web_server.add("/f.rss", rss("أخبار", items))
    changed = refresh(web_lib)
    assert (changed.new, changed.updated) == (0, 0)
    assert web_lib.count() == 2
    assert all("رقم 1" not in s.title for s in web_lib.summaries_page())
    assert web_lib.check() == []
    # A new entry still arrives.
    items.append(
        {"title": "الخبر رقم 3", "link": "http://h.example/s/3", "guid": "g3", "description": story(3)}
    )
    web_server.add("/f.rss", rss("أخبار", items))
    assert refresh(web_lib).new == 1


def test_removing_the_feed_forgets_its_deleted_entries(web_server: WebServer, web_lib: Library) -> None:
    items = [{"title": "خبر", "link": "http://h.example/s/1", "guid": "g1", "description": story(1)}]
    web_server.add("/f.rss", rss("أخبار", items))
    feed, _ = web_lib.add_feed(web_server.url("/f.rss"), full_text=False)
    refresh(web_lib)
    web_lib.delete(web_lib.summaries_page()[0].id)
    web_lib.remove_feed(feed.id)
    with web_lib.pool.read() as conn:
        assert conn.execute("SELECT count(*) FROM deleted_entries").fetchone()[0] == 0
    # Subscribing again is a fresh start: the story comes back.
    web_lib.add_feed(web_server.url("/f.rss"), full_text=False)
    assert refresh(web_lib).new == 1


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall())


def test_a_recovered_library_keeps_what_its_feeds_have_seen(
    web_server: WebServer, web_lib: Library, tmp_path: Path
) -> None:
    """Recover copies the feeds' entries and the deleted ones: nothing comes back, nothing doubles."""
    items = numbered_items(4)
    web_server.add("/f.rss", rss("أخبار", items))
    web_lib.add_feed(web_server.url("/f.rss"), full_text=False)
    assert refresh(web_lib).new == 4
    web_lib.delete(next(s.id for s in web_lib.summaries_page() if s.title == "الخبر رقم 2"))
    target = tmp_path / "recovered.db"
    result = recover(web_lib.path, target)
    assert (result.copied["entries"], result.copied["deleted_entries"]) == (3, 1)
    assert result.unreadable["entries"] == result.unreadable["deleted_entries"] == 0
    for table in ("feeds", "entries", "deleted_entries"):
        assert _rows(target, table) == _rows(web_lib.path, table), table
    with Library(target) as recovered:
        again = refresh(recovered)
        assert (again.new, again.updated) == (0, 0)
        assert recovered.count() == 3 and recovered.check() == []


def test_recover_reads_feed_entries_past_a_damaged_page(web_server: WebServer, tmp_path: Path) -> None:
    items = numbered_items(400)
    web_server.add("/f.rss", rss("أخبار", items))
    path = tmp_path / "damaged.db"
    with Library(path) as library:
        library.add_feed(web_server.url("/f.rss"), full_text=False)
        assert refresh(library).new == 400
        library.delete(next(s.id for s in library.summaries_page() if s.title == "الخبر رقم 7"))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [
            row[0]
            for row in conn.execute(
                "SELECT pageno FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf' ORDER BY pageno"
            )
        ]
        on_page = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT pageno, ncell FROM dbstat WHERE name = 'entries' AND pagetype = 'leaf'"
            )
        }
    assert len(leaves) >= 3
    bad = leaves[len(leaves) // 2]
    data = bytearray(path.read_bytes())
    offset = (bad - 1) * page_size
    data[offset : offset + page_size] = bytes(range(256)) * (page_size // 256)
    path.write_bytes(bytes(data))
    result = recover(path, tmp_path / "new.db")
    assert result.copied["articles"] == 399 and result.copied["deleted_entries"] == 1
    # Only the entries on the bad page are lost; those after it are read through the index.
    assert result.unreadable["entries"] == on_page[bad]
    assert result.copied["entries"] == 399 - on_page[bad]
    with Library(tmp_path / "new.db") as recovered:
        assert recovered.check() == []
