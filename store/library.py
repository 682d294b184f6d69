"""The library: articles, feeds, bookmarks and search over one SQLite file.

This is the facade the CLI and the app share; the work is done by the
modules of ``store/`` (sources, text, analysis, importing, db, search, web).
It never imports a UI toolkit. Every method is safe to call from any thread:
connections come from a small pool, and writes are short ``BEGIN IMMEDIATE``
transactions, so the app and a command in another terminal can work on one
library at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from store.analysis.version import ANALYZER_VERSION
from store.db import articles as rows
from store.db import schema
from store.db.articles import Selection
from store.db.connection import get_meta, set_meta
from store.db.pool import Pool
from store.errors import QueryError
from store.models import Article, ArticleSummary, ImportOutcome, ImportReport, SearchResults

if TYPE_CHECKING:
    import threading

    from store.importing.run import ImportProgress
    from store.importing.writer import Writer
    from store.search.engine import CompiledQuery
    from store.sources.files import SourceFile
    from store.web.refresh import RefreshProgress, RefreshReport
    from store.web.subscriptions import Feed, FeedImport


def max_bytes_from_env() -> int:
    from store.text.decode import DEFAULT_MAX_BYTES  # the decoder itself is for imports

    value = os.environ.get("READER_MAX_BYTES", "")
    try:
        return int(value) if value else DEFAULT_MAX_BYTES
    except ValueError:
        return DEFAULT_MAX_BYTES


class Library:
    """One library file. Open it, use it from any thread, close it."""

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False, upgrade: bool = True) -> None:
        """Open (or create) a library. ``upgrade=False`` leaves an existing file
        exactly as it is: no migration, no index rebuild (for checks)."""
        self.path = Path(path).expanduser()
        self.readonly = readonly
        self.pool = Pool(self.path, readonly=readonly)
        self._writer: Writer | None = None
        with self.pool.connection() as conn:  # opens, checks and migrates the file now
            schema.validate(conn, self.path)
            if not readonly and upgrade:
                schema.migrate(conn, self.path)
        if not readonly and upgrade:
            self._check_analyzer_version()

    @property
    def writer(self) -> Writer:
        """Writes imported articles (made on first use: a search needs none)."""
        if self._writer is None:
            from store.importing.writer import Writer

            self._writer = Writer()
        return self._writer

    # -- the file ---------------------------------------------------------

    @property
    def damaged(self) -> bool:
        return self.pool.damaged

    def change_token(self) -> int:
        """A number that changes whenever another connection commits a write."""
        return self.pool.change_token()

    def own_files(self) -> frozenset[str]:
        """Real paths of the library file and the files SQLite keeps beside it."""
        try:
            real = str(self.path.resolve())
        except (OSError, RuntimeError):
            real = str(self.path.absolute())
        return frozenset(real + suffix for suffix in ("", "-wal", "-shm", "-journal"))

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------

    def count(self, *, bookmarked: bool = False, feed_id: int | None = None, unread: bool = False) -> int:
        with self.pool.read() as conn:
            return rows.count(conn, Selection(bookmarked, feed_id, unread))

    def is_empty(self) -> bool:
        """No article at all."""
        with self.pool.read() as conn:
            return rows.is_empty(conn)

    def count_parsed_by_older_parser(self) -> int:
        """Articles a ``reparse`` would parse with today's parser."""
        from store.text.parse import PARSER_VERSION

        with self.pool.read() as conn:
            sql = "SELECT count(*) FROM articles WHERE parser_version < ?"
            return int(conn.execute(sql, (PARSER_VERSION,)).fetchone()[0])

    def summaries_page(
        self,
        *,
        offset: int = 0,
        limit: int | None = None,
        bookmarked: bool = False,
        feed_id: int | None = None,
        unread: bool = False,
    ) -> list[ArticleSummary]:
        """Articles newest first: published, else imported (bookmarks: most recently saved first)."""
        with self.pool.read() as conn:
            return rows.summaries_page(
                conn, Selection(bookmarked, feed_id, unread), offset=offset, limit=limit
            )

    def summaries(self, ids: Iterable[int]) -> dict[int, ArticleSummary]:
        ids = list(ids)
        if not ids:
            return {}
        with self.pool.read() as conn:
            return rows.summaries(conn, ids)

    def get(self, article_id: int) -> Article:
        with self.pool.read() as conn:
            return rows.get(conn, article_id)

    def articles(
        self, *, bookmarked: bool = False, feed_id: int | None = None, limit: int | None = None
    ) -> list[Article]:
        """Whole articles in list order (newest first; bookmarks by save time)."""
        with self.pool.read() as conn:
            return rows.articles(conn, Selection(bookmarked, feed_id), limit=limit)

    def export(self, *, bookmarked: bool = False) -> Iterator[Article]:
        """Every article, oldest first (the order they were imported)."""
        with self.pool.read() as conn:
            yield from rows.export(conn, bookmarked=bookmarked)

    def raw(self, article_id: int) -> tuple[bytes, str]:
        with self.pool.read() as conn:
            return rows.raw(conn, article_id)

    # -- bookmarks and read state -------------------------------------------

    def set_bookmark(self, article_id: int, bookmarked: bool) -> bool:
        """Save or unsave an article. Returns whether it was changed."""
        with self.pool.write() as conn:
            return rows.set_bookmark(conn, article_id, bookmarked)

    def toggle_bookmark(self, article_id: int) -> bool:
        """Flip an article's bookmark in one statement. Returns the new state."""
        with self.pool.write() as conn:
            return rows.toggle_bookmark(conn, article_id)

    def mark_read(self, article_id: int, read: bool = True) -> None:
        with self.pool.write() as conn:
            rows.mark_read(conn, [article_id], read)

    def delete(self, article_id: int, *, allow_bookmarked: bool = False) -> bool:
        """Remove an article for good (its index entries too). Returns True once it is gone.

        Raises NotFound for an unknown ID and Bookmarked for a bookmarked
        article unless ``allow_bookmarked``. A feed's article does not come
        back on the next refresh.
        """
        with self.pool.write() as conn:
            return rows.delete(conn, article_id, allow_bookmarked=allow_bookmarked)

    def mark_all_read(self, *, bookmarked: bool = False, feed_id: int | None = None) -> int:
        """Mark every article a list shows read. Returns how many changed."""
        with self.pool.write() as conn:
            return rows.mark_selection_read(conn, Selection(bookmarked, feed_id))

    # -- importing ----------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[str],
        *,
        progress: ImportProgress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import files and folders (recursively). One bad file never stops the rest."""
        from store.sources.files import WalkProblem, walk

        report = ImportReport()

        def sources() -> Iterator[SourceFile]:
            # Walked as the import takes them: the workers start on the first
            # files while the walk goes on. Its problems come first in the report.
            for item in walk(paths, exclude=self.own_files()):
                if isinstance(item, WalkProblem):
                    report.outcomes.append(ImportOutcome(item.origin, "failed", reason=item.reason))
                else:
                    yield item

        return self.import_sources(sources(), report=report, progress=progress, workers=workers)

    def import_sources(
        self,
        sources: Iterable[SourceFile],
        *,
        report: ImportReport | None = None,
        progress: ImportProgress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        from store.importing.run import run_import

        return run_import(
            self.pool,
            self.writer,
            sources,
            max_bytes=max_bytes_from_env(),
            report=report,
            progress=progress,
            workers=workers,
        )

    def ensure_seeded(self) -> ImportReport | None:
        """Give an empty library the bundled seed articles. None if not empty."""
        if self.readonly or not self.is_empty():
            return None
        from store.sources.seeds import bundled_sources

        return self.import_sources(bundled_sources())

    # -- feeds ----------------------------------------------------------------

    def add_feed(
        self, url: str, *, name: str | None = None, full_text: bool | None = None
    ) -> tuple[Feed, bool]:
        """Subscribe. Returns the feed and whether it is new (the same URL twice adds nothing)."""
        from store.web import subscriptions

        with self.pool.write() as conn:
            return subscriptions.add(conn, url, name=name, full_text=full_text)

    def name_feed(self, feed_id: int) -> str | None:
        """Fetch a feed once to take its own title as its name (unless the user named it).

        Returns why it could not be read, or None.
        """
        from store.web import subscriptions
        from store.web.refresh import read_feed

        feed = self.feed(feed_id)
        parsed, problem = read_feed(feed.url)
        if parsed is not None:
            with self.pool.write() as conn:
                subscriptions.describe(conn, feed_id, parsed.title, parsed.site_url)
        return problem

    def feeds(self) -> list[Feed]:
        from store.web import subscriptions

        with self.pool.read() as conn:
            return subscriptions.listed(conn)

    def feed(self, feed_id: int) -> Feed:
        from store.web import subscriptions

        with self.pool.read() as conn:
            return subscriptions.get(conn, feed_id)

    def remove_feed(self, feed_id: int, *, purge: bool = False) -> int:
        """Unsubscribe; ``purge`` removes its articles too, bookmarked ones excepted. Returns how many."""
        from store.web import subscriptions

        with self.pool.write() as conn:
            return subscriptions.remove(conn, feed_id, purge=purge)

    def import_opml(self, data: bytes) -> FeedImport:
        from store.web import subscriptions

        with self.pool.write() as conn:
            return subscriptions.import_opml(conn, data)

    def export_opml(self) -> str:
        from store.web import subscriptions

        with self.pool.read() as conn:
            return subscriptions.export_opml(conn)

    def refresh(
        self,
        feed_ids: Iterable[int] | None = None,
        *,
        progress: RefreshProgress | None = None,
        workers: int | None = None,
        cancel: threading.Event | None = None,
    ) -> RefreshReport:
        """Fetch the feeds (all by default), concurrently; store what is new or changed."""
        from store.web.refresh import refresh

        ids = None if feed_ids is None else list(feed_ids)
        return refresh(self, ids, progress=progress, workers=workers, cancel=cancel)

    # -- maintenance ----------------------------------------------------------

    def reparse(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Parse every article again from its stored raw bytes. Returns how many changed."""
        from store.importing.reparse import reparse

        return reparse(self.pool, progress)

    def _check_analyzer_version(self) -> None:
        with self.pool.read() as conn:
            stored = get_meta(conn, "analyzer_version")
        if stored == str(ANALYZER_VERSION):
            return
        if stored is None and self.count() == 0:
            with self.pool.write() as conn:
                set_meta(conn, "analyzer_version", str(ANALYZER_VERSION))
            return
        self.rebuild_index()

    def rebuild_index(self) -> None:
        """Re-analyse every article into a fresh index (the analyzer changed)."""
        from store.importing.writer import rebuild_index

        with self.pool.write() as conn:
            rebuild_index(conn)
            set_meta(conn, "analyzer_version", str(ANALYZER_VERSION))

    def check(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks (empty if none)."""
        from store.db.check import check

        return check(self.pool)

    # -- search -----------------------------------------------------------------

    def compile(self, query: str) -> CompiledQuery:
        # Imported at the first search, not when the library opens: a list needs none of it.
        from store.search.engine import prepare_query

        with self.pool.read() as conn:
            return prepare_query(conn, query)

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        recent_first: bool = False,
        with_total: bool = True,
        snippets: bool = True,
        snippet_rows: int | None = None,
        explain: bool = False,
    ) -> SearchResults:
        """Search the library. Raises QueryError only when nothing can be searched.

        ``snippet_rows`` limits snippets (and highlights) to the first hits, the
        ones a screen shows; the others come with their title only. ``explain``
        says in each hit why it matched (directly, through a plural or a name
        in the other script, or as a best match missing some words).
        """
        from store.search.results import search

        with self.pool.read() as conn:
            return search(
                conn,
                query,
                limit=limit,
                offset=offset,
                recent_first=recent_first,
                with_total=with_total,
                snippets=snippets,
                snippet_rows=snippet_rows,
                explain=explain,
            )

    def highlight_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Where ``query`` matches inside ``text`` (for highlighting an open article)."""
        try:
            return self.compile(query).matcher.spans(text)
        except QueryError:
            return []
