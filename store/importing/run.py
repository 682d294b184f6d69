"""An import from start to end: prepare sources (on every core when there
are many), write them in short transactions, report each file's outcome.

Commits come at least every ``COMMIT_EVERY_ARTICLES`` articles or
``COMMIT_EVERY_SECONDS``, so other programs never wait long for the library.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator

from store.db.articles import utc_now
from store.db.connection import translate_errors, write_transaction
from store.db.pool import Pool
from store.errors import LibraryError
from store.importing.parallel import prepare_in_parallel
from store.importing.prepare import prepare
from store.importing.writer import Prepared, Writer
from store.models import ImportReport
from store.sources.files import SourceFile

#: Imports commit at least this often, so other writers never wait long.
COMMIT_EVERY_ARTICLES = 500
COMMIT_EVERY_SECONDS = 0.5
#: An import that adds this many articles merges the index when it is done.
OPTIMIZE_AFTER = 2000
#: Below this many files an import runs in-process (worker processes cost ~100 ms).
PARALLEL_THRESHOLD = 64

ImportProgress = Callable[[int, int], None]


def run_import(
    pool: Pool,
    writer: Writer,
    sources: Iterable[SourceFile],
    *,
    max_bytes: int,
    report: ImportReport | None = None,
    progress: ImportProgress | None = None,
    workers: int | None = None,
) -> ImportReport:
    """Import ``sources``: a list, or files as a walk of folders finds them
    (all are taken before the first article is written: the total is known)."""
    report = report if report is not None else ImportReport()
    pool.check_writable()
    sources = _Counted(sources)
    big = len(sources.head) >= PARALLEL_THRESHOLD
    known: frozenset[str] = frozenset()
    keys: set[str] | None = None
    if big:
        # Knowing what is stored already spares parsing unchanged files, and a
        # lookup per new article.
        with pool.read() as conn:
            known = frozenset(row[0] for row in conn.execute("SELECT content_hash FROM articles"))
            keys = {row[0] for row in conn.execute("SELECT source_key FROM articles")}
    results = _prepared(sources, known, workers, max_bytes)
    done = 0
    batch: list[Prepared] = []
    started = time.monotonic()
    with pool.connection() as conn, _fewer_checkpoints(conn, pool, big), _merges_in_steps(conn, pool, big):
        for result in results:
            if not batch:
                started = time.monotonic()
            batch.append(result)
            done += 1
            if len(batch) >= COMMIT_EVERY_ARTICLES or time.monotonic() - started >= COMMIT_EVERY_SECONDS:
                _commit(conn, pool, writer, batch, keys, report)
                if progress:
                    progress(done, sources.taken)
        if batch:
            _commit(conn, pool, writer, batch, keys, report)
        if big and report.count("added") + report.count("updated") >= OPTIMIZE_AFTER:
            # Many new index segments: merge them into one (seconds for
            # 100,000 articles) so that every later query probes one.
            with write_transaction(conn, pool.path):
                conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
    if progress:
        progress(done, sources.taken)
    return report


class _Counted:
    """Sources counted as they are taken; the first few at once, to tell a big import."""

    def __init__(self, sources: Iterable[SourceFile]) -> None:
        self._rest = iter(sources)
        self.head = list(itertools.islice(self._rest, PARALLEL_THRESHOLD))
        self.taken = len(self.head)

    def __iter__(self) -> Iterator[SourceFile]:
        yield from self.head
        for source in self._rest:
            self.taken += 1
            yield source


def _commit(
    conn: sqlite3.Connection,
    pool: Pool,
    writer: Writer,
    batch: list[Prepared],
    keys: set[str] | None,
    report: ImportReport,
) -> None:
    with write_transaction(conn, pool.path):
        report.outcomes.extend(writer.store_batch(conn, batch, utc_now(), keys))
    batch.clear()


@contextlib.contextmanager
def _fewer_checkpoints(conn: sqlite3.Connection, pool: Pool, big: bool) -> Iterator[None]:
    """For a big import, fewer WAL checkpoints.

    Checkpointing copies the log into the database: every 1000 pages (the
    default) it costs a fifth of a big import. Every 10000 pages instead,
    and once at the end, while other programs keep reading and writing.
    """
    if not big:
        yield
        return
    with translate_errors(pool.path):
        conn.execute("PRAGMA wal_autocheckpoint = 10000")
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


#: FTS5 merges a level's segments at once when it holds this many (its default).
CRISIS_MERGE = 16
#: During a big import: so many that the index's merging goes in steps instead.
BULK_CRISIS_MERGE = 64


@contextlib.contextmanager
def _merges_in_steps(conn: sqlite3.Connection, pool: Pool, big: bool) -> Iterator[None]:
    """For a big import, the index's segments merged a little at every commit.

    Left to itself, FTS5 merged sixteen segments at once every 36 commits of a
    100,000-article import: a commit of over a second, in which the workers,
    their results unread, stood idle. With the limit raised, its automatic
    merging (from 16 segments a level) does that work in steps instead.
    """
    if not big:
        yield
        return
    with write_transaction(conn, pool.path):
        _set_crisis_merge(conn, BULK_CRISIS_MERGE)
    try:
        yield
    finally:
        # (Left at 64 if this fails: harmless, merging still goes on in steps.)
        with contextlib.suppress(sqlite3.Error, LibraryError), write_transaction(conn, pool.path):
            _set_crisis_merge(conn, CRISIS_MERGE)


def _set_crisis_merge(conn: sqlite3.Connection, segments: int) -> None:
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', ?)", (segments,))


def _prepared(
    sources: _Counted, known: frozenset[str], workers: int | None, max_bytes: int
) -> Iterator[Prepared]:
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if workers <= 1 or len(sources.head) < PARALLEL_THRESHOLD:
        for source in list(sources):  # all taken first, as in parallel: the total is known
            yield prepare(source, max_bytes, known)
        return
    yield from prepare_in_parallel(sources, workers, max_bytes, known)
