"""Refreshing feeds: fetch them all at once, turn new entries into articles.

One event loop fetches every feed concurrently (the fetcher bounds requests
overall and per host, and puts a deadline on each). A feed's new or changed
entries become articles: when the feed carries only teasers (or is set to
full text), each entry's page is fetched and its main text extracted in
worker processes, every core busy; otherwise the feed's own text is the
article. Each feed's articles are written in one short transaction by one
writer thread, so they appear in the library (and the app) as each feed
lands. A feed that fails gets its reason, and every other feed's articles
still land.

Nothing is fetched twice for nothing: a feed is asked with its ETag and
Last-Modified (a 304 is a success with nothing new; once a day the question
is asked without them, as some servers misuse them), an unchanged entry is
recognised by its fingerprint, and a story already in the library (the same
link, or the same text through another feed) is linked, not stored again. A
page that could not be fetched leaves the feed's text in place and is tried
again on the next refresh.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from store.db.articles import utc_now
from store.importing.parallel import WorkerPool
from store.importing.prepare import PreparedArticle, PrepareFailure
from store.importing.writer import write_stem_pairs
from store.web.pages import PageTask, prepare_page, source_key
from store.web.subscriptions import Feed, get

if TYPE_CHECKING:
    from store.library import Library
    from store.web.feeds import Entry, ParsedFeed
    from store.web.fetch import Fetcher, FetchResult

#: A feed is asked without its validators when its content was last fetched longer ago than this.
UNCONDITIONAL_AFTER = timedelta(hours=24)
#: Pages fetched but not yet extracted, per worker (bounds memory).
PAGES_IN_FLIGHT_PER_WORKER = 8
#: Feeds fetched and parsed at once (their pages are fetched after): the first
#: feeds' pages are not queued behind every other feed, so extraction starts early.
FEEDS_AT_ONCE = 32
#: What a worker imports as it starts, before its first page.
_WORKER_PRELOAD = ("store.web.feeds", "store.web.pages", "store.web.extract", "trafilatura", "readability")
#: Entries of a feed fewer than this with full text: the feed is taken as teasers only.
_FULL_TEXT_SHARE = 0.5


@dataclass
class FeedOutcome:
    id: int
    url: str
    name: str
    status: str = "ok"  # "ok" | "error"
    error: str | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: bool = False
    warning: str | None = None
    pages_failed: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "status": self.status,
            "error": self.error,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_modified": self.not_modified,
        }


@dataclass
class RefreshReport:
    feeds: list[FeedOutcome] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.feeds)

    @property
    def failed(self) -> int:
        return sum(1 for f in self.feeds if f.status == "error")

    def to_json(self) -> dict[str, Any]:
        return {
            "feeds": [f.to_json() for f in self.feeds],
            "new": self.new,
            "updated": self.updated,
            "failed": self.failed,
        }


@dataclass
class RefreshState:
    """Where a refresh stands, for a progress display."""

    feeds_total: int = 0
    feeds_done: int = 0
    pages_total: int = 0
    pages_done: int = 0
    errors: int = 0
    new: int = 0
    updated: int = 0
    #: The feed that just finished (None for other steps).
    finished: FeedOutcome | None = None


RefreshProgress = Callable[[RefreshState], None]


def refresh(
    library: Library,
    feed_ids: list[int] | None,
    *,
    progress: RefreshProgress | None = None,
    workers: int | None = None,
    cancel: threading.Event | None = None,
) -> RefreshReport:
    """Refresh the feeds (all when ``feed_ids`` is None). Never raises for what a server does.

    Setting ``cancel`` stops it soon: feeds not finished by then are reported as
    stopped (what they wrote already stays; each write is one transaction).
    """
    library.pool.check_writable()
    with library.pool.read() as conn:
        if feed_ids is None:
            feed_ids = [row[0] for row in conn.execute("SELECT id FROM feeds ORDER BY id")]
        feeds = [get(conn, feed_id) for feed_id in feed_ids]
    run = _Refresh(library, feeds, progress, workers or os.cpu_count() or 1)
    run.cancel = cancel
    try:
        return asyncio.run(run.all())
    finally:
        run.close()


class _Refresh:
    def __init__(
        self, library: Library, feeds: list[Feed], progress: RefreshProgress | None, workers: int
    ) -> None:
        self.library = library
        self.feeds = feeds
        self.progress = progress
        self.workers = workers
        self.state = RefreshState(feeds_total=len(feeds))
        self.db = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-writer")
        self._pool: WorkerPool | None = None
        self._pool_lock = threading.Lock()
        self.slots: asyncio.Semaphore | None = None
        self.feed_slots: asyncio.Semaphore | None = None
        self.cancel: threading.Event | None = None

    def close(self) -> None:
        self.db.shutdown(wait=True)
        if self._pool is not None:
            self._pool.close()

    def pool(self) -> WorkerPool:
        """Worker processes, started when the first entry needs one."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = WorkerPool(self.workers, {"preload": _WORKER_PRELOAD})
            return self._pool

    def tell(self, finished: FeedOutcome | None = None) -> None:
        if self.progress is not None:
            self.state.finished = finished
            self.progress(self.state)

    async def all(self) -> RefreshReport:
        from store.web.fetch import Fetcher, FetchLimits

        self.slots = asyncio.Semaphore(self.workers * PAGES_IN_FLIGHT_PER_WORKER)
        self.feed_slots = asyncio.Semaphore(FEEDS_AT_ONCE)
        self.tell()
        if any(feed.last_success is None and feed.full_text is not False for feed in self.feeds):
            # A feed never read has stories to extract, as a rule: the workers load
            # their modules while the feeds are fetched, not after.
            self.pool()
        async with Fetcher(FetchLimits.from_env()) as fetcher:
            tasks = [asyncio.create_task(self.one(fetcher, feed)) for feed in self.feeds]
            if self.cancel is not None:
                await self._until_done_or_cancelled(tasks, self.cancel)
            results = await asyncio.gather(*tasks, return_exceptions=True)
        outcomes = []
        for feed, result in zip(self.feeds, results, strict=True):
            if isinstance(result, FeedOutcome):
                outcomes.append(result)
            else:
                outcomes.append(
                    FeedOutcome(feed.id, feed.url, feed.name, "error", "stopped before it finished")
                )
        return RefreshReport(outcomes)

    @staticmethod
    async def _until_done_or_cancelled(
        tasks: list[asyncio.Task[FeedOutcome]], cancel: threading.Event
    ) -> None:
        pending: set[asyncio.Task[FeedOutcome]] = set(tasks)
        while pending and not cancel.is_set():
            _, pending = await asyncio.wait(pending, timeout=0.1)
        for task in pending:
            task.cancel()

    async def write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``work`` in one write transaction, on the writer thread."""

        def run() -> Any:
            # Rolled back: the words the writer thought it had written may not be
            # there (forgotten before the next transaction can start, and after a
            # failed commit).
            try:
                with self.library.pool.write() as conn:
                    try:
                        return work(conn)
                    except BaseException:
                        self.library.writer.session_pairs.clear()
                        raise
            except BaseException:
                self.library.writer.session_pairs.clear()
                raise

        return await asyncio.get_running_loop().run_in_executor(self.db, run)

    async def one(self, fetcher: Fetcher, feed: Feed) -> FeedOutcome:
        outcome = FeedOutcome(feed.id, feed.url, feed.name)
        try:
            await self._one(fetcher, feed, outcome)
        except Exception as error:  # a bug or the library: this feed fails, the others go on
            outcome.status, outcome.error = "error", f"{type(error).__name__}: {error}"
            await self._record_failure(feed, outcome.error, None)
        if outcome.status == "error":
            self.state.errors += 1
        self.state.feeds_done += 1
        self.state.new += outcome.new
        self.state.updated += outcome.updated
        self.tell(outcome)
        return outcome

    async def _one(self, fetcher: Fetcher, feed: Feed, outcome: FeedOutcome) -> None:
        from store.web.fetch import FEED_ACCEPT

        now = datetime.now(UTC)
        if feed.retry_after and feed.retry_after > utc_now():
            outcome.status = "error"
            outcome.error = f"the server asked to wait until {_shown(feed.retry_after)}; not asked again yet"
            return
        conditional = _recent(feed, now)
        assert self.feed_slots is not None
        async with self.feed_slots:
            result = await fetcher.fetch(
                feed.url,
                etag=feed.etag if conditional else None,
                last_modified=feed.last_modified if conditional else None,
                accept=FEED_ACCEPT,
            )
            parsed = None
            if result.ok and not result.not_modified:
                parsed = await self._parse(result)
        if not result.ok:
            outcome.status, outcome.error = "error", result.error
            await self._record_failure(feed, result.error or "failed", result)
            return
        if result.not_modified:
            outcome.not_modified = True
            pending = await self.write(lambda conn: _pending_entries(conn, feed.id))
            await self._pages_again(fetcher, feed, pending, outcome)
            await self.write(lambda conn: _record_success(conn, feed, result, None, content=False))
            return
        assert parsed is not None
        if parsed.error:
            outcome.status, outcome.error = "error", parsed.error
            await self._record_failure(feed, parsed.error, result)
            return
        outcome.warning = parsed.warning
        await self._entries(fetcher, feed, parsed, outcome)
        await self.write(lambda conn: _record_success(conn, feed, result, parsed, content=True))

    async def _parse(self, result: FetchResult) -> ParsedFeed:
        """The fetched feed, parsed by a worker when they run: parsing two hundred
        feeds here would hold back the pages' fetching at the start of a refresh
        (and the workers idle). Without workers, or with one gone, parsed here."""
        from store.web.feeds import parse_feed

        body, url, headers = result.body, result.final_url, dict(result.headers)
        if self._pool is not None:
            try:
                task = self._pool.submit("feed", (body, url, headers))
                parsed: ParsedFeed = await asyncio.wrap_future(task)
                return parsed
            except Exception:  # a worker gone (or the pool closing): parsed here instead
                pass
        return await asyncio.to_thread(parse_feed, body, url=url, headers=headers)

    async def _entries(self, fetcher: Fetcher, feed: Feed, parsed: ParsedFeed, outcome: FeedOutcome) -> None:
        known = await self.write(lambda conn: _known_entries(conn, feed.id))
        deleted = await self.write(lambda conn: _deleted_entries(conn, feed.id))
        full_text = feed.full_text
        if full_text is None:
            with_text = sum(1 for entry in parsed.entries if entry.has_full_text)
            full_text = with_text < _FULL_TEXT_SHARE * max(1, len(parsed.entries))
        todo: list[Entry] = []
        links: list[tuple[Entry, int]] = []
        for entry in parsed.entries:
            seen = known.get(entry.key)
            if entry.key in deleted and seen is None:
                outcome.unchanged += 1  # the user deleted its article: it stays deleted
            elif seen is not None and seen[1] == entry.fingerprint and not seen[2]:
                outcome.unchanged += 1
            else:
                todo.append(entry)
        # Stories already in the library through another feed (the same link): linked, not fetched.
        if todo:
            found = await self.write(lambda conn: _articles_by_link(conn, todo))
            for entry in list(todo):
                if entry.key not in known and entry.url and found.get(entry.url) is not None:
                    links.append((entry, found[entry.url]))
                    todo.remove(entry)
        if links:
            await self.write(lambda conn: _link(conn, feed.id, links))
            outcome.unchanged += len(links)
        if full_text and any(entry.url for entry in todo):
            self.pool()  # the workers start now, while the pages are fetched
        results = await asyncio.gather(*(self._prepare(fetcher, entry, full_text) for entry in todo))
        if results:
            outcomes = await self.write(lambda conn: _store(self.library, conn, feed.id, known, results))
            for status in outcomes:
                if status == "added":
                    outcome.new += 1
                elif status == "updated":
                    outcome.updated += 1
                else:
                    outcome.unchanged += 1
        outcome.pages_failed = sum(1 for _, _, page_failed in results if page_failed)

    async def _pages_again(
        self, fetcher: Fetcher, feed: Feed, pending: list[tuple[str, PageTask]], outcome: FeedOutcome
    ) -> None:
        """A 304: the feed is the same, but pages that failed last time are tried again."""
        if not pending:
            return
        results = await asyncio.gather(*(self._prepare_task(fetcher, task, True) for _, task in pending))
        keyed = [(key, *result) for (key, _), result in zip(pending, results, strict=True)]
        statuses = await self.write(lambda conn: _store_pending(self.library, conn, feed.id, keyed))
        outcome.updated += sum(1 for status in statuses if status == "updated")

    async def _prepare(
        self, fetcher: Fetcher, entry: Entry, full_text: bool
    ) -> tuple[Entry, PreparedArticle | PrepareFailure, bool]:
        task = PageTask(
            title=entry.title,
            url=entry.url,
            author=entry.author,
            published_at=entry.published_at,
            text=tuple(entry.text),
            origin=entry.url or entry.key,
        )
        prepared, page_failed = await self._prepare_task(fetcher, task, full_text)
        return entry, prepared, page_failed

    async def _prepare_task(
        self, fetcher: Fetcher, task: PageTask, full_text: bool
    ) -> tuple[PreparedArticle | PrepareFailure, bool]:
        from store.web.fetch import PAGE_ACCEPT

        assert self.slots is not None
        async with self.slots:
            page_failed = False
            if full_text and task.url:
                self.state.pages_total += 1
                self.tell()
                page: FetchResult = await fetcher.fetch(task.url, accept=PAGE_ACCEPT)
                if page.ok and page.body:
                    task = PageTask(
                        **{
                            **task.__dict__,
                            "page": page.body,
                            "charset": page.charset,
                            "final_url": page.final_url,
                        }
                    )
                else:
                    page_failed = True
            wire = await self._in_worker(task)
            if full_text and task.url:
                self.state.pages_done += 1
                self.tell()
        prepared = PreparedArticle.from_wire(wire) if isinstance(wire, tuple) else wire
        return prepared, page_failed

    async def _in_worker(self, task: PageTask) -> tuple[object, ...] | PrepareFailure:
        if task.page is None:
            return prepare_page(task)  # the feed's own text: quick, no need for a worker
        try:
            future = self.pool().submit("page", task)
            result: tuple[object, ...] | PrepareFailure = await asyncio.wrap_future(future)
            return result
        except Exception as error:  # the worker died on this page: the feed's text instead
            fallback = replace(task, page=None)
            wire = prepare_page(fallback)
            if isinstance(wire, PrepareFailure):
                return PrepareFailure(wire.origin, f"{wire.reason} ({error})")
            return wire

    async def _record_failure(self, feed: Feed, error: str, result: FetchResult | None) -> None:
        await self.write(lambda conn: _record_failure(conn, feed, error, result))


def read_feed(url: str) -> tuple[ParsedFeed | None, str | None]:
    """One feed fetched and parsed now: (the feed, None) or (None, why not)."""
    from store.web.feeds import parse_feed
    from store.web.fetch import FEED_ACCEPT, FetchLimits, fetch_one

    result = fetch_one(url, limits=FetchLimits.from_env(), accept=FEED_ACCEPT)
    if not result.ok:
        return None, result.error
    parsed = parse_feed(result.body, url=result.final_url, headers=result.headers)
    if parsed.error:
        return None, parsed.error
    return parsed, None


def _recent(feed: Feed, now: datetime) -> bool:
    """Whether the feed's content was fetched recently enough to trust its validators."""
    stamp = feed.last_success
    if not stamp:
        return False
    try:
        when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return False
    return now - when < UNCONDITIONAL_AFTER


