"""The ``f`` screen: the subscriptions with their unread counts, and "all".

Choosing a line filters the article list to that feed (or shows every
article again). A feed whose last refresh failed shows why, on a second
line. ``R`` refreshes every feed from here too; the counts follow the
refresh as each feed lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from reader import dates
from reader.i18n import _, digits, grouped
from reader.layout import RenderMode, layout_line
from reader.widgets.footer import chrome
from store.errors import ReaderError

if TYPE_CHECKING:
    from store.library import Library
    from store.web.subscriptions import Feed

#: The option ID of "every article".
ALL = "all"
NAME_CELLS = 40


@dataclass
class FeedsLoaded(Message):
    feeds: list[Feed]
    total: int
    unread: int
    error: str | None = None


class FeedsScreen(ModalScreen[int | bool | None]):
    """Dismissed with a feed ID, None for "all", or False when closed without a choice."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("f", "close", show=False),
        Binding("q", "close", show=False),
        Binding("R", "app.refresh_feeds", "Refresh feeds"),
    ]

    DEFAULT_CSS = """
    FeedsScreen { align: center middle; }
    FeedsScreen > Vertical {
        width: 76; max-width: 96%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FeedsScreen #feeds-list { height: auto; max-height: 30; border: none; }
    FeedsScreen #feeds-hint { color: $text-muted; }
    """

    def __init__(self, library: Library, *, current: int | None, mode: RenderMode = RenderMode.APP) -> None:
        super().__init__()
        self.library = library
        self.current = current
        self.mode = mode
        self.feeds: list[Feed] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = chrome(_("Feeds"), self.mode)
            yield OptionList(id="feeds-list")
            yield Static(
                chrome(_("enter shows a feed · R refreshes all · escape closes"), self.mode),
                id="feeds-hint",
                markup=False,
            )

    @property
    def options(self) -> OptionList:
        return self.query_one("#feeds-list", OptionList)

    def on_mount(self) -> None:
        self.options.focus()
        self.reload()

    @work(thread=True, exclusive=True, group="feeds")
    def reload(self) -> None:
        try:
            feeds = self.library.feeds()
            total, unread = self.library.count(), self.library.count(unread=True)
        except ReaderError as error:
            self.post_message(FeedsLoaded([], 0, 0, str(error)))
            return
        self.post_message(FeedsLoaded(feeds, total, unread))

    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        self.feeds = message.feeds
        options = self.options
        highlighted = options.highlighted
        options.clear_options()
        options.add_option(Option(self._line(_("All articles"), message.unread, message.total), id=ALL))
        for feed in message.feeds:
            options.add_option(Option(self._feed_prompt(feed), id=str(feed.id)))
        if not message.feeds:
            options.add_option(
                Option(
                    Text(
                        chrome(
                            _("No feeds yet: reader feed add URL, or reader feed import FILE.opml"), self.mode
                        )
                    ),
                    disabled=True,
                )
            )
        if highlighted is not None and highlighted < options.option_count:
            options.highlighted = highlighted
        else:
            wanted = ALL if self.current is None else str(self.current)
            for index in range(options.option_count):
                if options.get_option_at_index(index).id == wanted:
                    options.highlighted = index
        if message.error:
            self.notify(message.error, title="Library", severity="error")

    def _line(self, name: str, unread: int, total: int) -> Text:
        counts = digits(_("{unread} unread · {total}").format(unread=grouped(unread), total=grouped(total)))
        shown = layout_line(name, NAME_CELLS, mode=self.mode).render(NAME_CELLS, align=False)
        line = Text(no_wrap=True, end="")
        line.append_text(shown)
        line.append(" " * max(1, NAME_CELLS + 1 - shown.cell_len))
        line.append(chrome(counts, self.mode), style="bold" if unread else "dim")
        return line

    def _feed_prompt(self, feed: Feed) -> Text:
        line = self._line(feed.name, feed.unread, feed.articles)
        if feed.status == "error" and feed.error:
            line.append("\n")
            when = dates.short(feed.last_refresh)
            reason = layout_line(feed.error, 66, mode=self.mode).render(66, align=False)
            line.append("  ⚠ ", style="bold red")
            line.append_text(reason.copy())
            line.stylize("red", len(line.plain) - reason.cell_len)
            if when:
                line.append(f" ({when})", style="dim")
        elif feed.status == "never":
            line.append("\n  " + chrome(_("not refreshed yet"), self.mode), style="dim")
        return line

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(None if choice == ALL else int(choice or 0))

    def action_close(self) -> None:
        self.dismiss(False)
