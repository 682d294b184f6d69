"""A bare Textual app, the yardstick of the reader's start: one screen of
shaped Arabic in a ``Static``, and a ``Footer``.

    python -m bench.bare_app TEXT_FILE

The text comes already shaped and in visual order (bench/speed.py lays it
out with the reader's own layout), so this app does only what Textual
does to show a screen.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class BareApp(App[None]):
    CSS = "Static { height: 1fr; }"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(self.text, markup=False)
        yield Footer()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        BareApp(handle.read()).run()