def _shown(stamp: str) -> str:
    return stamp.replace("T", " ").replace("Z", " UTC")


# -- the database side (run on the writer thread) ---------------------------------


def _known_entries(conn: sqlite3.Connection, feed_id: int) -> dict[str, tuple[int, str, bool]]:
    rows = conn.execute(
        "SELECT e.entry_key, e.article_id, e.fingerprint, a.page_pending FROM entries e "
        "JOIN articles a ON a.id = e.article_id WHERE e.feed_id = ?",
        (feed_id,),
    )
    return {row[0]: (row[1], row[2], bool(row[3])) for row in rows}


def _deleted_entries(conn: sqlite3.Connection, feed_id: int) -> set[str]:
    """Entries of the feed whose article the user deleted."""
    rows = conn.execute("SELECT entry_key FROM deleted_entries WHERE feed_id = ?", (feed_id,))
    return {row[0] for row in rows}


def _articles_by_link(conn: sqlite3.Connection, entries: list[Entry]) -> dict[str, int]:
    found: dict[str, int] = {}
    for entry in entries:
        if entry.url:
            row = conn.execute(
                "SELECT id FROM articles WHERE source_key = ? LIMIT 1", (source_key(entry.url),)
            ).fetchone()
            if row is not None:
                found[entry.url] = int(row[0])
    return found


