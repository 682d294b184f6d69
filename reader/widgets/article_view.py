"""The reader pane: one article, laid out right-to-left, scrolled by line and page.

The article is laid out for the pane's width by :mod:`reader.layout` (cached
per paragraph and width), so a resize re-wraps it at once. Search matches are
highlighted in the original words, and ``]`` / ``[`` jump between them.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader import dates, i18n
from reader.i18n import N_, _
from reader.layout import RenderMode, is_rtl_text, layout_paragraph
from reader.messages import Flash
from store.models import Article

EMPTY_HINT = N_("Choose an article: ↑↓ to move, enter to open, / to search")


#: Stands for a space that must not break a line while one is wrapped (a private-use character).
_GLUE = "\ue000"


class ArticleView(ScrollView, can_focus=True):
    """Shows one article."""

    BINDINGS = [
        Binding("space", "page_down", "Page ↓"),
        Binding("pagedown", "page_down", show=False),
        Binding("pageup", "page_up", show=False),
        Binding("shift+space", "page_up", show=False),
        Binding("down", "line_down", show=False),
        Binding("up", "line_up", show=False),
        Binding("j", "line_down", show=False),
        Binding("k", "line_up", show=False),
        Binding("home", "top", show=False),
        Binding("end", "bottom", show=False),
        Binding("g", "top", show=False),
        Binding("G", "bottom", show=False),
        Binding("escape", "app.go_back", "Back"),
        Binding("right_square_bracket", "next_match", "Next match"),
        Binding("left_square_bracket", "previous_match", "Prev match", show=False),
    ]

    COMPONENT_CLASSES = {
        "article-view--title",
        "article-view--byline",
        "article-view--meta",
        "article-view--match",
        "article-view--hint",
    }

    DEFAULT_CSS = """
    ArticleView { overflow-x: hidden; overflow-y: auto; }
    ArticleView > .article-view--title { text-style: bold; color: $accent; }
    ArticleView > .article-view--byline { color: $text-muted; text-style: italic; }
    ArticleView > .article-view--meta { color: $text-muted; }
    ArticleView > .article-view--match { background: $warning 70%; color: $background; text-style: bold; }
    ArticleView > .article-view--hint { color: $text-muted; }
    """

    mode: reactive[RenderMode] = reactive(RenderMode.APP, init=False)

    class MatchesChanged(Message):
        def __init__(self, count: int) -> None:
            super().__init__()
            self.count = count

    def __init__(self, *, mode: RenderMode = RenderMode.APP, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.set_reactive(ArticleView.mode, mode)
        self.article: Article | None = None
        self.search_query: str | None = None
        self._highlights: dict[int, list[tuple[int, int]]] = {}
        self._title_highlights: list[tuple[int, int]] = []
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}
        self._plain_lines: list[str] = []
        self._match_rows: list[int] = []
        self._match_index = 0
        self._laid_out_for: tuple[int, RenderMode] | None = None

    # -- content -----------------------------------------------------------

    def show(
        self,
        article: Article,
        *,
        highlights: dict[int, list[tuple[int, int]]] | None = None,
        title_highlights: list[tuple[int, int]] | None = None,
        query: str | None = None,
    ) -> None:
        self.article = article
        self.search_query = query
        self._highlights = highlights or {}
        self._title_highlights = title_highlights or []
        self._laid_out_for = None
        self._relayout()
        self.scroll_to(y=0, animate=False)
        self._match_index = 0
        if self._match_rows:
            self._scroll_to_row(self._match_rows[0])
        self.post_message(self.MatchesChanged(len(self._match_rows)))

    def update_article(self, article: Article) -> None:
        """The same article with new state (bookmark): keep the scroll position."""
        if self.article is not None and self.article.id == article.id:
            self.article = article
            self._laid_out_for = None
            self._relayout()

    def clear(self) -> None:
        self.article = None
        self._laid_out_for = None
        self._relayout()

    def watch_mode(self) -> None:
        self._laid_out_for = None
        self._relayout()

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if self._laid_out_for == (width, self.mode):
            return
        self._laid_out_for = (width, self.mode)
        self._lines, self._plain_lines, self._match_rows = self._build(width)
        self._strips = {}
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def _build(self, width: int) -> tuple[list[Text], list[str], list[int]]:
        console = self.app.console
        lines: list[Text] = []
        plain: list[str] = []
        matches: list[int] = []
        match_style = self.get_component_rich_style("article-view--match")

        def add(text: Text, has_match: bool = False) -> None:
            # Only text here: a line becomes segments when it is first shown.
            if has_match:
                matches.append(len(lines))
            lines.append(text)
            plain.append(text.plain)

        def paragraph(
            content: str, style: Style, rtl: bool, spans: list[tuple[int, int]] | None = None
        ) -> None:
            for line in layout_paragraph(content, width, mode=self.mode, rtl=rtl, highlights=spans or ()):
                rendered = line.render(
                    width, style=style, highlight_style=match_style, align=self.mode is RenderMode.APP
                )
                add(rendered, bool(line.highlights))

        article = self.article
        if article is None:
            hint = self.get_component_rich_style("article-view--hint")
            add(Text(""))
            if i18n.is_rtl():
                paragraph(_(EMPTY_HINT), hint, True)
            else:
                for wrapped in Text(_(EMPTY_HINT), style=hint).wrap(console, width):
                    add(wrapped)
            return lines, plain, matches

        rtl = is_rtl_text([article.title, *article.paragraphs[:3]])
        paragraph(
            article.title, self.get_component_rich_style("article-view--title"), rtl, self._title_highlights
        )
        feed = article.feed_name if article.feed_name not in (article.site, *article.credits) else None
        byline = " · ".join(
            x for x in (article.dateline, *article.credits, article.site, article.author, feed) if x
        )
        if byline:
            paragraph(byline, self.get_component_rich_style("article-view--byline"), rtl)
        size = _("{minutes} min · {words} words").format(
            minutes=article.reading_minutes, words=article.word_count
        )
        if article.published_at:
            meta = _("{date} · {size}").format(date=dates.full(article.published_at), size=size)
        else:
            meta = _("added {date} · {size}").format(date=dates.full(article.imported_at), size=size)
        if article.bookmarked:
            meta = _("★ bookmarked · {rest}").format(rest=meta)
        # The line of facts reads in the interface's direction, aligned with the article.
        meta_style = self.get_component_rich_style("article-view--meta")
        if i18n.is_rtl():
            paragraph(i18n.digits(meta), meta_style, True)
        else:
            # Wrapped between facts, never inside one («631 / words» on two lines): the
            # spaces inside a fact are a one-cell letter while wrapping (Rich breaks at
            # any whitespace, a no-break space included).
            whole = " · ".join(fact.replace(" ", _GLUE) for fact in meta.split(" · "))
            for wrapped in Text(whole, style=meta_style).wrap(console, max(1, width)):
                facts = wrapped.plain.replace(_GLUE, " ").rstrip().removesuffix(" ·")
                meta_line = Text(facts, style=meta_style)
                if rtl and self.mode is RenderMode.APP:
                    meta_line = Text(" " * max(0, width - meta_line.cell_len)) + meta_line
                add(meta_line)
        for index, content in enumerate(article.paragraphs):
            add(Text(""))
            paragraph(content, Style(), rtl, self._highlights.get(index))
        add(Text(""))
        return lines, plain, matches

    def render_line(self, y: int) -> Strip:
        _, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if self._laid_out_for != (width, self.mode):
            self._relayout()
        if 0 <= index < len(self._lines):
            strip = self._strips.get(index)
            if strip is None:
                text = self._lines[index]
                base = self.rich_style
                strip = Strip(list(text.render(self.app.console)), text.cell_len)
                strip = self._strips[index] = strip.crop_extend(0, width, base).apply_style(base)
            return strip
        return Strip.blank(width, self.rich_style)

    @property
    def screen_text(self) -> list[str]:
        """The laid-out lines as plain text (what the screen shows), for tests."""
        return list(self._plain_lines)

    # -- scrolling ----------------------------------------------------------

    def action_line_down(self) -> None:
        self.scroll_relative(y=1, animate=False)

    def action_line_up(self) -> None:
        self.scroll_relative(y=-1, animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)

    def _scroll_to_row(self, row: int) -> None:
        height = self.scrollable_content_region.height
        self.scroll_to(y=max(0, row - height // 3), animate=False)

    def _jump(self, step: int) -> None:
        if not self._match_rows:
            self.post_message(Flash(_("No search matches in this article")))
            return
        count = len(self._match_rows)
        self._match_index = (self._match_index + step) % count
        self._scroll_to_row(self._match_rows[self._match_index])
        self.post_message(Flash(_("Match {n} of {count}").format(n=self._match_index + 1, count=count)))

    def action_next_match(self) -> None:
        self._jump(1)

    def action_previous_match(self) -> None:
        self._jump(-1)
