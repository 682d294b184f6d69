"""The status line: what the list shows, the rendering mode, the search."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from reader.layout import RenderMode, visual

MODE_NOTES = {
    RenderMode.APP: "shaped here",
    RenderMode.TERMINAL: "terminal does bidi",
    RenderMode.PLAIN: "as stored",
}


class StatusBar(Static):
    """One line at the bottom: "5/5 articles · ★ 1 · bidi: app (shaped here)"."""

    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    shown: reactive[int] = reactive(0)
    total: reactive[int] = reactive(0)
    bookmarks_only: reactive[bool] = reactive(False)
    mode: reactive[RenderMode] = reactive(RenderMode.APP)
    search: reactive[str] = reactive("")
    #: While a search runs, None; then how many articles it found (-1: none could).
    search_found: reactive[int | None] = reactive(None)
    loading: reactive[bool] = reactive(True)
    #: The feed the list is limited to, if any.
    feed_name: reactive[str] = reactive("")
    #: While feeds refresh: how far it got ("12/40 feeds · 5 new").
    refreshing: reactive[str] = reactive("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]  # feed names are not markup

    def render(self) -> str:
        if self.loading:
            articles = "loading…"
        else:
            what = "bookmarks" if self.bookmarks_only else "articles"
            articles = f"{self.shown}/{self.total} {what}"
            if self.feed_name:
                articles += f" in {visual(self.feed_name, mode=self.mode)}"
        parts = [articles]
        if self.refreshing:
            parts.append(self.refreshing)
        parts.append(f"bidi: {self.mode.value} ({MODE_NOTES[self.mode]})")
        if self.search:
            found = self.search_found
            if found is None:
                parts.append("searching…")
            elif found >= 0:
                parts.append(f"search: {found} found")
        parts.append("? help")
        return "  ·  ".join(parts)
