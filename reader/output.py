"""The CLI's human-readable output: laid out on a terminal, logical when piped.

On a terminal, Arabic goes through the same layout as the app (shaped,
ordered, right-aligned). Piped into a file or another program, output is
plain logical UTF-8, so it can be searched, diffed and copied.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.style import Style
from rich.text import Text

from reader import dates
from reader.i18n import _, ngettext
from reader.layout import RenderMode, layout_line, render_paragraph
from reader.terminal import EXPLICIT_BIDI, IMPLICIT_BIDI, terminal_does_bidi
from store.models import Article, ArticleSummary, SearchResults
from store.web.subscriptions import Feed

TITLE_STYLE = Style(bold=True)
META_STYLE = Style(dim=True)
HIGHLIGHT = Style(bold=True, color="yellow", reverse=True)


class Printer:
    """Writes articles, lists and search results to a stream."""

    def __init__(
        self, stream: TextIO | None = None, mode: RenderMode = RenderMode.APP, *, tty: bool | None = None
    ) -> None:
        """``tty`` lays out for the terminal even into another stream (a pager's buffer)."""
        self.stream = stream if stream is not None else sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.mode = mode
        self.width = shutil.get_terminal_size((100, 30)).columns if self.tty else 100
        self.console = Console(
            file=self.stream,
            highlight=False,
            soft_wrap=True,
            width=self.width,
            force_terminal=self.tty,
            no_color=not self.tty,
        )

    # -- helpers ---------------------------------------------------------

    def _line(self, text: str | Text = "") -> None:
        if isinstance(text, Text):
            self.console.print(text)
        else:
            self.stream.write(text + "\n")

    def _paragraph(self, text: str, *, style: Style | str = "", highlights=(), indent: int = 0) -> None:
        width = max(10, self.width - indent)
        for line in render_paragraph(
            text, width, mode=self.mode, highlights=highlights, style=style, highlight_style=HIGHLIGHT
        ):
            self._line(Text(" " * indent) + line if indent else line)

    def begin(self) -> None:
        """Ask a bidi-capable terminal not to reorder what the app already ordered."""
        if self.tty and self.mode is RenderMode.APP and terminal_does_bidi():
            self.stream.write(EXPLICIT_BIDI)

    def end(self) -> None:
        if self.tty and self.mode is RenderMode.APP and terminal_does_bidi():
            self.stream.write(IMPLICIT_BIDI)
        self.stream.flush()

    # -- articles --------------------------------------------------------

    def article(self, article: Article, highlights: dict[int, list[tuple[int, int]]] | None = None) -> None:
        byline = " · ".join(
            x for x in (article.dateline, *article.credits, article.author, article.site) if x
        )
        meta = article_meta(article)
        if not self.tty:
            # Logical order: title, byline, the facts line, the paragraphs, the link.
            head = [article.title, *([byline] if byline else []), meta]
            tail = [article.url] if article.url else []
            self.stream.write("\n\n".join([*head, *article.paragraphs, *tail]) + "\n")
            return
        self.begin()
        self._paragraph(article.title, style=TITLE_STYLE)
        if byline:
            self._paragraph(byline, style=META_STYLE)
        self._line(Text(meta, style=META_STYLE))
        if article.url:
            self._line(Text(article.url, style=META_STYLE))
        for index, paragraph in enumerate(article.paragraphs):
            self._line()
            self._paragraph(paragraph, highlights=(highlights or {}).get(index, ()))
        self.end()

    def summaries(self, rows: Iterable[ArticleSummary]) -> None:
        rows = list(rows)
        if not self.tty:
            for row in rows:
                flags = ("bookmarked " if row.bookmarked else "") + ("read" if row.read else "unread")
                fields = [
                    str(row.id),
                    row.title,
                    row.source,
                    f"{row.reading_minutes} min",
                    flags.strip(),
                    row.published_at or "",
                ]
                self.stream.write("\t".join(fields) + "\n")
            return
        self.begin()
        id_width = max((len(str(row.id)) for row in rows), default=1)
        for row in rows:
            mark = ("★" if row.bookmarked else " ") + ("●" if not row.read else " ")
            minutes = _("{minutes} min").format(minutes=f"{row.reading_minutes:>3}")
            meta = f"{dates.short(row.when):>8} {row.source[:16]:<16} {minutes}"
            head = f"{row.id:>{id_width}} {mark} {meta}  "
            title_width = max(10, self.width - len(head))
            # Unread titles stand out (bold), as in the app.
            title = layout_line(row.title, title_width, mode=self.mode).render(
                title_width, style=TITLE_STYLE if not row.read else "", align=self.mode is RenderMode.APP
            )
            line = Text()
            line.append(head, style=META_STYLE)
            line.append_text(title)
            self._line(line)
        self.end()

    def feeds(self, feeds: Iterable[Feed]) -> None:
        feeds = list(feeds)
        if not self.tty:
            for feed in feeds:
                fields = [
                    str(feed.id),
                    feed.name,
                    feed.url,
                    feed.status,
                    str(feed.unread),
                    str(feed.articles),
                ]
                self.stream.write("\t".join(fields) + "\n")
            return
        self.begin()
        id_width = max(len(str(feed.id)) for feed in feeds)
        for feed in feeds:
            mark = {"ok": "✓", "error": "✗"}.get(feed.status, "·")
            counts = f"{feed.unread:>4}/{feed.articles:<4}"
            when = dates.short(feed.last_refresh) or _("never")
            head = f"{feed.id:>{id_width}} {mark} {counts} {when:>11}  "
            name_width = max(10, min(40, self.width - len(head)))
            name = layout_line(feed.name, name_width, mode=self.mode).render(
                name_width, align=self.mode is RenderMode.APP
            )
            line = Text()
            line.append(head, style=META_STYLE)
            line.append_text(name)
            self._line(line)
            detail = feed.error if feed.status == "error" and feed.error else feed.url
            self._line(
                Text(" " * (id_width + 3) + detail, style=META_STYLE if feed.status != "error" else "red")
            )
        self.end()

    def search_results(self, results: SearchResults) -> None:
        if not self.tty:
            for hit in results.hits:
                self.stream.write(f"{hit.id}\t{hit.score}\t{hit.title}\n\t{hit.snippet}\n")
            return
        self.begin()
        for index, hit in enumerate(results.hits):
            if index:
                self._line()
            head = f"{hit.id:>5}  "
            title_width = max(10, self.width - len(head))
            title = layout_line(
                hit.title, title_width, mode=self.mode, highlights=hit.title_highlights
            ).render(
                title_width, style=TITLE_STYLE, highlight_style=HIGHLIGHT, align=self.mode is RenderMode.APP
            )
            line = Text()
            line.append(head, style=META_STYLE)
            line.append_text(title)
            self._line(line)
            if hit.snippet:
                self._paragraph(hit.snippet, highlights=hit.highlights, indent=len(head))
        self.end()


def article_meta(article: Article) -> str:
    """One line of facts about an article: ID, time to read, length, date, feed, bookmark."""
    parts = [
        f"#{article.id}",
        _("{minutes} min read").format(minutes=article.reading_minutes),
        ngettext("{count} word", "{count} words", article.word_count).format(count=article.word_count),
    ]
    if article.published_at:
        parts.append(dates.full(article.published_at))
    if article.feed_name:
        parts.append(article.feed_name)
    if article.bookmarked:
        parts.append(_("★ bookmarked"))
    return " · ".join(parts)
