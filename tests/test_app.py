"""The app driven with Textual's Pilot: browsing, search, bookmarks, modes, resize."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets._toast import Toast

from reader.app import ReaderApp, create_app
from reader.layout import RenderMode, layout_line, layout_paragraph, visual
from reader.shaping import unshape
from reader.widgets.article_list import ArticleList, read_first_screen
from reader.widgets.confirm_screen import ConfirmScreen
from reader.widgets.help_screen import HelpRow, HelpScreen
from reader.widgets.search_pane import PLACEHOLDER
from reader.widgets.search_results import centred_snippet
from store.errors import LibraryLocked
from store.library import Library

from conftest import FRIBIDI, needs_fribidi


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


async def test_rows_read_before_the_start_are_in_the_first_frame(library: Library) -> None:
    """As ``reader`` starts the app: the count and first page are read before it
    runs, so its first frame has them and no worker counts again."""
    first = read_first_screen(library)
    total, page = first.total, first.page
    assert total == 5 and page == library.summaries_page(offset=0, limit=100)
    app = make_app(library, first=first)
    async with app.run_test(size=(100, 30)) as pilot:
        # Nothing has had a turn yet (no pause): what the first frame shows.
        assert not [worker for worker in app.workers if worker.group == "list-count"]
        assert (app.article_list.shown, app.article_list.total) == (5, 5)
        assert app.article_list.border_title == "Articles · 5/5"
        assert app.status.render().startswith("5/5 articles")
        first_row = unshape("".join(segment.text for segment in app.article_list.render_line(0)))
        assert page[0].title.split()[0][::-1] in first_row  # in display order: right to left
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.article_view.article is not None and app.article_view.article.id == page[0].id


async def test_a_write_between_the_first_screen_and_the_start_is_noticed(
    library: Library, tmp_path: Path
) -> None:
    """Another process adds an article after the first screen was read, before the
    app watches for changes: the app's first look at the library finds it."""
    first = read_first_screen(library)
    (tmp_path / "late").mkdir()
    (tmp_path / "late" / "late.txt").write_text(
        "مقال متأخر عن الطقس\n\nتوقعت الأرصاد أمطارا غزيرة على المناطق الساحلية خلال الأيام المقبلة.\n",
        encoding="utf-8",
    )
    with Library(library.path) as other:
        assert other.import_paths([str(tmp_path / "late")]).count("added") == 1
    app = make_app(library, first=first, watch_changes=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert (app.article_list.shown, app.article_list.total) == (6, 6)


async def test_the_count_is_awaited_without_covering_the_status_line(library: Library) -> None:
    """The status line says "loading…" itself: Textual's loading indicator never covers it."""
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        assert not app.status.loading
        await settle(app, pilot)
        assert not app.status.loading and not app.status.counting
        assert app.status.render().startswith("5/5 articles")


async def test_the_collector_is_back_once_the_list_is_shown(library: Library) -> None:
    """``reader`` starts with the cycle collector off (reader.launch); the app turns it on."""
    import gc

    gc.disable()
    try:
        app = make_app(library, first=read_first_screen(library))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


async def test_relative_dates_move_on_while_the_app_stays_open(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from reader import dates

    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)

        def row(index: int) -> str:
            return "".join(segment.text for segment in app.article_list.render_line(index))

        assert "now" in row(1)  # imported just now (row 1: not the cursor's, so kept once drawn)
        later = dates.now() + timedelta(minutes=5)
        monkeypatch.setattr(dates, "now", lambda: later)
        assert "now" in row(1)
        app.article_list.redraw_dates()  # what the list's timer does every half minute
        assert "5 min ago" in row(1)


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


@pytest.mark.parametrize("width", range(56, 72, 3))
async def test_the_line_of_facts_wraps_between_facts(library: Library, width: int) -> None:
    app = make_app(library)
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "b")
        await settle(app, pilot)
        text = app.article_view.screen_text
        start = next(i for i, line in enumerate(text) if "bookmarked" in line)
        facts = [line.strip() for line in text[start : start + 3] if line.strip()]
        facts = facts[: next(i for i, line in enumerate(facts) if "words" in line) + 1]
        # Wrapped between facts, never inside one («631» and «words» on two lines).
        pieces = [piece for line in facts for piece in line.strip(" ·").split(" · ")]
        whole = re.compile(r"★ bookmarked|added \w{3} \d+ \w{3} \d{4}, \d\d:\d\d|\d+ min|\d+ words")
        assert all(whole.fullmatch(piece) for piece in pieces), facts


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
        assert app.focused is app.search_pane.results


