"""The list pane: one row per article, paged from SQL as it scrolls.

Only the rows on screen are ever loaded (pages of ``PAGE_SIZE`` from the
library, in thread workers), so a 100,000-article library opens as fast as
a five-article one. Rows are drawn with the Line API: title laid out
right-to-left and cut with an ellipsis at the end of its reading direction,
when it was published (else imported), who it is from, reading time, a
bookmark mark and an unread mark. The list shows every article, the
bookmarks, or one feed's articles, newest first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import dates, i18n
from reader.layout import RenderMode, layout_line, visual
from reader.messages import CountLoaded, LibraryFailed, OpenArticle, PageLoaded
from reader.widgets.list_keys import LIST_BINDINGS
from store.errors import ReaderError
from store.library import Library
from store.models import ArticleSummary

PAGE_SIZE = 100
BOOKMARK_MARK = "★"
UNREAD_MARK = "●"
#: The bookmark and unread marks at the end of a row.
MARK_CELLS = 2
#: A site or agency name longer than this is cut (the title needs the room).
MAX_SOURCE_CELLS = 14
#: A name is cut no shorter than this (or shown whole); with less room it is left out.
MIN_SOURCE_CELLS = 6
#: The cells a title keeps before a row makes room for the source's name.
TITLE_CELLS = 46


#: How often the rows are drawn again, so that their relative dates («now»,
#: «5 min ago») move on while the app stays open (drawn rows are kept).
DATES_EVERY_SECONDS = 30


class FirstScreen(NamedTuple):
    """What the list shows first, read before the app starts."""

    #: How many articles there are.
    total: int
    #: The newest page of them.
    page: list[ArticleSummary]
    #: The library's change token, read just before them: a write that lands
    #: before the app watches is still noticed.
    change_token: int


def read_first_screen(library: Library) -> FirstScreen:
    """The whole list's count and first page, read before the app starts: its
    first frame then shows them (a worker's answer comes a frame later)."""
    token = library.change_token()
    total = library.count()
    return FirstScreen(total, library.summaries_page(offset=0, limit=PAGE_SIZE) if total else [], token)


class ArticleList(ScrollView, can_focus=True):
    """Articles, newest first (published, else imported): all, bookmarks only, or one feed's."""

    BINDINGS = [*LIST_BINDINGS]

    COMPONENT_CLASSES = {
        "article-list--cursor",
        "article-list--cursor-blurred",
        "article-list--meta",
        "article-list--unread",
        "article-list--mark",
    }

    DEFAULT_CSS = """
    ArticleList {
        overflow-x: hidden;
        overflow-y: auto;
    }
    ArticleList > .article-list--cursor { background: $accent 60%; text-style: bold; }
    ArticleList > .article-list--cursor-blurred { background: $accent 25%; }
    ArticleList > .article-list--meta { color: $text-muted; }
    ArticleList > .article-list--unread { text-style: bold; }
    ArticleList > .article-list--mark { color: $warning; }
    """

    cursor: reactive[int] = reactive(0, init=False)
    mode: reactive[RenderMode] = reactive(RenderMode.APP, init=False)
    bookmarks_only: reactive[bool] = reactive(False, init=False)
    #: Only this feed's articles (None: all).
    feed_id: reactive[int | None] = reactive(None, init=False)

    class CountChanged(Message):
        """How many rows the list shows, and how many articles there are."""

        def __init__(self, shown: int, total: int, bookmarks_only: bool) -> None:
            super().__init__()
            self.shown = shown
            self.total = total
            self.bookmarks_only = bookmarks_only

    def __init__(
        self,
        library: Library,
        *,
        mode: RenderMode = RenderMode.APP,
        first: FirstScreen | None = None,
        **kwargs: object,
    ) -> None:
        """``first``: the count and first page, read already (the first frame shows them)."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.library = library
        self._first = first
        self.set_reactive(ArticleList.mode, mode)
        self.shown = 0
        self.total = 0
        self.loaded = False
        self._generation = 0
        self._pages: dict[int, list[ArticleSummary]] = {}
        self._requested: set[int] = set()
        self._strips: LRUCache[tuple[int, int, bool], Strip] = LRUCache(512)

    # -- data ------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(DATES_EVERY_SECONDS, self.redraw_dates)
        if self._first is None:
            self.reload()
            return
        first, self._first = self._first, None
        self._generation += 1
        self._show_count(first.total, first.total, first.page)

    def reload(self) -> None:
        """Count and page in again (after an import, a filter change…)."""
        self._generation += 1
        self._requested.clear()
        self._load_count(self._generation, self.bookmarks_only, self.feed_id)

    # Not exclusive: an older count finishing late is simply ignored (generation).
    @work(thread=True, group="list-count")
    def _load_count(self, generation: int, bookmarks_only: bool, feed_id: int | None) -> None:
        try:
            total = self.library.count()
            filtered = bookmarks_only or feed_id is not None
            shown = self.library.count(bookmarked=bookmarks_only, feed_id=feed_id) if filtered else total
            # The first page comes with the count: the first frame shows titles, not placeholders.
            first = self._page_at(self._page_of(self.cursor), bookmarks_only, feed_id) if shown else []
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(CountLoaded(generation, shown, total, first))

    def _page_of(self, index: int) -> int:
        return max(0, index) // PAGE_SIZE

    def _page_at(self, page: int, bookmarks_only: bool, feed_id: int | None) -> list[ArticleSummary]:
        return self.library.summaries_page(
            offset=page * PAGE_SIZE, limit=PAGE_SIZE, bookmarked=bookmarks_only, feed_id=feed_id
        )

    def on_count_loaded(self, message: CountLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._show_count(message.shown, message.total, message.first_page)

    def _show_count(self, shown: int, total: int, first_page: list[ArticleSummary] | None) -> None:
        self.shown, self.total = shown, total
        self._pages.clear()
        self._strips.clear()
        self.loaded = True
        self.virtual_size = Size(self.scrollable_content_region.width, self.shown)
        page = self._page_of(self.cursor)
        self.cursor = min(self.cursor, max(0, self.shown - 1))
        if first_page is not None and page == self._page_of(self.cursor):
            self._pages[page] = first_page
            self._requested.add(page)
        self.refresh()
        self.post_message(self.CountChanged(self.shown, self.total, self.bookmarks_only))

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation, bookmarks_only, feed_id = self._generation, self.bookmarks_only, self.feed_id
        self.run_worker(
            lambda: self._fetch_page(generation, page, bookmarks_only, feed_id),
            thread=True,
            group="list-page",
        )

    def _fetch_page(self, generation: int, page: int, bookmarks_only: bool, feed_id: int | None) -> None:
        try:
            rows = self._page_at(page, bookmarks_only, feed_id)
        except ReaderError as error:
            self.post_message(LibraryFailed(str(error)))
            return
        self.post_message(PageLoaded(generation, page, rows))

    def on_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pages[message.offset] = message.rows
        self._strips.clear()
        self.refresh()

    def row(self, index: int) -> ArticleSummary | None:
        page = self._pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> ArticleSummary | None:
        return self.row(self.cursor) if self.shown else None

    def update_article(self, article_id: int, **changes: object) -> None:
        """Change a loaded row in place (bookmark or read state) without reloading."""
        for page in self._pages.values():
            for position, summary in enumerate(page):
                if summary.id == article_id:
                    page[position] = replace(summary, **changes)  # type: ignore[arg-type]
        self._strips.clear()
        self.refresh()

    # -- drawing -----------------------------------------------------------

    def redraw_dates(self) -> None:
        """Draw the kept rows again: their relative dates have moved on."""
        if self._strips:
            self._strips.clear()
            self.refresh()

    def watch_mode(self) -> None:
        self._strips.clear()
        self.refresh()

    def watch_bookmarks_only(self) -> None:
        self._start_over()

    def watch_feed_id(self) -> None:
        self._start_over()

    def _start_over(self) -> None:
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.reload()

    def shown_ids(self) -> list[int]:
        """The IDs of the rows loaded so far (what "mark shown read" marks when nothing else can)."""
        return [summary.id for page in self._pages.values() for summary in page]

    def mark_loaded_read(self) -> None:
        """Every loaded row as read (after "mark all read" on the list's selection)."""
        for page in self._pages.values():
            page[:] = [replace(summary, read=True) for summary in page]
        self._strips.clear()
        self.refresh()

    # Rows are kept by width (a resize needs no clearing) and the cursor's row is
    # never kept (focus changes only it): the app's start focuses and sizes the
    # list more than once around its first frames.
    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.shown)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= self.shown or width <= 0:
            return Strip.blank(width, self.rich_style)
        summary = self.row(index)
        if summary is None:
            # Rows not read yet are drawn blank (a column of "…" looks broken) until their page comes.
            self._request_page(index // PAGE_SIZE)
            return Strip.blank(width, self.rich_style)
        selected = index == self.cursor
        key = (index, width, selected and self.has_focus)
        strip = self._strips.get(key) if not selected else None
        if strip is None:
            strip = self._render_row(summary, width, selected)
            if not selected:
                self._strips[key] = strip
        return strip

    def _render_row(self, summary: ArticleSummary, width: int, selected: bool) -> Strip:
        base = self.rich_style
        meta_style = self.get_component_rich_style("article-list--meta")
        mark_style = self.get_component_rich_style("article-list--mark")
        title_style = self.get_component_rich_style("article-list--unread") if not summary.read else Style()
        meta = self._meta(summary, width, meta_style)
        marks = (BOOKMARK_MARK if summary.bookmarked else " ") + (UNREAD_MARK if not summary.read else " ")
        title_width = self._title_room(meta, width)
        title = layout_line(summary.title, title_width, mode=self.mode).render(
            title_width, style=title_style, align=self.mode is RenderMode.APP
        )
        title.truncate(title_width, pad=True)
        line = Text(no_wrap=True, end="")
        if i18n.is_rtl():  # mirrored: the date on the right, the marks on the left
            line.append(marks[::-1], mark_style)
            line.append(" ")
            line.append_text(title)
            line.append_text(meta)
        else:
            line.append_text(meta)
            line.append_text(title)
            line.append(" ")
            line.append(marks, mark_style)
        if selected:
            cursor = "article-list--cursor" if self.has_focus else "article-list--cursor-blurred"
            line.stylize(self.get_component_rich_style(cursor))
        segments = list(line.render(self.app.console))
        return Strip(segments).crop_extend(0, width, base).apply_style(base)

    @staticmethod
    def _title_room(meta: Text, width: int) -> int:
        """Cells left for the title in a row ``width`` cells wide (after the meta and the marks)."""
        return max(1, width - meta.cell_len - MARK_CELLS - 1)

    def title_cells(self, summary: ArticleSummary) -> int:
        """How many cells the title of ``summary`` gets at the list's width."""
        width = self.scrollable_content_region.width
        return self._title_room(self._meta(summary, width, Style()), width)

    def _meta(self, summary: ArticleSummary, width: int, style: Style) -> Text:
        """When (local time), who the article is from (laid out like any text,
        cut with an ellipsis when long) and its reading time: «3 Dec AFP 3′».
        The date and the time to read are always shown; the source when the
        title keeps ``TITLE_CELLS`` cells besides (the title matters more)."""
        rtl = i18n.is_rtl()
        minutes = i18n.digits(f"{summary.reading_minutes}′")
        when = dates.short(summary.when)
        if when and self.mode is RenderMode.APP:
            when = visual(when, mode=self.mode)  # Arabic dates («منذ 3 ساعات») are shaped like any text
        parts: list[Text] = []
        if when and width >= 20:
            parts.append(Text(when.rjust(6)))
        used = sum(part.cell_len + 1 for part in parts) + len(minutes) + 1
        spare = width - used - MARK_CELLS - 1 - TITLE_CELLS - 1
        room = min(MAX_SOURCE_CELLS, spare)
        if summary.source and room >= min(cell_len(summary.source), MIN_SOURCE_CELLS):
            source = layout_line(summary.source, room, mode=self.mode)
            parts.append(source.render(source.cells))
        parts.append(Text(minutes))
        if rtl:
            parts.reverse()
        meta = Text(no_wrap=True, end="", style=style)
        if rtl:
            meta.append(" ")
        for index, part in enumerate(parts):
            if index:
                meta.append(" ")
            meta.append_text(part)
        if not rtl:
            meta.append(" ")
        return meta

    # -- cursor ------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        self.refresh()

    def move(self, delta: int) -> bool:
        """Move the cursor; False when already at that end."""
        if not self.shown:
            return False
        target = max(0, min(self.shown - 1, self.cursor + delta))
        moved = target != self.cursor
        self.cursor = target
        return moved

    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def action_page_down(self) -> None:
        self.move(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move(-max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        if self.shown:
            self.cursor = self.shown - 1

    def action_open(self) -> None:
        summary = self.current
        if summary is not None:
            self.post_message(OpenArticle(summary.id))

    def on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y
        if 0 <= index < self.shown:
            self.cursor = index
            self.action_open()
