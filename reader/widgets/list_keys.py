"""The keys of a list the user moves through: the article list and the search results.

A widget that uses them implements the actions ``open``, ``cursor_down``,
``cursor_up``, ``page_down``, ``page_up``, ``first`` and ``last``.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

LIST_BINDINGS: list[BindingType] = [
    Binding("enter", "open", "Open"),
    Binding("down", "cursor_down", "Down", show=False),
    Binding("up", "cursor_up", "Up", show=False),
    Binding("j", "cursor_down", show=False),
    Binding("k", "cursor_up", show=False),
    Binding("pagedown", "page_down", show=False),
    Binding("pageup", "page_up", show=False),
    Binding("home", "first", show=False),
    Binding("end", "last", show=False),
    Binding("g", "first", show=False),
    Binding("G", "last", show=False),
]
