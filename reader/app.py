"""The full-screen reader: list, reader and search panes.

``create_app`` is the one factory used by the ``reader`` command and by the
tests (Pilot and snapshots). The app holds the :class:`~store.library.Library`
and hands it down to the panes; every database call runs in a thread worker
and comes back as a message, so the UI never waits on SQLite.
"""

from __future__ import annotations

import gc
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
from textual.events import DescendantFocus, Resize
from textual.reactive import reactive
from textual.screen import Screen

from reader import i18n, settings
from reader.i18n import _, grouped, ngettext
from reader.layout import RenderMode
from reader.messages import (
    ArticleDeleted,
    ArticleLoaded,
    ArticleRead,
    BookmarkChanged,
    Flash,
    LibraryFailed,
    MarkedRead,
    OpenArticle,
    RefreshFinished,
    RefreshProgressed,
)
from reader.terminal import EXPLICIT_BIDI, IMPLICIT_BIDI
from reader.widgets.article_list import ArticleList, FirstScreen, read_first_screen
from reader.widgets.article_view import ArticleView
from reader.widgets.footer import ReaderFooter, chrome
from reader.widgets.search_pane import SearchPane
from reader.widgets.status_bar import MODE_NAMES, StatusBar
from store.errors import ReaderError
from store.library import Library

if TYPE_CHECKING:
    from store.web.refresh import RefreshState