def _link(conn: sqlite3.Connection, feed_id: int, links: list[tuple[Entry, int]]) -> None:
    for entry, article_id in links:
        conn.execute(
            "INSERT INTO entries (feed_id, entry_key, article_id, fingerprint) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(feed_id, entry_key) DO UPDATE SET article_id = excluded.article_id, "
            "fingerprint = excluded.fingerprint",
            (feed_id, entry.key, article_id, entry.fingerprint),
        )
        conn.execute(
            "UPDATE articles SET feed_id = ? WHERE id = ? AND feed_id IS NULL", (feed_id, article_id)
        )


def _store(
    library: Library,
    conn: sqlite3.Connection,
    feed_id: int,
    known: dict[str, tuple[int, str, bool]],
    results: list[tuple[Entry, PreparedArticle | PrepareFailure, bool]],
) -> list[str]:
    statuses = []
    now = utc_now()
    pending: list[str] = []
    for entry, prepared, page_failed in results:
        if isinstance(prepared, PrepareFailure):
            statuses.append("failed")
            continue
        seen = known.get(entry.key)
        if seen is not None:
            # The same entry with new content: its article is updated in place.
            conn.execute("UPDATE articles SET source_key = ? WHERE id = ?", (prepared.source_key, seen[0]))
        extra: dict[str, object] = {"page_pending": int(page_failed), "feed_id": feed_id}
        outcome = library.writer.store(conn, prepared, now, pending=pending, extra=extra)
        statuses.append(outcome.status)
        if outcome.article_id is None:
            continue
        if outcome.status != "added":
            conn.execute(
                "UPDATE articles SET page_pending = ?, feed_id = coalesce(feed_id, ?) WHERE id = ?",
                (int(page_failed), feed_id, outcome.article_id),
            )
        conn.execute(
            "INSERT INTO entries (feed_id, entry_key, article_id, fingerprint) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(feed_id, entry_key) DO UPDATE SET article_id = excluded.article_id, "
            "fingerprint = excluded.fingerprint",
            (feed_id, entry.key, outcome.article_id, entry.fingerprint),
        )
    _write_new_stem_pairs(library, conn, pending)
    return statuses


