"""The search pane: a field and live results, updated as the user types.

Each keystroke bumps a generation number and (after a short debounce)
starts an ``exclusive`` thread worker, which cancels the previous one. The
worker first posts the newest matching articles (fast, even for a word in
half the library), then the ranked results. A result is only shown if its
generation is still the current one, so stale results never flash up.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.i18n import N_, _
from reader.layout import RenderMode
from reader.messages import Flash, OpenArticle, SearchFinished
from reader.widgets.search_input import SearchInput
from reader.widgets.search_results import SearchResultsList
from store.errors import QueryError, ReaderError
from store.library import Library

DEBOUNCE_SECONDS = 0.12
QUICK_LIMIT = 30
RANKED_LIMIT = 50
#: Hits a results pane shows at once: the quick answer has snippets for these.
VISIBLE_HITS = 12
#: Each Arabic example stands between English words, so it reads the same in
#: the app's layout and in a terminal that orders text itself (neutral marks
#: such as * or - next to Arabic would move to its other side).
PLACEHOLDER = N_('search, e.g. بوتين or "مجلس الأمن" or title:كورسك')


class SearchPane(Vertical):
    """Search field above its results."""

    BINDINGS = [
        Binding("down", "result_down", "Next result", show=False),
        Binding("up", "result_up", "Previous result", show=False),
        Binding("escape", "leave", "Leave search"),
    ]

    mode: reactive[RenderMode] = reactive(RenderMode.APP, init=False)

    class Left(Message):
        """The user left the search field (escape)."""

    class QueryChanged(Message):
        def __init__(self, query: str) -> None:
            super().__init__()
            self.search_query = query

    class Answered(Message):
        """The ranked answer to the current text is on screen."""

        def __init__(self, total: int | None) -> None:
            super().__init__()
            self.total = total  #: None when the query could not run

    def __init__(self, library: Library, *, mode: RenderMode = RenderMode.APP, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.library = library
        self.set_reactive(SearchPane.mode, mode)
        self.generation = 0
        self.search_query = ""
        self._timer: Timer | None = None
        #: The generation whose answer the results show.
        self._shown = 0
        #: The generation whose first result opens when its answer comes (enter
        #: pressed before it did).
        self._open_on_answer: int | None = None

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=_(PLACEHOLDER), id="search-input")
        yield SearchResultsList(mode=self.mode, id="search-results")

    @property
    def input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def results(self) -> SearchResultsList:
        return self.query_one(SearchResultsList)

    def watch_mode(self, mode: RenderMode) -> None:
        if self.is_mounted:
            self.input.mode = mode
            self.results.mode = mode

    def on_mount(self) -> None:
        self.input.mode = self.mode

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search_query = event.value.strip()
        self.generation += 1
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.set_class(bool(self.search_query), "-active")
        self.post_message(self.QueryChanged(self.search_query))
        if not self.search_query:
            self.workers.cancel_group(self, "search")
            self.results.clear()
            return
        generation, query = self.generation, self.search_query
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self._search(generation, query))

    @work(thread=True, exclusive=True, group="search")
    def _search(self, generation: int, query: str) -> None:
        worker = get_current_worker()
        try:
            quick = self.library.search(
                query, limit=QUICK_LIMIT, recent_first=True, with_total=False, snippet_rows=VISIBLE_HITS
            )
            if worker.is_cancelled:
                return
            self.post_message(SearchFinished(generation, quick, final=False))
            ranked = self.library.search(query, limit=RANKED_LIMIT)
        except QueryError as error:
            self.post_message(SearchFinished(generation, None, final=True, error=str(error)))
            return
        except ReaderError as error:
            message = _("error: {error}").format(error=error)
            self.post_message(SearchFinished(generation, None, final=True, error=message))
            return
        if not worker.is_cancelled:
            self.post_message(SearchFinished(generation, ranked, final=True))

    def on_search_finished(self, message: SearchFinished) -> None:
        message.stop()
        if message.generation != self.generation:
            return  # the user has typed on since: this answer is stale
        self.results.show_results(
            self.search_query, message.results, final=message.final, error=message.error
        )
        self._shown = message.generation
        if message.final:
            self.post_message(self.Answered(message.results.total if message.results else None))
            if self._open_on_answer == message.generation:
                self._open_on_answer = None
                self._open_current()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.search_query and self._shown != self.generation:
            # Enter typed before the answer came: the results on screen are an
            # older query's. The best result opens when the answer comes.
            self._open_on_answer = self.generation
            return
        self._open_current()

    def _open_current(self) -> None:
        hit = self.results.current
        if hit is not None:
            self.post_message(OpenArticle(hit.id, self.search_query))
        elif self.search_query:
            self.post_message(Flash(_("No result to open")))

    def action_result_down(self) -> None:
        self.results.move(1)

    def action_result_up(self) -> None:
        self.results.move(-1)

    def action_leave(self) -> None:
        self.post_message(self.Left())

    def search_again(self) -> None:
        """Run the current query again (the library changed under its results)."""
        if not self.search_query:
            return
        self.generation += 1
        self._search(self.generation, self.search_query)

    def focus_input(self) -> None:
        self.input.focus()

    def focus_results(self) -> None:
        """Back to the results (from an article opened there); the field if there are none."""
        if self.results.hits:
            self.results.focus()
        else:
            self.input.focus()

    def set_query(self, query: str) -> None:
        self.input.value = query
        self.input.cursor_position = len(query)
