"""Search hits under the search field: title and snippet, matches highlighted."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.layout import RenderMode, layout_line, layout_paragraph
from reader.messages import OpenArticle
from store.models import SearchHit, SearchResults

SNIPPET_LINES = 2


class SearchResultsList(ScrollView, can_focus=False):
    """The hits of the current query; driven from the search field's keys."""

    COMPONENT_CLASSES = {
        "search-results--title",
        "search-results--match",
        "search-results--selected",
        "search-results--status",
        "search-results--error",
    }

    DEFAULT_CSS = """
    SearchResultsList { overflow-x: hidden; overflow-y: auto; }
    SearchResultsList > .search-results--title { text-style: bold; }
    SearchResultsList > .search-results--match {
        background: $warning 70%; color: $background; text-style: bold;
    }
    SearchResultsList > .search-results--selected { background: $accent 35%; }
    SearchResultsList > .search-results--status { color: $text-muted; text-style: italic; }
    SearchResultsList > .search-results--error { color: $error; }
    """

    mode: reactive[RenderMode] = reactive(RenderMode.APP, init=False)
    cursor: reactive[int] = reactive(0, init=False)

    def __init__(self, *, mode: RenderMode = RenderMode.APP, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(SearchResultsList.mode, mode)
        self.results: SearchResults | None = None
        self.final = True
        self.error: str | None = None
        self.search_query = ""
        self._lines: list[Strip] = []
        self._hit_rows: list[tuple[int, int]] = []  # (first row, last row) of each hit
        self._built_for: tuple[int, RenderMode, int] | None = None

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        return self.results.hits if self.results is not None else ()

    @property
    def current(self) -> SearchHit | None:
        hits = self.hits
        return hits[self.cursor] if 0 <= self.cursor < len(hits) else None

    def show_results(
        self, query: str, results: SearchResults | None, *, final: bool, error: str | None
    ) -> None:
        keep = self.current.id if self.current is not None else None
        self.search_query, self.results, self.final, self.error = query, results, final, error
        ids = [hit.id for hit in self.hits]
        self.cursor = ids.index(keep) if keep in ids and not final else 0
        self._rebuild()
        if final or not keep:
            self.scroll_to(y=0, animate=False)

    def clear(self) -> None:
        self.show_results("", None, final=True, error=None)

    def move(self, delta: int) -> None:
        if self.hits:
            self.cursor = max(0, min(len(self.hits) - 1, self.cursor + delta))

    def watch_cursor(self) -> None:
        self._built_for = None
        self._rebuild()
        if 0 <= self.cursor < len(self._hit_rows):
            first, last = self._hit_rows[self.cursor]
            self.scroll_to_region(Region(0, first, 1, last - first + 1), animate=False)

    def watch_mode(self) -> None:
        self._built_for = None
        self._rebuild()

    def on_resize(self, event: events.Resize) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        key = (width, self.mode, self.cursor)
        self._lines, self._hit_rows = self._build(width)
        self._built_for = key
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _status(self) -> str:
        if self.error:
            return self.error
        if self.results is None:
            return ""
        count = len(self.hits)
        if not count:
            return "no articles match"
        if not self.final:
            return f"{count} newest matches… ranking"
        total = self.results.total
        more = f" of {total}" if total is not None and total > count else ""
        return f"{count}{more} result{'s' if count != 1 else ''}, best first"

    def _build(self, width: int) -> tuple[list[Strip], list[tuple[int, int]]]:
        console = self.app.console
        base = self.rich_style
        lines: list[Strip] = []
        rows: list[tuple[int, int]] = []
        align = self.mode is RenderMode.APP

        def add(text: Text, style: Style | None = None) -> None:
            if style is not None:
                text.stylize(style)
            strip = Strip(list(text.render(console)), text.cell_len)
            lines.append(strip.crop_extend(0, width, base).apply_style(base))

        status = self._status()
        if status:
            kind = "search-results--error" if self.error else "search-results--status"
            add(Text(status[:width], style=self.get_component_rich_style(kind), no_wrap=True, end=""))
        if self.results is not None:
            for note in self.results.notes:
                add(
                    Text(
                        f"note: {note}"[:width], style=self.get_component_rich_style("search-results--status")
                    )
                )
        match = self.get_component_rich_style("search-results--match")
        title_style = self.get_component_rich_style("search-results--title")
        selected_style = self.get_component_rich_style("search-results--selected")
        for index, hit in enumerate(self.hits):
            first = len(lines)
            chosen = selected_style if index == self.cursor else None
            marks = ("★" if hit.bookmarked else " ") + ("●" if not hit.read else " ")
            title_width = max(1, width - 3)
            title = layout_line(hit.title, title_width, mode=self.mode, highlights=hit.title_highlights)
            text = title.render(title_width, style=title_style, highlight_style=match, align=align)
            text.truncate(title_width, pad=True)
            text.append(" " + marks)
            add(text, chosen)
            snippet = layout_paragraph(hit.snippet, width, mode=self.mode, highlights=hit.highlights)
            for line in snippet[:SNIPPET_LINES]:
                rendered = line.render(width, highlight_style=match, align=align)
                rendered.truncate(width, pad=True)
                add(rendered, chosen)
            rows.append((first, len(lines) - 1))
            add(Text(""))
        return lines, rows

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if self._built_for is None or self._built_for[0] != width:
            self._rebuild()
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip.blank(width, self.rich_style)

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        for index, (first, last) in enumerate(self._hit_rows):
            if first <= row <= last:
                self.cursor = index
                self.post_message(OpenArticle(self.hits[index].id, self.search_query))
                return
