"""The ``?`` screen: every key, and the search syntax with Arabic examples."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.layout import RenderMode, visual

KEYS = [
    ("Moving", ""),
    ("j / k, ↓ / ↑", "move in the list; scroll the article by a line"),
    ("g / G, home / end", "first / last article; top / end of the article"),
    ("space, pagedown / pageup", "scroll the article by a page"),
    ("enter", "open the article (or the search result)"),
    ("tab / shift+tab", "next / previous pane"),
    ("n / p", "next / previous article"),
    ("escape", "leave the search; back from the article to the list"),
    ("Library", ""),
    ("b", "bookmark the current article (or remove its bookmark)"),
    ("B", "show bookmarks only (again: all articles)"),
    ("r", "reload the list (new articles from another import)"),
    ("A", "mark every article the list shows as read"),
    ("Feeds", ""),
    ("f", "the feeds, with unread counts and errors; enter lists one"),
    ("R", "refresh every feed; new articles appear as they land"),
    ("o", "open the article's page in the browser"),
    ("y", "copy the article's text"),
    ("Search", ""),
    ("/", "search; results update as you type, ↓ ↑ choose, enter opens"),
    ("] / [", "next / previous match in the open article"),
    ("Display", ""),
    ("m", "rendering mode: app → terminal → plain"),
    ("ctrl+p", "command palette: every action by name"),
    ("?", "this help"),
    ("q", "quit"),
]

SEARCH_EXAMPLES = [
    ("بوتين شي", "both words, in any form (وبوتين، الصيني…)"),
    ('"مجلس الأمن"', "the exact phrase"),
    ("زيلين*", "words starting with زيلين"),
    ("-ترامب", "without a word (also: NOT ترامب)"),
    ("كييف OR موسكو", "either word"),
    ("title:كورسك", "in titles only"),
    ("is:bookmarked is:unread site:NAME", "filters"),
    ("feed:NAME after:2026-11-01 before:2026-12-01", "by feed and by date (published, else imported)"),
]


class HelpScreen(ModalScreen[None]):
    """Keys and search syntax."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close"),
        Binding("q", "dismiss", show=False),
        Binding("question_mark", "dismiss", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 95%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 2;
    }
    HelpScreen .heading { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, mode: RenderMode = RenderMode.APP) -> None:
        super().__init__()
        self.mode = mode

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            for key, description in KEYS:
                if not description:
                    yield Static(key, classes="heading")
                else:
                    yield Static(f"{key:<26} {description}")
            yield Static("Search syntax", classes="heading")
            for query, description in SEARCH_EXAMPLES:
                shown = visual(query, mode=self.mode)
                pad = " " * max(1, 26 - len(shown))
                yield Static(f"{shown}{pad} {description}", markup=False)
            yield Static("escape closes", classes="heading")