def _write_new_stem_pairs(library: Library, conn: sqlite3.Connection, pending: list[str]) -> None:
    """The feed's new words, in one sorted write, each once per session (as an import does)."""
    writer = library.writer
    new = set(pending) - writer.session_pairs
    write_stem_pairs(conn, new)
    writer.session_pairs |= new


def _pending_entries(conn: sqlite3.Connection, feed_id: int) -> list[tuple[str, PageTask]]:
    """Entries of the feed whose page is still to be fetched, as tasks."""
    rows = conn.execute(
        "SELECT e.entry_key, a.title, a.url, a.author, a.published_at, a.body FROM entries e "
        "JOIN articles a ON a.id = e.article_id WHERE e.feed_id = ? AND a.page_pending = 1",
        (feed_id,),
    ).fetchall()
    return [
        (
            row[0],
            PageTask(
                title=row[1],
                url=row[2],
                author=row[3],
                published_at=row[4],
                text=tuple(row[5].split("\n")) if row[5] else (),
                origin=row[2],
            ),
        )
        for row in rows
    ]


def _store_pending(
    library: Library,
    conn: sqlite3.Connection,
    feed_id: int,
    results: list[tuple[str, PreparedArticle | PrepareFailure, bool]],
) -> list[str]:
    statuses = []
    now = utc_now()
    pending: list[str] = []
    for key, prepared, page_failed in results:
        if isinstance(prepared, PrepareFailure) or page_failed:
            statuses.append("unchanged")
            continue
        outcome = library.writer.store(conn, prepared, now, pending=pending)
        statuses.append(outcome.status)
        if outcome.article_id is not None:
            conn.execute("UPDATE articles SET page_pending = 0 WHERE id = ?", (outcome.article_id,))
            conn.execute(
                "UPDATE entries SET article_id = ? WHERE feed_id = ? AND entry_key = ?",
                (outcome.article_id, feed_id, key),
            )
    _write_new_stem_pairs(library, conn, pending)
    return statuses