async def test_enter_before_the_answer_opens_the_best_result_when_it_comes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "روسيا كورسك")
        await settle(app, pilot)
        await type_text(pilot, " ")  # a new query…
        await type_text(pilot, "بوتين وشي")
        await pilot.press("enter")  # …and enter at once: the older results must not open
        await settle(app, pilot)
        assert app.article_view.article is not None and app.article_view.article.id == 2
        assert "No result" not in app.status.render_line(0).text


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
        status = app.status.render()
        assert "Bookmarked: #4" in status and "1/5 bookmarks" in status  # said in the status line
        assert not app._notifications  # no notification covers the screen
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
    async with app.run_test(size=(140, 30)) as pilot:
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


async def test_resize_rewraps_and_switches_to_two_levels(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        assert not app.two_level
        await pilot.press("G", "enter")
        await settle(app, pilot)
        wide = len(app.article_view.screen_text)
        assert app.article_list.region.width and app.article_view.region.width  # side by side
        await pilot.resize_terminal(125, 30)
        await settle(app, pilot)
        narrow = len(app.article_view.screen_text)
        assert narrow > wide
        assert max(cell_len(line) for line in app.article_view.screen_text) <= app.article_view.size.width
        await pilot.resize_terminal(70, 24)
        await settle(app, pilot)
        assert app.two_level
        assert app.article_view.region.width == 70  # the article fills the window
        assert not app.query_one("#sidebar").display
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.article_list.region.width == 70
        assert app.article_list.scrollable_content_region.height >= 10  # not two rows tall


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


# -- reading at 80 columns: two levels -------------------------------------------


def title_cells(app: ReaderApp) -> list[tuple[int, int]]:
    """(cells the title gets, cells of title shown) for each row of the list."""
    articles = app.article_list
    cells = []
    for index in range(articles.shown):
        summary = articles.row(index)
        assert summary is not None
        room = articles.title_cells(summary)
        cells.append((room, layout_line(summary.title, room).cells))
    return cells


async def test_two_levels_at_80_by_24(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert app.two_level
        articles = app.article_list
        assert articles.region.width == 80 and not app.article_view.display
        for room, shown in title_cells(app):
            assert room >= 40 and shown >= 40  # every seed title is longer than that
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert app.focused is app.article_view
        assert app.article_view.region.width == 80 and not app.query_one("#sidebar").display
        assert max(cell_len(line) for line in app.article_view.screen_text) > 60
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is articles and articles.region.width == 80
        assert not app.article_view.display
        assert articles.cursor == 1


async def test_search_in_the_two_level_layout(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("slash")  # from the article: the list level comes back, in the search
        await pilot.pause()
        assert app.focused is app.search_pane.input and app.query_one("#sidebar").display
        await type_text(pilot, "روسيا")
        await settle(app, pilot)
        results = app.search_pane.results
        assert results.hits and results.region.height >= 8
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert app.focused is app.article_view and app.article_view.region.width == 80
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is results and results.region.height >= 8


async def test_titles_get_40_cells_at_every_width(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(60, 24)) as pilot:
        await settle(app, pilot)
        for width in range(60, 201):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            await pilot.pause()
            assert app.two_level is (width < 120)
            assert app.article_list.scrollable_content_region.height >= 10, width
            if width >= 80:
                cells = title_cells(app)
                assert min(room for room, _ in cells) >= 44, (width, cells)
                assert min(shown for _, shown in cells) >= 40, (width, cells)  # cut between words
            if not app.two_level:
                assert app.article_view.region.width >= 45, width  # the reader stays readable


async def test_the_first_page_comes_with_the_count(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    fetched: list[int] = []
    original = ArticleList._fetch_page

    def fetch(self: ArticleList, generation: int, page: int, *args: object) -> None:
        fetched.append(page)
        original(self, generation, page, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ArticleList, "_fetch_page", fetch)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert fetched == [] and app.article_list.row(0) is not None
        # A row whose page has not come is blank, not a column of "…".
        app.article_list._pages.clear()
        strip = app.article_list.render_line(0)
        assert strip.text.strip() == ""


# -- help, search messages and snippets, confirmations -------------------------


async def test_help_rows_wrap_under_their_column(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = list(app.screen.query(HelpRow))
        assert rows
        width = rows[0].size.width
        key_cells, _ = HelpRow.columns(width)
        hanging = 0
        for row in rows:
            lines = [line.plain for line in row.lines(width)]
            assert all(cell_len(line) <= width for line in lines), lines
            for line in lines[1:]:
                if line[: key_cells + 2].strip() == "":
                    hanging += 1
                    assert line[key_cells + 2] != " "  # continues exactly under its column
            shown = "".join(lines)
            assert not any("\u0621" <= char <= "\u064a" for char in shown)  # Arabic joined (shaped)
        assert hanging >= 3
        filters = next(row for row in rows if row.key.startswith("is:bookmarked"))
        lines = [line.plain for line in filters.lines(width)]
        assert len(lines) >= 2  # the query wraps inside its column instead of overflowing it
        assert all(line[key_cells : key_cells + 2].strip() == "" for line in lines)
        assert "".join(line[:key_cells] for line in lines).split() == filters.key.split()
        words = next(row for row in rows if row.description.startswith("words starting"))
        assert words.lines(width)[0].plain.rstrip().endswith(visual("زيلين", rtl=False))
        # For a terminal that orders text itself, the help is in logical order.
        await pilot.press("escape", "m", "question_mark")
        await pilot.pause()
        rows = list(app.screen.query(HelpRow))
        words = next(row for row in rows if row.description.startswith("words starting"))
        assert words.lines(width)[0].plain.rstrip().endswith("words starting with زيلين")


def test_snippets_are_centred_on_their_first_match() -> None:
    words = [f"كلمة{i}" for i in range(40)]
    text = " ".join(words)
    match = text.index("كلمة36")
    highlights = ((match, match + 6),)
    shown, spans = centred_snippet(text, highlights, 40)
    lines = layout_paragraph(shown, 40, highlights=spans)
    assert any(line.highlights for line in lines[:2])  # in view
    assert shown.startswith("… ") and len(lines) >= 2  # the lines are filled
    # With text on both sides, the match is near the middle of the two lines.
    match = text.index("كلمة20")
    shown, spans = centred_snippet(text, ((match, match + 6),), 40)
    start = spans[0][0]
    assert 25 <= start <= 55
    assert shown[spans[0][0] : spans[0][1]] == "كلمة20"


async def test_search_snippets_show_their_match(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "زيلين*")
        await settle(app, pilot)
        results = app.search_pane.results
        assert len(results.hits) == 3
        width = results.scrollable_content_region.width
        for hit in results.hits:
            shown, spans = centred_snippet(hit.snippet, hit.highlights, width)
            visible = layout_paragraph(shown, width, highlights=spans)[:2]
            assert any(line.highlights for line in visible), hit.id


async def test_search_messages_wrap(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(44, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "quotation_mark")
        await settle(app, pilot)
        results = app.search_pane.results
        error = results.error
        assert error and len(error) > results.scrollable_content_region.width
        width = results.scrollable_content_region.width
        shown = [strip.text.rstrip() for strip in results._lines]
        expected = [line.text for line in layout_paragraph(error, width, rtl=False)]
        assert len(expected) >= 2 and shown[: len(expected)] == expected  # wrapped, nothing cut


async def test_mark_unread_and_read_again(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert library.get(5).read
        await pilot.press("u")
        await settle(app, pilot)
        assert not library.get(5).read
        assert not app.article_list.row(0).read  # type: ignore[union-attr]
        assert "Marked unread: #5" in app.status.render()
        await pilot.press("escape", "u")
        await settle(app, pilot)
        assert library.get(5).read and app.article_list.row(0).read  # type: ignore[union-attr]


async def test_search_results_follow_read_and_bookmark(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "كورسك")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        hit = app.search_pane.results.current
        assert hit is not None and hit.read
        await pilot.press("u", "b")
        await settle(app, pilot)
        hit = app.search_pane.results.current
        assert hit is not None and not hit.read and hit.bookmarked


async def test_escape_from_a_search_result_comes_back_to_the_results(library: Library) -> None:
    """Keys typed after coming back act on the chosen hit; they do not go into the query."""
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "روسيا")
        await settle(app, pilot)
        results = app.search_pane.results
        assert len(results.hits) >= 2
        await pilot.press("down", "enter")
        await settle(app, pilot)
        chosen = results.hits[1].id
        assert app.article_view.article is not None and app.article_view.article.id == chosen
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is results and results.current is not None and results.current.id == chosen
        assert app.query_one("#search").has_class("-active")
        await pilot.press("b")
        await settle(app, pilot)
        assert library.get(chosen).bookmarked and results.current.bookmarked
        assert app.search_pane.input.value == "روسيا" and results.hits[1].id == chosen
        await pilot.press("k", "enter")  # another hit opens from the results
        await settle(app, pilot)
        assert app.article_view.article is not None and app.article_view.article.id == results.hits[0].id
        assert app.focused is app.article_view
        await pilot.press("escape", "G")
        await pilot.pause()
        assert results.cursor == len(results.hits) - 1
        await pilot.press("slash")  # the query again, to refine it
        assert app.focused is app.search_pane.input
        await pilot.press("tab")
        assert app.focused is results
        await pilot.press("escape")  # leaves the search
        await pilot.pause()
        assert app.focused is app.article_list


async def test_delete_asks_first(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert app.article_list.shown == 5
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # enter starts on "Keep it"
        await settle(app, pilot)
        assert library.count() == 5
        await pilot.press("enter")  # read it, then delete it from the reader
        await settle(app, pilot)
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert library.count() == 4 and app.article_list.shown == 4
        assert app.article_view.article is None and app.focused is app.article_list
        assert "Deleted: #4" in app.status.render()


async def test_deleting_a_bookmarked_article_asks_twice(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("d", "y")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # the second question
        await pilot.press("escape")
        await settle(app, pilot)
        assert library.count() == 5 and library.get(5).bookmarked
        await pilot.press("d", "y")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert library.count() == 4
        assert 5 not in [a.id for a in library.articles()]


async def test_copy_says_where_the_text_went(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("y")
        await pilot.pause()
        assert "to the terminal's clipboard" in app.status.render()
        assert "Copied" not in app.status.render()


async def test_match_counts_go_to_the_status_line(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "الروسية")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert "Match 2 of" in app.status.render()
        assert not app._notifications


async def test_notifications_leave_the_status_line_visible(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("The library is busy", title="Library", severity="error")
        await settle(app, pilot)
        toasts = list(app.screen.query(Toast))
        assert toasts
        status = app.status.region
        for toast in toasts:
            assert toast.region.bottom <= status.y  # above the status line (and the footer)
            assert toast.region.height <= 2  # one line of text under its title


@needs_fribidi
def test_the_search_placeholder_reads_right() -> None:
    """Each Arabic example of the placeholder stays whole and in place, as FriBidi orders it."""
    shown = layout_line(PLACEHOLDER, 200, rtl=False).text
    assert FRIBIDI is not None
    reference = subprocess.run(
        [FRIBIDI, "--ltr", "--nobreak", "--nopad"], input=PLACEHOLDER + "\n", capture_output=True, text=True
    ).stdout.split("\n")[0]
    assert shown == reference.replace("\ufeff", "")
    examples = ["بوتين", '"مجلس الأمن"', "title:كورسك"]
    positions = [shown.index(visual(example, rtl=False)) for example in examples]
    assert positions == sorted(positions)  # in the order they are written