#: Below this width the app has two levels, as terminal readers do: the list
#: (and search) full width, and enter opens the article full width.
TWO_LEVEL_WIDTH = 120
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
        Binding("u", "toggle_read", "Unread", show=False),
        Binding("d", "delete", "Delete", show=False),
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
        first: FirstScreen | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        #: The list's count and first page when they were read before the start.
        self._first = first
        self.set_reactive(ReaderApp.render_mode, mode)
        self.remember_mode = remember_mode
        self.watch_changes = watch_changes
        self.cursor_blink = cursor_blink
        self._opened_from = "list"
        #: The library's change token at the last look (the first screen's when read before the start).
        self._change_token: int | None = None if first is None else first.change_token
        self._panes_ready = False
        #: Set when the app quits: a refresh in progress stops.
        self._stop_refresh = threading.Event()
        self._list_counts: tuple[int, int, bool] | None = (
            None if first is None else (first.total, first.total, False)
        )
        self._reader_title: int | None = None

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        mode = self.render_mode
        # The screen's classes before its widgets are styled: set later, they
        # would restyle every widget once more before the first frame.
        wanted = (("-rtl", i18n.is_rtl()), ("-two-level", self._narrow()))
        classes = [name for name, on in wanted if on]
        if classes:
            self.screen.add_class(*classes, update=False)
        with Horizontal(id="main"):
            with Vertical(id="sidebar"):
                yield ArticleList(self.library, mode=mode, first=self._first, id="articles")
                yield SearchPane(self.library, mode=mode, id="search")
            yield ArticleView(mode=mode, id="reader")
        yield StatusBar(id="status")
        yield ReaderFooter()

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
        self.screen.set_class(i18n.is_rtl(), "-rtl")
        self._titles()
        self.status.mode = self.render_mode
        if self._list_counts is not None:  # read before the start: in the first frame
            self._show_counts(self.status)
        self.search_pane.input.cursor_blink = self.cursor_blink
        self.article_list.focus()
        self._panes_ready = True
        self._apply_width(self.size.width)
        self._seed_if_empty()
        if not gc.isenabled():
            self.set_timer(2.0, gc.enable)  # however the first list goes (see run_app)
        if self.watch_changes:
            self._check_for_changes()  # takes the first reading now
            self.set_interval(WATCH_SECONDS, self._check_for_changes)

    def exit(self, *args: Any, **kwargs: Any) -> None:
        self._stop_refresh.set()  # quitting never waits for a slow server
        super().exit(*args, **kwargs)

    def _titles(self) -> None:
        """Pane titles in the interface language (shaped for the app's rendering mode)."""
        mode = self.render_mode
        counts = self._list_counts
        if counts is None:
            articles = _("Articles")
        else:
            shown, total = grouped(counts[0]), grouped(counts[1])
            title = _("Bookmarks · {shown}/{total}") if counts[2] else _("Articles · {shown}/{total}")
            articles = title.format(shown=shown, total=total)
        reader = (
            _("Reader") if self._reader_title is None else _("Reader · #{id}").format(id=self._reader_title)
        )
        self.article_list.border_title = chrome(i18n.digits(articles), mode)
        self.search_pane.border_title = chrome(_("Search"), mode)
        self.article_view.border_title = chrome(i18n.digits(reader), mode)

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:
        """Notifications in the interface language's direction, shaped like every label."""
        mode = self.render_mode
        super().notify(chrome(message, mode), title=chrome(title, mode) if title else "", **kwargs)

    def on_resize(self, event: Resize) -> None:
        self._apply_width(event.size.width)

    def _narrow(self) -> bool:
        return self.size.width < TWO_LEVEL_WIDTH

    def _apply_width(self, width: int) -> None:
        self._main_screen.set_class(width < TWO_LEVEL_WIDTH, "-two-level")

    @property
    def _main_screen(self) -> Screen[Any]:
        """The screen with the panes (under any help or feeds screen)."""
        return self.screen_stack[0] if self.screen_stack else self.screen

    @property
    def two_level(self) -> bool:
        """Is the window too narrow for the panes side by side?"""
        return self._main_screen.has_class("-two-level")

    def say(self, text: str, seconds: float = 3.0) -> None:
        """A short confirmation in the status line: no notification covers the text or the status."""
        self.status.say(text, seconds)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """The reader focused: in the two-level layout it fills the window;
        the list or the search focused: they come back."""
        main = self._main_screen
        if not self._panes_ready or event.widget.screen is not main:
            return
        if event.widget is self.article_view:
            main.set_class(True, "-reading")
        elif main.query_one("#sidebar") in event.widget.ancestors:
            main.set_class(False, "-reading")

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
                article = replace(article, read=True)
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
        self._reader_title = message.article.id
        self._titles()
        view.focus()

    def on_article_read(self, message: ArticleRead) -> None:
        self.article_list.update_article(message.article_id, read=message.read)
        self.search_pane.results.update_hit(message.article_id, read=message.read)
        view = self.article_view
        if view.article is not None and view.article.id == message.article_id:
            view.article = replace(view.article, read=message.read)

    def on_flash(self, message: Flash) -> None:
        self.say(message.text)

    def on_bookmark_changed(self, message: BookmarkChanged) -> None:
        self.article_list.update_article(message.article_id, bookmarked=message.bookmarked)
        self.search_pane.results.update_hit(message.article_id, bookmarked=message.bookmarked)
        view = self.article_view
        if view.article is not None and view.article.id == message.article_id:
            view.update_article(replace(view.article, bookmarked=message.bookmarked))
        if self.article_list.bookmarks_only:
            self.article_list.reload()
        if message.bookmarked:
            self.say(_("Bookmarked: #{id}").format(id=message.article_id))
        else:
            self.say(_("Bookmark removed: #{id}").format(id=message.article_id))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        parts = [
            _("refreshing {done}/{total} feeds").format(
                done=grouped(message.feeds_done), total=grouped(message.feeds_total)
            )
        ]
        if message.pages_total:
            parts.append(
                _("{done}/{total} pages").format(
                    done=grouped(message.pages_done), total=grouped(message.pages_total)
                )
            )
        parts.append(_("{n} new").format(n=grouped(message.new)))
        if message.errors:
            parts.append(_("{n} failed").format(n=grouped(message.errors)))
        self.status.refreshing = " · ".join(parts)
        if message.landed:
            self.article_list.reload()
            self._reload_feeds_screen()

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        self.status.refreshing = ""
        self.article_list.reload()
        self._reload_feeds_screen()
        if message.error:
            self.notify(message.error, title=_("Refresh"), severity="error", timeout=8)
        elif not message.feeds:
            self.notify(
                _("No feeds yet: subscribe with “reader feed add URL”"), title=_("Refresh"), timeout=6
            )
        else:
            text = _("{new} new, {updated} updated from {feeds} feeds").format(
                new=message.new, updated=message.updated, feeds=message.feeds
            )
            if message.failed:
                failed = _("{failed} failed (f shows why)").format(failed=message.failed)
                self.notify(f"{text}; {failed}", title=_("Refresh"), severity="warning")
            else:
                self.notify(text, title=_("Refresh"), timeout=4)

    def _reload_feeds_screen(self) -> None:
        from reader.widgets.feeds_screen import FeedsScreen  # screens load when first opened

        if isinstance(self.screen, FeedsScreen):
            self.screen.reload()

    def on_marked_read(self, message: MarkedRead) -> None:
        self.article_list.mark_loaded_read()
        self.article_list.reload()
        count = message.count
        said = ngettext("Marked {n} article read", "Marked {n} articles read", count)
        self.say(said.format(n=grouped(count)))

    def on_library_failed(self, message: LibraryFailed) -> None:
        self.notify(message.message, title=_("Library"), severity="error", timeout=8)

    def on_article_list_count_changed(self, message: ArticleList.CountChanged) -> None:
        if not gc.isenabled():
            self.call_after_refresh(gc.enable)  # start-up is over (see run_app)
        self._list_counts = (message.shown, message.total, message.bookmarks_only)
        self._show_counts(self.status)
        self._titles()

    def _show_counts(self, status: StatusBar) -> None:
        assert self._list_counts is not None
        status.counting = False
        status.shown, status.total, status.bookmarks_only = self._list_counts

    def on_search_pane_left(self, message: SearchPane.Left) -> None:
        self.article_list.focus()

    def on_search_pane_query_changed(self, message: SearchPane.QueryChanged) -> None:
        self.status.search = message.search_query
        self.status.search_found = None

    def on_search_pane_answered(self, message: SearchPane.Answered) -> None:
        self.status.search_found = -1 if message.total is None else message.total

    # -- actions ---------------------------------------------------------------

    def action_help(self) -> None:
        from reader.widgets.help_screen import HelpScreen

        self.push_screen(HelpScreen(self.render_mode))

    def action_search(self) -> None:
        self.search_pane.focus_input()

    def action_go_back(self) -> None:
        if self.focused is self.article_view:
            if self._opened_from == "search" and self.search_pane.search_query:
                self.search_pane.focus_results()
            else:
                self.article_list.focus()

    def _current_article_id(self) -> int | None:
        view = self.article_view
        if self.focused is view and view.article is not None:
            return view.article.id
        hit = self.search_pane.results.current
        if self.focused is self.search_pane.results and hit is not None:
            return hit.id
        current = self.article_list.current
        if self.focused is self.article_list and current is not None:
            return current.id
        if view.article is not None:
            return view.article.id
        return current.id if current is not None else None

    def action_bookmark(self) -> None:
        article_id = self._current_article_id()
        if article_id is None:
            self.say(_("No article to bookmark"))
            return
        self._toggle_bookmark(article_id)

    def action_bookmarks_only(self) -> None:
        self.article_list.bookmarks_only = not self.article_list.bookmarks_only

    def action_feeds(self) -> None:
        def chosen(choice: int | bool | None) -> None:
            if choice is False:
                return
            self.show_feed(choice if isinstance(choice, int) and not isinstance(choice, bool) else None)

        from reader.widgets.feeds_screen import FeedsScreen

        screen = FeedsScreen(self.library, current=self.article_list.feed_id, mode=self.render_mode)
        self.push_screen(screen, chosen)

    def show_feed(self, feed_id: int | None) -> None:
        """Limit the list to one feed's articles (None: every article)."""
        self.article_list.feed_id = feed_id
        self._name_feed(feed_id)
        self.call_later(self.article_list.focus)  # the list, also when the article filled the window

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
            self.notify(_("The feeds are being refreshed already"), timeout=2)
            return
        self.status.refreshing = _("refreshing feeds…")
        self._refresh_feeds()

    def action_open_link(self) -> None:
        article = self.article_view.article
        if article is None or self.focused is self.article_list:
            current = self.article_list.current
            if current is not None and (article is None or article.id != current.id):
                self._open_link_of(current.id)
                return
        if article is None:
            self.notify(_("No article to open"), timeout=2)
        elif not article.url:
            self.notify(_("This article has no link (it came from a file)"), timeout=3)
        else:
            self.open_url(article.url)
            self.notify(_("Opening {url}").format(url=article.url), timeout=3)

    @work(thread=True, group="open-link")
    def _open_link_of(self, article_id: int) -> None:
        try:
            url = self.library.get(article_id).url
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        if not url:
            self.call_from_thread(self.notify, _("This article has no link (it came from a file)"), timeout=3)
            return
        self.call_from_thread(self.open_url, url)
        self.call_from_thread(self.notify, _("Opening {url}").format(url=url), timeout=3)

    def _current_state(self) -> tuple[int, str, bool, bool] | None:
        """(ID, title, read, bookmarked) of the article the keys act on."""
        article_id = self._current_article_id()
        article = self.article_view.article
        if article is not None and article.id == article_id:
            return article.id, article.title, article.read, article.bookmarked
        current = self.article_list.current
        if current is not None and current.id == article_id:
            return current.id, current.title, current.read, current.bookmarked
        hit = self.search_pane.results.current
        if hit is not None and hit.id == article_id:
            return hit.id, hit.title, hit.read, hit.bookmarked
        return None

    def action_toggle_read(self) -> None:
        state = self._current_state()
        if state is None:
            self.say(_("No article to mark"))
            return
        article_id, _title, read, _bookmarked = state
        self._set_read(article_id, not read)

    @work(thread=True, group="read-state")
    def _set_read(self, article_id: int, read: bool) -> None:
        try:
            self.library.mark_read(article_id, read=read)
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(ArticleRead(article_id, read))
        if read:
            self.post_message(Flash(_("Marked read: #{id}").format(id=article_id)))
        else:
            self.post_message(Flash(_("Marked unread: #{id}").format(id=article_id)))

    def action_delete(self) -> None:
        from reader.widgets.confirm_screen import ConfirmScreen

        """Delete the current article, after asking (twice when it is bookmarked)."""
        state = self._current_state()
        if state is None:
            self.say(_("No article to delete"))
            return
        article_id, title, _read, bookmarked = state
        mode = self.render_mode

        def bookmark_confirmed(answer: bool | None) -> None:
            if answer:
                self._delete(article_id, allow_bookmarked=True)

        def confirmed(answer: bool | None) -> None:
            if not answer:
                return
            if not bookmarked:
                self._delete(article_id, allow_bookmarked=False)
                return
            self.push_screen(
                ConfirmScreen(
                    _("This article is bookmarked. Delete it with its bookmark?"),
                    title,
                    confirm=_("Delete it with its bookmark"),
                    mode=mode,
                ),
                bookmark_confirmed,
            )

        self.push_screen(
            ConfirmScreen(
                _("Delete this article from the library? This cannot be undone."),
                title,
                confirm=_("Delete"),
                mode=mode,
            ),
            confirmed,
        )

    @work(thread=True, group="delete")
    def _delete(self, article_id: int, *, allow_bookmarked: bool) -> None:
        try:
            self.library.delete(article_id, allow_bookmarked=allow_bookmarked)
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(ArticleDeleted(article_id))

    def on_article_deleted(self, message: ArticleDeleted) -> None:
        view = self.article_view
        if view.article is not None and view.article.id == message.article_id:
            reading = self.focused is view
            view.clear()
            self._reader_title = None
            self._titles()
            if reading:
                self.action_go_back()
        self.article_list.reload()
        self.search_pane.search_again()
        self.say(_("Deleted: #{id}").format(id=message.article_id))

    def action_mark_shown_read(self) -> None:
        articles = self.article_list
        self._mark_read(articles.bookmarks_only, articles.feed_id)

    def _step_article(self, delta: int) -> None:
        results = self.search_pane.results
        if (self._opened_from == "search" or self.focused is results) and results.hits:
            before = results.cursor
            results.move(delta)
            hit = results.current
            if hit is not None and results.cursor != before:
                self.post_message(OpenArticle(hit.id, self.search_pane.search_query))
            else:
                self.say(_("No more results"))
            return
        articles = self.article_list
        if articles.move(delta):
            articles.action_open()
        else:
            self.say(_("No more articles"))

    def action_next_article(self) -> None:
        self._step_article(1)

    def action_previous_article(self) -> None:
        self._step_article(-1)

    def action_copy(self) -> None:
        article = self.article_view.article
        if article is None:
            self.notify(_("Open an article to copy it"), timeout=2)
            return
        text = article.plain_text()
        self.copy_to_clipboard(text)
        # Sent with OSC 52: whether the terminal kept it cannot be known from here.
        self.say(
            ngettext(
                "Sent the article's text ({n} character) to the terminal's clipboard",
                "Sent the article's text ({n} characters) to the terminal's clipboard",
                len(text),
            ).format(n=f"{len(text):,}"),
            seconds=4,
        )

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
        self._titles()
        self.call_later(self.query_one(ReaderFooter).recompose)
        self._write_terminal(EXPLICIT_BIDI if mode is RenderMode.APP else IMPLICIT_BIDI)
        if self.remember_mode:
            settings.remember_mode(mode)
        self.say(_("Rendering mode: {mode}").format(mode=_(MODE_NAMES[mode])))

    def _write_terminal(self, sequence: str) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None and not self.is_headless:
            driver.write(sequence)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        mode = self.render_mode
        for command in super().get_system_commands(screen):  # Textual's own, in the interface language
            title, help_text = _(command.title), _(command.help)
            yield SystemCommand(
                chrome(title, mode), chrome(help_text, mode), command.callback, command.discover
            )
        view = self.article_view
        commands: list[tuple[str, str, Any]] = [
            (_("Search"), _("Focus the search field (/)"), self.action_search),
            (
                _("Bookmark article"),
                _("Bookmark or un-bookmark the current article (b)"),
                self.action_bookmark,
            ),
            (
                _("Bookmarks only"),
                _("Show only bookmarked articles, or all again (B)"),
                self.action_bookmarks_only,
            ),
            (_("Next article"), _("Open the next article (n)"), self.action_next_article),
            (_("Previous article"), _("Open the previous article (p)"), self.action_previous_article),
            (_("Copy article text"), _("Copy the open article as plain text (y)"), self.action_copy),
            (_("Reload list"), _("Show articles imported meanwhile (r)"), self.action_refresh),
            (_("Feeds"), _("The feeds with their unread counts; choose one to list (f)"), self.action_feeds),
            (
                _("Refresh feeds"),
                _("Fetch every feed; new articles appear as they land (R)"),
                self.action_refresh_feeds,
            ),
            (_("Open link"), _("Open the article's page in the browser (o)"), self.action_open_link),
            (
                _("Mark shown read"),
                _("Mark every article the list shows as read (A)"),
                self.action_mark_shown_read,
            ),
            (
                _("Mark unread"),
                _("Mark the current article unread, or read again (u)"),
                self.action_toggle_read,
            ),
            (
                _("Delete article"),
                _("Delete the current article from the library, after asking (d)"),
                self.action_delete,
            ),
            (_("Next match"), _("Jump to the next search match in the article (])"), view.action_next_match),
            (_("Previous match"), _("Jump to the previous search match ([)"), view.action_previous_match),
        ]
        modes = (
            (RenderMode.APP, _("the app shapes and orders Arabic (most terminals)")),
            (RenderMode.TERMINAL, _("logical order, for terminals that do bidi (GNOME Terminal, Konsole…)")),
            (RenderMode.PLAIN, _("text as stored, no shaping or ordering")),
        )
        for each, description in modes:
            title = _("Rendering mode: {mode}").format(mode=_(MODE_NAMES[each]))
            commands.append((title, description, lambda each=each: self.set_mode(each)))
        commands.append(
            (_("Interface in Arabic"), _("Arabic labels, mirrored layout"), lambda: self.set_language("ar"))
        )
        commands.append(
            (_("Interface in English"), _("English labels, left to right"), lambda: self.set_language("en"))
        )
        digits = (
            _("Arabic-Indic digits")
            if not settings.load_config().get("arabic_digits")
            else _("Western digits")
        )
        commands.append((digits, _("How the interface writes numbers in Arabic"), self.toggle_digits))
        commands.append((_("Help"), _("Keys and search syntax (?)"), self.action_help))
        for title, help_text, callback in commands:
            yield SystemCommand(chrome(title, mode), chrome(help_text, mode), callback)

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            prompt = chrome(_("Search for commands…"), self.render_mode)
            self.push_screen(CommandPalette(placeholder=prompt, id="--command-palette"))

    def set_language(self, lang: str) -> None:
        """Switch the interface language now, and remember it."""
        i18n.set_language(lang)
        settings.remember_language(lang)
        self.relabel()

    def toggle_digits(self) -> None:
        enabled = settings.load_config().get("arabic_digits") is not True
        settings.save_config({"arabic_digits": enabled})
        i18n.set_arabic_digits(enabled)
        self.relabel()

    def relabel(self) -> None:
        """Every label again, in the current language, direction and rendering mode."""
        self.screen.set_class(i18n.is_rtl(), "-rtl")
        self._titles()
        self.call_later(self.query_one(ReaderFooter).recompose)
        self.status.refresh()
        self.article_list.watch_mode()
        self.article_view.watch_mode()
        self.search_pane.results.watch_mode()
        self.search_pane.input.watch_mode()


