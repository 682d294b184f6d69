"""The full-screen reader: list, reader and search panes.

``create_app`` is the one factory used by the ``reader`` command and by the
tests (Pilot and snapshots). The app holds the :class:`~store.library.Library`
and hands it down to the panes; every database call runs in a thread worker
and comes back as a message, so the UI never waits on SQLite.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer

from reader import settings
from reader.layout import RenderMode
from reader.messages import (
    ArticleLoaded,
    ArticleRead,
    BookmarkChanged,
    LibraryFailed,
    MarkedRead,
    OpenArticle,
    RefreshFinished,
    RefreshProgressed,
)
from reader.terminal import EXPLICIT_BIDI, IMPLICIT_BIDI
from reader.widgets.article_list import ArticleList
from reader.widgets.article_view import ArticleView
from reader.widgets.feeds_screen import FeedsScreen
from reader.widgets.help_screen import HelpScreen
from reader.widgets.search_pane import SearchPane
from reader.widgets.status_bar import StatusBar
from store.errors import ReaderError
from store.library import Library

if TYPE_CHECKING:
    from store.web.refresh import RefreshState

#: Below this width the panes stack vertically.
NARROW_WIDTH = 72
#: How often the app looks for changes made by another process (an import).
WATCH_SECONDS = 2.0
MODES = (RenderMode.APP, RenderMode.TERMINAL, RenderMode.PLAIN)


class ReaderApp(App[None]):
    """Qari: read and search Arabic news from the keyboard."""

    TITLE = "Qari"
    CSS_PATH = "app.tcss"

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("slash", "search", "Search"),
        Binding("f", "feeds", "Feeds"),
        Binding("R", "refresh_feeds", "Refresh"),
        Binding("b", "bookmark", "Bookmark"),
        Binding("B", "bookmarks_only", "Bookmarks"),
        Binding("n", "next_article", "Next"),
        Binding("p", "previous_article", "Prev"),
        Binding("o", "open_link", "Link"),
        Binding("y", "copy", "Copy"),
        Binding("m", "cycle_mode", "Mode"),
        Binding("A", "mark_shown_read", "All read", show=False),
        Binding("r", "refresh", "Reload", show=False),
        Binding("escape", "go_back", "Back", show=False),
    ]

    render_mode: reactive[RenderMode] = reactive(RenderMode.APP)

    def __init__(
        self,
        library: Library,
        *,
        mode: RenderMode = RenderMode.APP,
        remember_mode: bool = True,
        watch_changes: bool = True,
        cursor_blink: bool = True,
    ) -> None:
        super().__init__()
        self.library = library
        self.set_reactive(ReaderApp.render_mode, mode)
        self.remember_mode = remember_mode
        self.watch_changes = watch_changes
        self.cursor_blink = cursor_blink
        self._opened_from = "list"
        self._change_token: int | None = None
        self._panes_ready = False
        #: Set when the app quits: a refresh in progress stops.
        self._stop_refresh = threading.Event()

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        mode = self.render_mode
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield ArticleList(self.library, mode=mode, id="articles")
                yield SearchPane(self.library, mode=mode, id="search")
            yield ArticleView(mode=mode, id="reader")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def search_pane(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        self.article_list.border_title = "Articles"
        self.search_pane.border_title = "Search"
        self.article_view.border_title = "Reader"
        self.status.mode = self.render_mode
        self.search_pane.input.cursor_blink = self.cursor_blink
        self.article_list.focus()
        self._panes_ready = True
        self._apply_width(self.size.width)
        self._seed_if_empty()
        if self.watch_changes:
            self._check_for_changes()  # takes the first reading now
            self.set_interval(WATCH_SECONDS, self._check_for_changes)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._stop_refresh.set()  # quitting never waits for a slow server
        super().exit(*args, **kwargs)

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.screen.set_class(width < NARROW_WIDTH, "-narrow")

    # -- library work (thread workers, results as messages) --------------------

    @work(thread=True, exclusive=True, group="seed")
    def _seed_if_empty(self) -> None:
        try:
            report = self.library.ensure_seeded()
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        if report is not None:
            self.call_from_thread(self.article_list.reload)

    @work(thread=True, exclusive=True, group="watch")
    def _check_for_changes(self) -> None:
        try:
            token = self.library.change_token()
        except ReaderError:
            return
        if self._change_token is not None and token != self._change_token:
            self.call_from_thread(self.article_list.reload)
        self._change_token = token

    @work(thread=True, exclusive=True, group="open")
    def _load_article(self, article_id: int, query: str | None) -> None:
        try:
            article = self.library.get(article_id)
            if not article.read:
                self.library.mark_read(article_id)
                self.post_message(ArticleRead(article_id))
            highlights: dict[int, list[tuple[int, int]]] = {}
            title_highlights: list[tuple[int, int]] = []
            if query:
                matcher = self.library.compile(query).matcher
                title_highlights = matcher.spans(article.title)
                for index, paragraph in enumerate(article.paragraphs):
                    spans = matcher.spans(paragraph)
                    if spans:
                        highlights[index] = spans
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(ArticleLoaded(article, highlights, title_highlights, query))

    @work(thread=True, group="bookmark")
    def _toggle_bookmark(self, article_id: int) -> None:
        try:
            state = self.library.toggle_bookmark(article_id)
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(BookmarkChanged(article_id, state))

    @work(thread=True, exclusive=True, group="refresh-feeds")
    def _refresh_feeds(self) -> None:
        def progress(state: RefreshState) -> None:
            self.post_message(
                RefreshProgressed(
                    state.feeds_done,
                    state.feeds_total,
                    state.pages_done,
                    state.pages_total,
                    state.new,
                    state.errors,
                    landed=state.finished is not None and (state.finished.new or state.finished.updated) > 0,
                )
            )

        try:
            report = self.library.refresh(None, progress=progress, cancel=self._stop_refresh)
        except ReaderError as error:
            self.post_message(RefreshFinished(0, 0, 0, 0, str(error)))
            return
        self.post_message(RefreshFinished(report.new, report.updated, report.failed, len(report.feeds)))

    @work(thread=True, group="mark-read")
    def _mark_read(self, bookmarked: bool, feed_id: int | None) -> None:
        try:
            count = self.library.mark_all_read(bookmarked=bookmarked, feed_id=feed_id)
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(MarkedRead(count))

    # -- messages --------------------------------------------------------------

    @on(OpenArticle)
    def _open(self, message: OpenArticle) -> None:
        self._opened_from = "search" if message.query else "list"
        self._load_article(message.article_id, message.query)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        view = self.article_view
        view.show(
            message.article,
            highlights=message.highlights,
            title_highlights=message.title_highlights,
            query=message.query,
        )
        view.border_title = f"Reader · #{message.article.id}"
        view.focus()

    def on_article_read(self, message: ArticleRead) -> None:
        self.article_list.update_article(message.article_id, read=True)

    def on_bookmark_changed(self, message: BookmarkChanged) -> None:
        self.article_list.update_article(message.article_id, bookmarked=message.bookmarked)
        view = self.article_view
        if view.article is not None and view.article.id == message.article_id:
            view.update_article(replace(view.article, bookmarked=message.bookmarked))
        if self.article_list.bookmarks_only:
            self.article_list.reload()
        state = "Bookmarked" if message.bookmarked else "Bookmark removed"
        self.notify(f"{state}: #{message.article_id}", timeout=2)

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        parts = [f"refreshing {message.feeds_done}/{message.feeds_total} feeds"]
        if message.pages_total:
            parts.append(f"{message.pages_done}/{message.pages_total} pages")
        parts.append(f"{message.new} new")
        if message.errors:
            parts.append(f"{message.errors} failed")
        self.status.refreshing = " · ".join(parts)
        if message.landed:
            self.article_list.reload()
            self._reload_feeds_screen()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.status.refreshing = ""
        self.article_list.reload()
        self._reload_feeds_screen()
        if message.error:
            self.notify(message.error, title="Refresh", severity="error", timeout=8)
        elif not message.feeds:
            self.notify("No feeds yet: subscribe with reader feed add URL", title="Refresh", timeout=6)
        else:
            text = f"{message.new} new, {message.updated} updated from {message.feeds} feeds"
            if message.failed:
                self.notify(
                    f"{text}; {message.failed} failed (f shows why)", title="Refresh", severity="warning"
                )
            else:
                self.notify(text, title="Refresh", timeout=4)

    def _reload_feeds_screen(self) -> None:
        if isinstance(self.screen, FeedsScreen):
            self.screen.reload()

    def on_marked_read(self, message: MarkedRead) -> None:
        self.article_list.mark_loaded_read()
        self.article_list.reload()
        self.notify(f"Marked {message.count} articles read", timeout=2)

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.notify(message.message, title="Library", severity="error", timeout=8)

    def on_article_list_count_changed(self, message: ArticleList.CountChanged) -> None:
        status = self.status
        status.loading = False
        status.shown, status.total = message.shown, message.total
        status.bookmarks_only = message.bookmarks_only
        title = "Bookmarks" if message.bookmarks_only else "Articles"
        self.article_list.border_title = f"{title} · {message.shown}/{message.total}"

    def on_search_pane_left(self, message: SearchPane.Left) -> None:
        self.article_list.focus()

    def on_search_pane_query_changed(self, message: SearchPane.QueryChanged) -> None:
        self.status.search = message.search_query
        self.status.search_found = None

    def on_search_pane_answered(self, message: SearchPane.Answered) -> None:
        self.status.search_found = -1 if message.total is None else message.total

    # -- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.render_mode))

    def action_search(self) -> None:
        self.search_pane.focus_input()

    def action_go_back(self) -> None:
        if self.focused is self.article_view:
            if self._opened_from == "search" and self.search_pane.search_query:
                self.search_pane.focus_input()
            else:
                self.article_list.focus()

    def _current_article_id(self) -> int | None:
        view = self.article_view
        if self.focused is view and view.article is not None:
            return view.article.id
        current = self.article_list.current
        if self.focused is self.article_list and current is not None:
            return current.id
        if view.article is not None:
            return view.article.id
        return current.id if current is not None else None

    def action_bookmark(self) -> None:
        article_id = self._current_article_id()
        if article_id is None:
            self.notify("No article to bookmark", timeout=2)
            return
        self._toggle_bookmark(article_id)

    def action_bookmarks_only(self) -> None:
        self.article_list.bookmarks_only = not self.article_list.bookmarks_only

    def action_feeds(self) -> None:
        def chosen(choice: int | bool | None) -> None:
            if choice is False:
                return
            self.show_feed(choice if isinstance(choice, int) and not isinstance(choice, bool) else None)

        screen = FeedsScreen(self.library, current=self.article_list.feed_id, mode=self.render_mode)
        self.push_screen(screen, chosen)

    def show_feed(self, feed_id: int | None) -> None:
        """Limit the list to one feed's articles (None: every article)."""
        self.article_list.feed_id = feed_id
        self._name_feed(feed_id)

    @work(thread=True, group="feed-name")
    def _name_feed(self, feed_id: int | None) -> None:
        name = ""
        if feed_id is not None:
            try:
                name = self.library.feed(feed_id).name
            except ReaderError:
                name = f"feed {feed_id}"
        self.call_from_thread(setattr, self.status, "feed_name", name)

    def action_refresh_feeds(self) -> None:
        if self.status.refreshing:
            self.notify("The feeds are being refreshed already", timeout=2)
            return
        self.status.refreshing = "refreshing feeds…"
        self._refresh_feeds()

    def action_open_link(self) -> None:
        article = self.article_view.article
        if article is None or self.focused is self.article_list:
            current = self.article_list.current
            if current is not None and (article is None or article.id != current.id):
                self._open_link_of(current.id)
                return
        if article is None:
            self.notify("No article to open", timeout=2)
        elif not article.url:
            self.notify("This article has no link (it came from a file)", timeout=3)
        else:
            self.open_url(article.url)
            self.notify(f"Opening {article.url}", timeout=3)

    @work(thread=True, group="open-link")
    def _open_link_of(self, article_id: int) -> None:
        try:
            url = self.library.get(article_id).url
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        if not url:
            self.call_from_thread(self.notify, "This article has no link (it came from a file)", timeout=3)
            return
        self.call_from_thread(self.open_url, url)
        self.call_from_thread(self.notify, f"Opening {url}", timeout=3)

    def action_mark_shown_read(self) -> None:
        articles = self.article_list
        self._mark_read(articles.bookmarks_only, articles.feed_id)

    def _step_article(self, delta: int) -> None:
        if self._opened_from == "search" and self.search_pane.results.hits:
            results = self.search_pane.results
            before = results.cursor
            results.move(delta)
            hit = results.current
            if hit is not None and results.cursor != before:
                self.post_message(OpenArticle(hit.id, self.search_pane.search_query))
            else:
                self.notify("No more results", timeout=2)
            return
        articles = self.article_list
        if articles.move(delta):
            articles.action_open()
        else:
            self.notify("No more articles", timeout=2)

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def action_copy(self) -> None:
        article = self.article_view.article
        if article is None:
            self.notify("Open an article to copy it", timeout=2)
            return
        text = article.plain_text()
        self.copy_to_clipboard(text)
        self.notify(f"Copied the article's text ({len(text):,} characters)", timeout=2)

    def action_refresh(self) -> None:
        self.article_list.reload()

    def action_cycle_mode(self) -> None:
        index = MODES.index(self.render_mode)
        self.set_mode(MODES[(index + 1) % len(MODES)])

    def set_mode(self, mode: RenderMode) -> None:
        self.render_mode = mode

    def watch_render_mode(self, mode: RenderMode) -> None:
        if not self._panes_ready:
            return
        for widget in (self.article_list, self.article_view, self.search_pane, self.status):
            widget.mode = mode
        self._write_terminal(EXPLICIT_BIDI if mode is RenderMode.APP else IMPLICIT_BIDI)
        if self.remember_mode:
            settings.remember_mode(mode)
        self.notify(f"Rendering mode: {mode.value}", timeout=2)

    def _write_terminal(self, sequence: str) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None and not self.is_headless:
            driver.write(sequence)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Search", "Focus the search field (/)", self.action_search)
        yield SystemCommand(
            "Bookmark article", "Bookmark or un-bookmark the current article (b)", self.action_bookmark
        )
        yield SystemCommand(
            "Bookmarks only", "Show only bookmarked articles, or all again (B)", self.action_bookmarks_only
        )
        yield SystemCommand("Next article", "Open the next article (n)", self.action_next_article)
        yield SystemCommand("Previous article", "Open the previous article (p)", self.action_previous_article)
        yield SystemCommand("Copy article text", "Copy the open article as plain text (y)", self.action_copy)
        yield SystemCommand("Reload list", "Show articles imported meanwhile (r)", self.action_refresh)
        yield SystemCommand(
            "Feeds", "The feeds with their unread counts; choose one to list (f)", self.action_feeds
        )
        yield SystemCommand(
            "Refresh feeds",
            "Fetch every feed; new articles appear as they land (R)",
            self.action_refresh_feeds,
        )
        yield SystemCommand("Open link", "Open the article's page in the browser (o)", self.action_open_link)
        yield SystemCommand(
            "Mark shown read", "Mark every article the list shows as read (A)", self.action_mark_shown_read
        )
        yield SystemCommand(
            "Next match",
            "Jump to the next search match in the article (])",
            self.article_view.action_next_match,
        )
        yield SystemCommand(
            "Previous match", "Jump to the previous search match ([)", self.article_view.action_previous_match
        )
        for mode, description in (
            (RenderMode.APP, "the app shapes and orders Arabic (most terminals)"),
            (RenderMode.TERMINAL, "logical order, for terminals that do bidi (GNOME Terminal, Konsole…)"),
            (RenderMode.PLAIN, "text as stored, no shaping or ordering"),
        ):
            yield SystemCommand(
                f"Rendering mode: {mode.value}", description, lambda mode=mode: self.set_mode(mode)
            )
        yield SystemCommand("Help", "Keys and search syntax (?)", self.action_help)


def create_app(
    library: Library | str | Path,
    *,
    mode: RenderMode = RenderMode.APP,
    remember_mode: bool = True,
    watch_changes: bool = True,
    cursor_blink: bool = True,
) -> ReaderApp:
    """The app over a library (an open one, or a path to open)."""
    if not isinstance(library, Library):
        library = Library(library)
    return ReaderApp(
        library,
        mode=mode,
        remember_mode=remember_mode,
        watch_changes=watch_changes,
        cursor_blink=cursor_blink,
    )


def run_app(db_path: Path, *, mode: RenderMode, mode_given: bool = False) -> int:
    """Open the library and run the app until the user quits."""
    library = Library(db_path)  # errors here are printed by the CLI, before the screen changes
    app = create_app(library, mode=mode, remember_mode=True)
    tty = sys.stdout.isatty()
    if tty and mode is RenderMode.APP:
        sys.stdout.write(EXPLICIT_BIDI)
        sys.stdout.flush()
    try:
        app.run()
    finally:
        if tty and app.render_mode is RenderMode.APP:
            sys.stdout.write(IMPLICIT_BIDI)
            sys.stdout.flush()
        library.close()
    if mode_given and app.render_mode is mode:
        settings.remember_mode(mode)
    return app.return_code or 0