def _record_success(
    conn: sqlite3.Connection, feed: Feed, result: FetchResult, parsed: ParsedFeed | None, *, content: bool
) -> None:
    now = utc_now()
    name = feed.name
    if parsed is not None and parsed.title and not feed.named_by_user:
        name = parsed.title
    site_url = parsed.site_url if parsed is not None and parsed.site_url else feed.site_url
    url = feed.url
    if result.moved_to and result.moved_to != feed.url:
        taken = conn.execute("SELECT 1 FROM feeds WHERE url = ?", (result.moved_to,)).fetchone()
        url = feed.url if taken else result.moved_to
    conn.execute(
        "UPDATE feeds SET url = ?, name = ?, site_url = ?, etag = ?, last_modified = ?, last_refresh = ?, "
        "last_success = CASE WHEN ? THEN ? ELSE last_success END, status = 'ok', error = NULL, "
        "errors_in_a_row = 0, retry_after = NULL, warning = ? WHERE id = ?",
        (
            url,
            name,
            site_url,
            result.etag,
            result.last_modified,
            now,
            int(content),
            now,
            parsed.warning if parsed is not None else feed.warning,
            feed.id,
        ),
    )


def _record_failure(conn: sqlite3.Connection, feed: Feed, error: str, result: FetchResult | None) -> None:
    conn.execute(
        "UPDATE feeds SET last_refresh = ?, status = 'error', error = ?, "
        "errors_in_a_row = errors_in_a_row + 1, retry_after = ? WHERE id = ?",
        (utc_now(), error, result.retry_after if result is not None else None, feed.id),
    )