def create_app(
    library: Library | str | Path,
    *,
    mode: RenderMode = RenderMode.APP,
    remember_mode: bool = True,
    watch_changes: bool = True,
    cursor_blink: bool = True,
    first: FirstScreen | None = None,
) -> ReaderApp:
    """The app over a library (an open one, or a path to open); ``first``: the
    list's count and first page, read already (see :func:`read_first_screen`)."""
    if not isinstance(library, Library):
        library = Library(library)
    return ReaderApp(
        library,
        mode=mode,
        remember_mode=remember_mode,
        watch_changes=watch_changes,
        cursor_blink=cursor_blink,
        first=first,
    )


def run_app(db_path: Path, *, mode: RenderMode, mode_given: bool = False) -> int:
    """Open the library and run the app until the user quits."""
    library = Library(db_path)  # errors here are printed by the CLI, before the screen changes
    # Read now, so that the list's first rows are in the app's first frame (read
    # by a worker after the start, they would come one frame later: a tenth of the start).
    app = create_app(library, mode=mode, remember_mode=True, first=read_first_screen(library))
    tty = sys.stdout.isatty()
    if tty and mode is RenderMode.APP:
        sys.stdout.write(EXPLICIT_BIDI)
        sys.stdout.flush()
    # What the modules made lives as long as the app: no collection needs to walk it
    # again (a full one takes ~10 ms, and one falls due while the first frame is drawn).
    # The collector, off while they loaded (reader.launch), is back once the list
    # is painted (ReaderApp.on_article_list_count_changed).
    gc.freeze()
    try:
        app.run()
    finally:
        gc.enable()
        if tty and app.render_mode is RenderMode.APP:
            sys.stdout.write(IMPLICIT_BIDI)
            sys.stdout.flush()
        library.close()
    if mode_given and app.render_mode is mode:
        settings.remember_mode(mode)
    return app.return_code or 0
