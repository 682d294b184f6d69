"""The app with feeds: the feeds screen, refresh from the app, open link, mark shown read, dates."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_refresh import rss, story
from textual.widgets import OptionList

from reader import dates
from reader.app import ReaderApp
from reader.layout import visual
from reader.shaping import unshape
from reader.widgets.feeds_screen import FeedsScreen
from store.library import Library

from test_app import make_app, reader_text, settle
from webserver import WebServer


def items(numbers: range, prefix: str) -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} {n}",
            "link": f"http://h.example/{prefix}/{n}",
            "guid": f"{prefix}-{n}",
            "description": story(n),
            "pubDate": f"Mon, {n + 1:02d} Nov 2026 10:00:00 GMT",
        }
        for n in numbers
    ]


@pytest.fixture
def web_library(tmp_path: Path, web_server: WebServer) -> Library:
    library = Library(tmp_path / "feeds.db")
    web_server.add("/north.rss", rss("أخبار الشمال", items(range(3), "شمال")))
    web_server.add("/south.rss", rss("أخبار الجنوب", items(range(3, 5), "جنوب")))
    web_server.add("/gone.rss", b"gone", status=404)
    for path in ("/north.rss", "/south.rss", "/gone.rss"):
        feed, _ = library.add_feed(web_server.url(path), full_text=False)
        library.name_feed(feed.id)
    library.refresh(None, workers=1)
    return library


def shown(text: str) -> str:
    """``text`` as the app lays it out on screen (visual order), unshaped."""
    return unshape(visual(text))


def options_text(app: ReaderApp) -> list[str]:
    screen = app.screen
    assert isinstance(screen, FeedsScreen)
    options = screen.query_one(OptionList)
    return [unshape(str(options.get_option_at_index(i).prompt)) for i in range(options.option_count)]


async def test_feeds_screen_lists_unread_counts_and_errors_and_filters_the_list(web_library: Library) -> None:
    app = make_app(web_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.article_list.shown == 5
        await pilot.press("f")
        await settle(app, pilot)
        lines = options_text(app)
        assert lines[0].startswith("All articles")
        assert "5 unread" in lines[0]
        north = next(line for line in lines if shown("أخبار الشمال") in line)
        assert "3 unread" in north
        gone = next(line for line in lines if "127.0.0.1" in line)
        assert "404" in gone
        # Choose the north feed: the list shows its three articles only.
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        index = lines.index(north)
        screen.query_one(OptionList).highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, FeedsScreen)
        assert app.article_list.shown == 3
        assert "in" in app.status.render()
        # Mark shown read: only that feed's articles.
        await pilot.press("A")
        await settle(app, pilot)
        north_id = next(f.id for f in web_library.feeds() if f.name == "أخبار الشمال")
        assert web_library.count(feed_id=north_id, unread=True) == 0
        assert web_library.count(unread=True) == 2
        assert all(app.article_list.row(i).read for i in range(3))  # type: ignore[union-attr]
        # Back to all.
        await pilot.press("f")
        await settle(app, pilot)
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_list.shown == 5


async def test_refresh_from_the_app_brings_new_articles_with_progress(
    web_library: Library, web_server: WebServer
) -> None:
    web_server.add("/north.rss", rss("أخبار الشمال", items(range(3), "شمال") + items(range(10, 12), "جديد")))
    app = make_app(web_library)
    seen: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert app.article_list.shown == 5
        app.status.watch_refreshing = lambda value: seen.append(value)  # type: ignore[attr-defined]
        await pilot.press("R")
        for _ in range(100):
            await pilot.pause(0.1)
            if not app.status.refreshing:
                break
        await settle(app, pilot)
        assert app.article_list.shown == 7
        assert any("feeds" in text for text in seen)
        assert app.status.refreshing == ""
        titles = {app.article_list.row(i).title for i in range(7)}  # type: ignore[union-attr]
        assert {"جديد 10", "جديد 11"} <= titles
        # Newest first by published date: "جديد 11" was published on 12 Nov, after every other.
        assert app.article_list.row(0).title == "جديد 11"  # type: ignore[union-attr]


async def test_open_link_and_the_article_header(
    web_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(web_library)
    opened: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "open_url", lambda url, **_: opened.append(url))
        await pilot.press("o")  # from the list: the highlighted article's link
        await settle(app, pilot)
        first = app.article_list.row(0)
        assert first is not None
        assert opened == [web_library.get(first.id).url]
        await pilot.press("enter")
        await settle(app, pilot)
        text = reader_text(app)
        article = web_library.get(first.id)
        assert dates.full(article.published_at) in text
        assert shown(article.feed_name or "?") in text  # the feed's name in the byline
        await pilot.press("o")
        await settle(app, pilot)
        assert opened[-1] == article.url


async def test_open_link_of_a_file_article_says_it_has_none(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert any("no link" in n.message for n in app._notifications)


def test_short_dates_are_relative_when_recent() -> None:
    from datetime import UTC, datetime

    at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert dates.short("2026-12-03T11:59:30Z", at) == "now"
    assert dates.short("2026-12-03T11:55:00Z", at) == "5 min ago"
    assert dates.short("2026-12-03T09:05:00Z", at) == "2 h ago"
    assert dates.short("2026-11-21T10:00:00Z", at) == "21 Nov"
    assert dates.short("2025-03-01T10:00:00Z", at) == "Mar 2025"
    assert all(len(dates.short(s, at)) <= 10 for s in ("2026-01-01T00:00:00Z", "1999-12-31T23:00:00Z"))
    assert dates.short(None, at) == "" and dates.short("garbage", at) == ""
