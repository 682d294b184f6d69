"""The status line: what the list shows, the rendering mode, the search."""

from __future__ import annotations

from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static

from reader.i18n import N_, _, digits, grouped, ngettext
from reader.layout import RenderMode
from reader.widgets.footer import chrome

#: The rendering modes as the interface names them (the option values stay app, terminal, plain).
MODE_NAMES = {
    RenderMode.APP: N_("app"),
    RenderMode.TERMINAL: N_("terminal"),
    RenderMode.PLAIN: N_("plain"),
}

MODE_NOTES = {
    RenderMode.APP: N_("shaped here"),
    RenderMode.TERMINAL: N_("terminal does bidi"),
    RenderMode.PLAIN: N_("as stored"),
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
    #: Until the list's count comes. (Not Textual's ``loading``, which covers the widget with an indicator.)
    counting: reactive[bool] = reactive(True)
    #: The feed the list is limited to, if any.
    feed_name: reactive[str] = reactive("")
    #: While feeds refresh: how far it got ("12/40 feeds · 5 new").
    refreshing: reactive[str] = reactive("")
    #: A short confirmation shown first for a few seconds ("Match 5 of 7", "Bookmarked: #4").
    flash: reactive[str] = reactive("")

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]  # feed names are not markup
        self._flash_timer: Timer | None = None

    def say(self, text: str, seconds: float = 3.0) -> None:
        """Show ``text`` at the start of the line for ``seconds`` (no notification covers the screen)."""
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self.flash = text
        self._flash_timer = self.set_timer(seconds, self._end_flash)

    def _end_flash(self) -> None:
        self.flash = ""
        self._flash_timer = None

    def render(self) -> str:
        if self.counting:
            articles = _("loading…")
        elif self.feed_name and self.bookmarks_only:
            articles = _("{shown}/{total} bookmarks in {feed}")
        elif self.feed_name:
            articles = _("{shown}/{total} articles in {feed}")
        elif self.bookmarks_only:
            articles = _("{shown}/{total} bookmarks")
        else:
            articles = _("{shown}/{total} articles")
        parts = [articles.format(shown=grouped(self.shown), total=grouped(self.total), feed=self.feed_name)]
        if self.flash:
            parts.insert(0, self.flash)
        if self.refreshing:
            parts.append(self.refreshing)
        note = _(MODE_NOTES[self.mode])
        parts.append(_("bidi: {mode} ({note})").format(mode=_(MODE_NAMES[self.mode]), note=note))
        if self.search:
            found = self.search_found
            if found is None:
                parts.append(_("searching…"))
            elif found >= 0:
                found_text = ngettext("search: {n} found", "search: {n} found", found)
                parts.append(found_text.format(n=grouped(found)))
        parts.append(_("? help"))
        return chrome(digits("  ·  ".join(parts)), self.mode)
