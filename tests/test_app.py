"""The app driven with Textual's Pilot: browsing, search, bookmarks, modes, resize."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len

from reader.app import ReaderApp, create_app
from reader.layout import RenderMode
from reader.shaping import unshape
from reader.widgets.help_screen import HelpScreen
from store.errors import LibraryLocked
from store.library import Library


def make_app(library: Library, **kwargs: object) -> ReaderApp:
    options = {"remember_mode": False, "watch_changes": False, "cursor_blink": False, **kwargs}
    return create_app(library, **options)  # type: ignore[arg-type]


async def settle(app: ReaderApp, pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause(0.05)


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    for char in text:
        await pilot.press("space" if char == " " else char)


def reader_text(app: ReaderApp) -> str:
    return unshape("\n".join(app.article_view.screen_text))


async def test_a_new_library_opens_on_the_seeds(empty_library: Library) -> None:
    app = make_app(empty_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert (app.article_list.shown, app.article_list.total) == (5, 5)
        assert app.article_list.border_title == "Articles · 5/5"
        assert app.status.render().startswith("5/5 articles")
        assert "bidi: app" in app.status.render()


async def test_browse_open_and_mark_read(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.focused is app.article_list
        await pilot.press("j", "j", "down", "k")
        assert app.article_list.cursor == 2
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_view.article is not None and app.article_view.article.id == 3
        assert app.focused is app.article_view
        assert library.get(3).read
        assert app.article_list.row(2).read  # type: ignore[union-attr]
        await pilot.press("escape")
        assert app.focused is app.article_list
        await pilot.press("G")
        assert app.article_list.cursor == 4
        await pilot.press("g")
        assert app.article_list.cursor == 0


async def test_reader_scrolls_by_line_and_page(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "enter")  # the longest seed
        await settle(app, pilot)
        view = app.article_view
        assert view.scroll_offset.y == 0
        await pilot.press("j")
        assert view.scroll_offset.y == 1
        await pilot.press("space")
        assert view.scroll_offset.y > 10
        await pilot.press("pageup")
        assert view.scroll_offset.y <= 1
        await pilot.press("G")
        assert view.scroll_offset.y == view.max_scroll_y


async def test_search_as_you_type_and_open(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert app.focused is app.search_pane.input
        await type_text(pilot, "بوتين وشي")
        await settle(app, pilot)
        results = app.search_pane.results
        assert results.final and [hit.id for hit in results.hits] == [2]
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_view.article is not None and app.article_view.article.id == 2
        # The title as the screen shows it: shaped, right to left («…يجريان وشي بوتين»).
        first_line = unshape(app.article_view.screen_text[0]).strip()
        assert first_line.endswith("بوتين وشي يجريان"[::-1])
        assert app.article_view._match_rows  # the matches are highlighted
        await pilot.press("escape")
        assert app.focused is app.search_pane.input


async def test_typing_on_never_shows_stale_results(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "روسيا")
        await pilot.pause(0.01)
        await type_text(pilot, " كورسك")
        await settle(app, pilot)
        pane = app.search_pane
        assert pane.results.search_query == "روسيا كورسك"
        assert [hit.id for hit in pane.results.hits] == [3]


async def test_bad_query_is_a_message_in_the_results(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "quotation_mark")
        await settle(app, pilot)
        assert app.search_pane.results.error is not None
        assert "nothing to search for" in app.search_pane.results.error


async def test_bookmark_from_the_app_shows_in_the_cli(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "b")
        await settle(app, pilot)
        assert library.get(4).bookmarked
        assert app.article_list.row(1).bookmarked  # type: ignore[union-attr]
        await pilot.press("B")
        await settle(app, pilot)
        assert (app.article_list.shown, app.article_list.total) == (1, 5)
        assert app.status.render().startswith("1/5 bookmarks")
        await pilot.press("B")
        await settle(app, pilot)
        assert app.article_list.shown == 5
    with Library(library.path) as other:
        assert [a.id for a in other.articles(bookmarked=True)] == [4]


async def test_bookmark_made_elsewhere_appears_on_reload(library: Library) -> None:
    app = make_app(library, watch_changes=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
        assert app.article_list.shown == 0
        with Library(library.path) as other:
            other.set_bookmark(1, True)
        await pilot.pause(2.5)  # the app watches the file for changes
        await settle(app, pilot)
        assert app.article_list.shown == 1


async def test_next_previous_and_copy(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_view.article.id == 5  # type: ignore[union-attr]
        await pilot.press("n")
        await settle(app, pilot)
        assert app.article_view.article.id == 4  # type: ignore[union-attr]
        await pilot.press("p")
        await settle(app, pilot)
        assert app.article_view.article.id == 5  # type: ignore[union-attr]
        await pilot.press("y")
        copied = app.clipboard
        assert copied.startswith("وقال الكرملين أمسلا")  # logical, unshaped
        assert not any("\ufb50" <= c <= "\ufeff" for c in copied)


async def test_help_screen(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_tab_cycles_the_three_panes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        seen = []
        for _ in range(3):
            seen.append(app.focused)
            await pilot.press("tab")
        assert set(map(id, seen)) == {id(app.article_list), id(app.search_pane.input), id(app.article_view)}
        assert app.focused is seen[0]
        await pilot.press("shift+tab")
        assert app.focused is seen[2]


async def test_mode_switching_relayouts_and_is_remembered(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.json"
    monkeypatch.setenv("READER_CONFIG", str(config))
    app = make_app(library, remember_mode=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "enter")
        await settle(app, pilot)
        title = app.article_view.article.title  # type: ignore[union-attr]
        assert title not in app.article_view.screen_text[0]  # shaped and reversed
        await pilot.press("m")
        await settle(app, pilot)
        assert app.render_mode is RenderMode.TERMINAL
        assert "bidi: terminal" in app.status.render()
        assert app.article_view.screen_text[0].strip() in title  # logical order
        assert json.loads(config.read_text())["bidi"] == "terminal"
        await pilot.press("m", "m")
        assert app.render_mode is RenderMode.APP


async def test_resize_rewraps_and_stacks_when_narrow(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "enter")
        await settle(app, pilot)
        wide = len(app.article_view.screen_text)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        narrow = len(app.article_view.screen_text)
        assert narrow > wide
        assert max(cell_len(line) for line in app.article_view.screen_text) <= app.article_view.size.width
        await pilot.resize_terminal(60, 30)
        await settle(app, pilot)
        assert app.screen.has_class("-narrow")
        assert app.article_view.region.y > app.article_list.region.y  # stacked


async def test_jump_between_matches(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "الروسية")
        await settle(app, pilot)
        assert app.search_pane.results.hits
        await pilot.press("enter")
        await settle(app, pilot)
        view = app.article_view
        rows = view._match_rows
        assert len(rows) >= 2
        seen = []
        for _ in range(len(rows)):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            seen.append(view._match_index)
        assert seen == [*range(1, len(rows)), 0]  # past the last match it wraps to the first
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert view._match_index == len(rows) - 1
        assert view.scroll_offset.y >= min(view.max_scroll_y, rows[-1] - view.size.height)


async def test_library_errors_are_notifications_not_crashes(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(article_id: int) -> bool:
        raise LibraryLocked("the library is busy: another program kept it locked")

    monkeypatch.setattr(library, "toggle_bookmark", locked)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        assert any("busy" in n.message for n in app._notifications)
        assert app.is_running


async def test_command_palette_lists_the_actions(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for wanted in (
            "Bookmark article",
            "Bookmarks only",
            "Search",
            "Copy article text",
            "Rendering mode: app",
            "Rendering mode: terminal",
            "Rendering mode: plain",
            "Next article",
            "Previous article",
            "Next match",
            "Help",
            "Quit",
        ):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"
