"""Search hits under the search field: title and snippet, matches highlighted."""

from __future__ import annotations

from dataclasses import replace

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.i18n import _, digits, grouped, is_rtl, ngettext
from reader.layout import ELLIPSIS, Line, RenderMode, layout_line, layout_paragraph, paragraph_is_rtl
from reader.messages import OpenArticle
from reader.widgets.list_keys import LIST_BINDINGS
from store.models import SearchHit, SearchResults

SNIPPET_LINES = 2


def _line_of(lines: tuple[Line, ...], index: int) -> int:
    """Which of ``lines`` shows the logical character ``index`` (len(lines) if none)."""
    for number, line in enumerate(lines):
        if line.start <= index < line.end:
            return number
    return len(lines)


def centred_snippet(
    text: str,
    highlights: tuple[tuple[int, int], ...],
    width: int,
    *,
    rows: int = SNIPPET_LINES,
    mode: RenderMode = RenderMode.APP,
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet cut so that its first match sits in the middle of ``rows`` lines.

    Snippets are longer than the lines a result shows, and the match is
    often near their end; the text before it is dropped (at a word's start,
    behind an ellipsis) so that the lines are filled and the match is in
    their middle, or as near it as the text after the match allows.
    """
    if not highlights or width <= 0:
        return text, highlights
    first_start, first_end = min(highlights)
    prefix = ELLIPSIS + " "
    room = rows * width
    match_cells = first_end - first_start

    def rank(start: int) -> tuple[int, int, int]:
        """Fill the lines shown first, then put the match in their middle."""
        before = first_start - start + (len(prefix) if start else 0)
        if before + match_cells > room:
            return (1, before, 0)
        after = min(len(text) - first_end, room - before - match_cells)
        return (0, room - before - match_cells - after, abs(before - after))

    starts = [0] + [i + 1 for i, char in enumerate(text[:first_start]) if char == " "]
    starts.sort(key=rank)
    for start in [*starts[:12], first_start]:
        if start:
            cut, shift = prefix + text[start:], start - len(prefix)
        else:
            cut, shift = text, 0
        moved = tuple((s - shift, e - shift) for s, e in highlights if s >= start)
        lines = layout_paragraph(cut, width, mode=mode, highlights=moved)
        if _line_of(lines, first_start - shift) < rows:
            return cut, moved
    return text, highlights


class SearchResultsList(ScrollView):
    """The hits of the current query.

    Driven from the search field's keys while typing (↓ ↑ enter), and a pane
    of its own when focused: escape from a result opened here comes back to
    it, so that keys such as ``b`` act on the hit instead of going into the
    query (``/`` edits the query again).
    """

    BINDINGS = [*LIST_BINDINGS]

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

    def update_hit(
        self, article_id: int, *, read: bool | None = None, bookmarked: bool | None = None
    ) -> None:
        """A shown hit's new state (read, bookmarked), without searching again."""
        if self.results is None or all(hit.id != article_id for hit in self.results.hits):
            return

        def changed(hit: SearchHit) -> SearchHit:
            return replace(
                hit,
                read=hit.read if read is None else read,
                bookmarked=hit.bookmarked if bookmarked is None else bookmarked,
            )

        hits = tuple(changed(hit) if hit.id == article_id else hit for hit in self.results.hits)
        self.results = replace(self.results, hits=hits)
        self._rebuild()

    def move(self, delta: int) -> None:
        if self.hits:
            self.cursor = max(0, min(len(self.hits) - 1, self.cursor + delta))

    def action_cursor_down(self) -> None:
        self.move(1)

    def action_cursor_up(self) -> None:
        self.move(-1)

    def action_first(self) -> None:
        self.move(-len(self.hits))

    def action_last(self) -> None:
        self.move(len(self.hits))

    def _hits_per_page(self) -> int:
        if not self._hit_rows:
            return 1
        first, last = self._hit_rows[0]
        return max(1, self.scrollable_content_region.height // (last - first + 2))

    def action_page_down(self) -> None:
        self.move(self._hits_per_page())

    def action_page_up(self) -> None:
        self.move(-self._hits_per_page())

    def action_open(self) -> None:
        hit = self.current
        if hit is not None:
            self.post_message(OpenArticle(hit.id, self.search_query))

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
            return _("no articles match")
        if not self.final:
            return ngettext("{count} newest match… ranking", "{count} newest matches… ranking", count).format(
                count=count
            )
        total = self.results.total
        if total is not None and total > count:
            return ngettext(
                "{count} of {total} result, best first", "{count} of {total} results, best first", total
            ).format(count=count, total=grouped(total))
        return ngettext("{count} result, best first", "{count} results, best first", count).format(
            count=count
        )

    def _message(self, text: str, style: Style) -> list[Text]:
        """A message under the field, wrapped (never cut), in the interface's direction."""
        text = digits(text)
        rtl = paragraph_is_rtl(text, default_rtl=is_rtl())
        align = self.mode is RenderMode.APP
        width = self.scrollable_content_region.width
        return [
            line.render(width, style=style, align=align)
            for line in layout_paragraph(text, max(1, width), mode=self.mode, rtl=rtl)
        ]

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
            for message_line in self._message(status, self.get_component_rich_style(kind)):
                add(message_line)
        if self.results is not None:
            for note in self.results.notes:
                style = self.get_component_rich_style("search-results--status")
                for message_line in self._message(_("note: {note}").format(note=note), style):
                    add(message_line)
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
            shown, spans = centred_snippet(hit.snippet, hit.highlights, width, mode=self.mode)
            snippet = layout_paragraph(shown, width, mode=self.mode, highlights=spans)
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
