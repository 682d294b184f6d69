"""The ``?`` screen: every key, and the search syntax with Arabic examples."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from reader.i18n import N_, _, is_rtl
from reader.layout import Line, RenderMode, layout_paragraph, paragraph_is_rtl, visual

#: The key column's width, and the gap between it and the descriptions.
KEY_CELLS = 24
GAP = 2

#: (key, description); a row with no description is a heading. Keys stay keys.
KEYS = [
    (N_("Moving"), ""),
    ("j / k, ↓ / ↑", N_("move in the list; scroll the article by a line")),
    ("g / G, home / end", N_("first / last article; top / end of the article")),
    ("space, pagedown / pageup", N_("scroll the article by a page")),
    ("enter", N_("open the article (or the search result); below 120 columns it fills the window")),
    ("tab / shift+tab", N_("next / previous pane")),
    ("n / p", N_("next / previous article")),
    (
        "escape",
        N_("leave the search; back from the article to the list, or to the search results it came from"),
    ),
    (N_("Library"), ""),
    ("b", N_("bookmark the current article (or remove its bookmark)")),
    ("B", N_("show bookmarks only (again: all articles)")),
    ("u", N_("mark the current article unread (again: read)")),
    ("d", N_("delete the current article, after asking (twice when it is bookmarked)")),
    ("r", N_("reload the list (new articles from another import)")),
    ("A", N_("mark every article the list shows as read")),
    (N_("Feeds"), ""),
    ("f", N_("the feeds, with unread counts and errors; enter lists one")),
    ("R", N_("refresh every feed; new articles appear as they land")),
    ("o", N_("open the article's page in the browser")),
    ("y", N_("send the article's text to the terminal's clipboard")),
    (N_("Search"), ""),
    ("/", N_("search; results update as you type, ↓ ↑ choose, enter opens")),
    ("] / [", N_("next / previous match in the open article")),
    (N_("Display"), ""),
    ("m", N_("rendering mode: app → terminal → plain")),
    ("ctrl+p", N_("command palette: every action by name")),
    ("?", N_("this help")),
    ("q", N_("quit")),
]

#: (query, description): the queries are search syntax and stay as they are.
SEARCH_EXAMPLES = [
    ("بوتين شي", N_("both words, in any form: وبوتين، الصيني")),
    ('"مجلس الأمن"', N_("the exact phrase")),
    ("زيلين*", N_("words starting with زيلين")),
    ("-ترامب", N_("without a word (also: NOT ترامب)")),
    ("كييف OR موسكو", N_("either word")),
    ("title:كورسك", N_("in titles only")),
    ("is:bookmarked is:unread site:NAME", N_("filters")),
    ("feed:NAME after:2026-11-01 before:2026-12-01", N_("by feed and by date (published, else imported)")),
]


class HelpRow(Widget):
    """A key (or a query) and what it does, in two columns.

    Both columns are laid out by :mod:`reader.layout` (Arabic joined and in
    reading order) and wrap inside their column: a long description hangs
    under its first line, a long query wraps inside the key column. In an
    Arabic interface the key column is on the right.
    """

    COMPONENT_CLASSES = {"help-row--key"}

    DEFAULT_CSS = """
    HelpRow { height: auto; }
    HelpRow > .help-row--key { text-style: bold; }
    """

    def __init__(self, key: str, description: str, *, mode: RenderMode) -> None:
        super().__init__()
        self.key = key
        self.description = description
        self.mode = mode

    @staticmethod
    def columns(width: int) -> tuple[int, int]:
        """Cells of the key column and of the description column in ``width``."""
        key_cells = min(KEY_CELLS, max(8, width // 3))
        return key_cells, max(1, width - key_cells - GAP)

    def lines(self, width: int) -> list[Text]:
        key_cells, text_cells = self.columns(width)
        rtl = is_rtl()
        key_lines = layout_paragraph(self.key, key_cells, mode=self.mode)
        description_rtl = paragraph_is_rtl(self.description, default_rtl=rtl)
        text_lines = layout_paragraph(self.description, text_cells, mode=self.mode, rtl=description_rtl)
        key_style = self.get_component_rich_style("help-row--key") if self.is_mounted else Style(bold=True)
        rows = []
        for index in range(max(len(key_lines), len(text_lines), 1)):
            key = self._cell(key_lines, index, key_cells, key_style, end_aligned=rtl)
            description_end = description_rtl and self.mode is RenderMode.APP
            text = self._cell(text_lines, index, text_cells, Style(), end_aligned=description_end)
            row = Text(no_wrap=True, overflow="crop", end="")
            row.append_text(text if rtl else key)
            row.append(" " * GAP)
            row.append_text(key if rtl else text)
            row.rstrip()
            rows.append(row)
        return rows

    @staticmethod
    def _cell(lines: tuple[Line, ...], index: int, cells: int, style: Style, *, end_aligned: bool) -> Text:
        """Line ``index`` of a column, ``cells`` wide, against the column's start or its end."""
        if index >= len(lines):
            return Text(" " * cells, end="")
        line = lines[index]
        pad = max(0, cells - line.cells) if end_aligned else 0
        text = Text(" " * pad, end="")
        text.append(line.text, style)
        text.truncate(cells, pad=True)
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        text = Text("\n", no_wrap=True, overflow="crop", end="").join(self.lines(self.size.width))
        text.no_wrap = True
        return text


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
    HelpScreen.-rtl .heading { text-align: right; }
    """

    def __init__(self, mode: RenderMode = RenderMode.APP) -> None:
        super().__init__()
        self.mode = mode

    def _label(self, text: str) -> str:
        return visual(text, rtl=is_rtl(), mode=self.mode) if self.mode is RenderMode.APP else text

    def compose(self) -> ComposeResult:
        self.set_class(is_rtl(), "-rtl")
        with VerticalScroll():
            for key, description in KEYS:
                if not description:
                    yield Static(self._label(_(key)), classes="heading", markup=False)
                else:
                    yield HelpRow(key, _(description), mode=self.mode)
            yield Static(self._label(_("Search syntax")), classes="heading", markup=False)
            for query, description in SEARCH_EXAMPLES:
                yield HelpRow(query, _(description), mode=self.mode)
            yield Static(self._label(_("escape closes")), classes="heading", markup=False)
