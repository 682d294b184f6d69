"""The library: articles, bookmarks and search over one SQLite file.

This is the headless core the CLI and the TUI share. It never imports a UI
toolkit. Every method is safe to call from any thread: each thread gets its
own SQLite connection, and writes are short ``BEGIN IMMEDIATE`` transactions
so a TUI and an import in another terminal can work on one library at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from store.analysis.arabic import ANALYZER_VERSION
from store.db import connection as dbmod
from store.db import schema
from store.db.connection import get_meta, set_meta, translate_errors, write_transaction
from store.errors import InputError, LibraryDamaged, LibraryError, NotFound, QueryError
from store.importing.parallel import prepare_in_parallel
from store.importing.prepare import (
    PAIR_SEPARATOR,
    AlreadyStored,
    IndexTerms,
    PreparedArticle,
    PrepareFailure,
    fts_terms,
    prepare,
)
from store.models import (
    Article,
    ArticleSummary,
    ImportOutcome,
    ImportReport,
    SearchHit,
    SearchResults,
)
from store.search.engine import (
    CompiledQuery,
    count_matches,
    make_snippet,
    prepare_query,
    ranked_ids,
)
from store.sources.files import SourceFile, WalkProblem, walk
from store.text.decode import DEFAULT_MAX_BYTES, decode_bytes
from store.text.parse import PARSER_VERSION, parse_article

#: Imports commit at least this often, so other writers never wait long.
COMMIT_EVERY_ARTICLES = 500
COMMIT_EVERY_SECONDS = 0.5
#: An import that adds this many articles merges the index when it is done.
OPTIMIZE_AFTER = 2000
#: Below this many files an import runs in-process (a pool costs ~100 ms).
PARALLEL_THRESHOLD = 64

_SUMMARY_COLUMNS = "id, title, site, credits, dateline, word_count, bookmarked, read, imported_at"
_ARTICLE_COLUMNS = (
    "id, title, dateline, site, credits, body, word_count, origin, content_hash, "
    "bookmarked, read, imported_at, encoding, title_from_lead"
)

ImportProgress = Callable[[int, int], None]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def max_bytes_from_env() -> int:
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
        self.max_bytes = max_bytes_from_env()
        # A small pool rather than thread-locals: UI workers are short-lived
        # threads, and a connection must never be used by two at once.
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self._watcher: sqlite3.Connection | None = None
        #: Stem pairs written to the terms table by this process: a long import
        #: sends each new word to the table once, not once per article.
        self._session_pairs: set[str] = set()
        #: Set once SQLite reports the file corrupt: from then on nothing is written.
        self.damaged = False
        with self.connection() as conn:  # opens, checks and migrates the file now
            schema.validate(conn, self.path)
            if not readonly and upgrade:
                schema.migrate(conn, self.path)
        if not readonly and upgrade:
            self._check_analyzer_version()

    # ------------------------------------------------------------------
    # Connections

    @contextlib.contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """Borrow a connection for the duration of a ``with`` block."""
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = dbmod.connect(self.path, readonly=self.readonly)
        try:
            yield conn
        except LibraryDamaged:
            self.damaged = True
            raise
        finally:
            if conn.in_transaction:  # pragma: no cover - defensive
                conn.rollback()
            with self._lock:
                if self._closed or len(self._idle) >= 8:
                    conn.close()
                else:
                    self._idle.append(conn)

    def change_token(self) -> int:
        """A number that changes whenever another connection commits a write.

        Uses one dedicated connection, as SQLite's ``data_version`` is per
        connection. The app polls it to notice imports from another process.
        """
        with self._lock:
            if self._watcher is None:
                self._watcher = dbmod.connect(self.path, readonly=self.readonly)
            watcher = self._watcher
            with translate_errors(self.path):
                return int(watcher.execute("PRAGMA data_version").fetchone()[0])

    def own_files(self) -> frozenset[str]:
        """Real paths of the library file and the files SQLite keeps beside it."""
        try:
            real = str(self.path.resolve())
        except (OSError, RuntimeError):
            real = str(self.path.absolute())
        return frozenset(real + suffix for suffix in ("", "-wal", "-shm", "-journal"))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
            idle, self._idle = self._idle, []
        for conn in idle:
            with contextlib.suppress(sqlite3.Error):  # closing is best effort
                conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self.readonly:
            raise LibraryError(f"the library {self.path} is open read-only")
        if self.damaged:
            raise LibraryDamaged(dbmod.damaged_message(self.path, "SQLite reported it corrupt"))

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._check_writable()
        with self.connection() as conn, write_transaction(conn, self.path):
            yield conn

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        with self.connection() as conn, translate_errors(self.path):
            yield conn

    # ------------------------------------------------------------------
    # Reading

    def count(self, *, bookmarked: bool = False) -> int:
        sql = "SELECT count(*) FROM articles" + (" WHERE bookmarked = 1" if bookmarked else "")
        with self._read() as conn:
            return int(conn.execute(sql).fetchone()[0])

    def count_parsed_by_older_parser(self) -> int:
        """Articles a ``reparse`` would parse with today's parser."""
        with self._read() as conn:
            sql = "SELECT count(*) FROM articles WHERE parser_version < ?"
            return int(conn.execute(sql, (PARSER_VERSION,)).fetchone()[0])

    def summaries_page(
        self, *, offset: int = 0, limit: int | None = None, bookmarked: bool = False
    ) -> list[ArticleSummary]:
        """Articles newest-imported first (bookmarks: most recently saved first)."""
        if bookmarked:
            sql = (
                f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE bookmarked = 1 "
                "ORDER BY bookmarked_at DESC, id DESC"
            )
        else:
            sql = f"SELECT {_SUMMARY_COLUMNS} FROM articles ORDER BY id DESC"
        sql += " LIMIT ? OFFSET ?"
        with self._read() as conn:
            rows = conn.execute(sql, (-1 if limit is None else limit, offset)).fetchall()
        return [_summary(row) for row in rows]

    def summaries(self, ids: Iterable[int]) -> dict[int, ArticleSummary]:
        ids = list(ids)
        if not ids:
            return {}
        placeholders = ",".join("?" * len(ids))
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM articles WHERE id IN ({placeholders})", ids
            ).fetchall()
        return {row["id"]: _summary(row) for row in rows}

    def get(self, article_id: int) -> Article:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no article with ID {article_id}")
        return _article(row)

    def articles(self, *, bookmarked: bool = False, limit: int | None = None) -> list[Article]:
        """Whole articles in list order (newest first; bookmarks by save time)."""
        order = "bookmarked_at DESC, id DESC" if bookmarked else "id DESC"
        where = "WHERE bookmarked = 1 " if bookmarked else ""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles {where}ORDER BY {order} LIMIT ?",
                (-1 if limit is None else limit,),
            ).fetchall()
        return [_article(row) for row in rows]

    def export(self, *, bookmarked: bool = False) -> Iterator[Article]:
        """Every article, oldest first (the order they were imported)."""
        sql = f"SELECT {_ARTICLE_COLUMNS} FROM articles"
        if bookmarked:
            sql += " WHERE bookmarked = 1"
        sql += " ORDER BY id"
        with self._read() as conn:
            for row in sqlite_utils.Database(conn).query(sql):
                yield _article(row)

    def raw(self, article_id: int) -> tuple[bytes, str]:
        with self._read() as conn:
            row = conn.execute("SELECT raw, encoding FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFound(f"no article with ID {article_id}")
        return bytes(row[0]), row[1]

    # ------------------------------------------------------------------
    # Bookmarks and read state

    def set_bookmark(self, article_id: int, bookmarked: bool) -> bool:
        """Save or unsave an article. Returns whether it was changed."""
        with self._write() as conn:
            row = conn.execute(
                "UPDATE articles SET bookmarked = ?, bookmarked_at = CASE WHEN ? THEN ? ELSE NULL END "
                "WHERE id = ? AND bookmarked != ? RETURNING id",
                (int(bookmarked), int(bookmarked), utc_now(), article_id, int(bookmarked)),
            ).fetchone()
            if (
                row is None
                and conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None
            ):
                raise NotFound(f"no article with ID {article_id}")
        return row is not None

    def toggle_bookmark(self, article_id: int) -> bool:
        """Flip an article's bookmark in one statement. Returns the new state."""
        with self._write() as conn:
            row = conn.execute(
                "UPDATE articles SET bookmarked = 1 - bookmarked, "
                "bookmarked_at = CASE WHEN bookmarked = 0 THEN ? ELSE NULL END "
                "WHERE id = ? RETURNING bookmarked",
                (utc_now(), article_id),
            ).fetchone()
        if row is None:
            raise NotFound(f"no article with ID {article_id}")
        return bool(row[0])

    def mark_read(self, article_id: int, read: bool = True) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE articles SET read = ? WHERE id = ? AND read != ?",
                (int(read), article_id, int(read)),
            )

    # ------------------------------------------------------------------
    # Importing

    def import_paths(
        self,
        paths: Iterable[str],
        *,
        progress: ImportProgress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        """Import files and folders (recursively). One bad file never stops the rest."""
        report = ImportReport()
        sources: list[SourceFile] = []
        for item in walk(paths, exclude=self.own_files()):
            if isinstance(item, WalkProblem):
                report.outcomes.append(ImportOutcome(item.origin, "failed", reason=item.reason))
            else:
                sources.append(item)
        self.import_sources(sources, report=report, progress=progress, workers=workers)
        return report

    def import_sources(
        self,
        sources: list[SourceFile],
        *,
        report: ImportReport | None = None,
        progress: ImportProgress | None = None,
        workers: int | None = None,
    ) -> ImportReport:
        report = report if report is not None else ImportReport()
        big = len(sources) >= PARALLEL_THRESHOLD
        known = self._known_hashes() if big else frozenset()
        # For a big import, knowing which files are already in the library
        # spares a lookup per new article.
        keys = self._known_source_keys() if big else None
        results = self._prepared(sources, known, workers)
        total = len(sources)
        done = 0
        batch: list[PreparedArticle | PrepareFailure | AlreadyStored] = []
        last_commit = time.monotonic()
        with self._bulk_writer(big) as conn:
            for result in results:
                batch.append(result)
                done += 1
                due = time.monotonic() - last_commit >= COMMIT_EVERY_SECONDS
                if len(batch) >= COMMIT_EVERY_ARTICLES or due:
                    report.outcomes.extend(self._store_batch(conn, batch, keys))
                    batch.clear()
                    last_commit = time.monotonic()
                    if progress:
                        progress(done, total)
            if batch:
                report.outcomes.extend(self._store_batch(conn, batch, keys))
            if big and report.count("added") + report.count("updated") >= OPTIMIZE_AFTER:
                # Many new index segments: merge them into one (seconds for
                # 100,000 articles) so that every later query probes one.
                with write_transaction(conn, self.path):
                    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
        if progress:
            progress(done, total)
        return report

    @contextlib.contextmanager
    def _bulk_writer(self, big: bool) -> Iterator[sqlite3.Connection]:
        """One connection for a whole import; for a big one, fewer WAL checkpoints.

        Checkpointing copies the log into the database: every 1000 pages (the
        default) it costs a fifth of a big import. Every 10000 pages instead,
        and once at the end, while other programs keep reading and writing.
        """
        self._check_writable()
        with self.connection() as conn:
            if not big:
                yield conn
                return
            with translate_errors(self.path):
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
            try:
                yield conn
            finally:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_autocheckpoint = 1000")
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _prepared(
        self, sources: list[SourceFile], known: frozenset[str], workers: int | None
    ) -> Iterator[PreparedArticle | PrepareFailure | AlreadyStored]:
        workers = workers if workers is not None else (os.cpu_count() or 1)
        if workers <= 1 or len(sources) < PARALLEL_THRESHOLD:
            for source in sources:
                yield prepare(source, self.max_bytes, known)
            return
        yield from prepare_in_parallel(sources, workers, self.max_bytes, known)

    def _known_hashes(self) -> frozenset[str]:
        with self._read() as conn:
            return frozenset(row[0] for row in conn.execute("SELECT content_hash FROM articles"))

    def _known_source_keys(self) -> set[str]:
        with self._read() as conn:
            return {row[0] for row in conn.execute("SELECT source_key FROM articles")}

    def _store_batch(
        self,
        conn: sqlite3.Connection,
        batch: list[PreparedArticle | PrepareFailure | AlreadyStored],
        known_keys: set[str] | None = None,
    ) -> list[ImportOutcome]:
        outcomes: list[ImportOutcome] = []
        now = utc_now()
        try:
            return self._write_batch(conn, batch, known_keys, now, outcomes)
        except BaseException:
            # Rolled back: the words this session thought it had written may not be there.
            self._session_pairs.clear()
            raise

    def _write_batch(
        self,
        conn: sqlite3.Connection,
        batch: list[PreparedArticle | PrepareFailure | AlreadyStored],
        known_keys: set[str] | None,
        now: str,
        outcomes: list[ImportOutcome],
    ) -> list[ImportOutcome]:
        pending: list[str] = []
        with write_transaction(conn, self.path):
            for item in batch:
                if isinstance(item, PrepareFailure):
                    outcomes.append(ImportOutcome(item.origin, "failed", reason=item.reason))
                elif isinstance(item, AlreadyStored):
                    row = conn.execute(
                        "SELECT id FROM articles WHERE content_hash = ?", (item.content_hash,)
                    ).fetchone()
                    outcomes.append(ImportOutcome(item.origin, "unchanged", row[0] if row else None))
                else:
                    outcomes.append(self._store(conn, item, now, known_keys, pending))
            # New words of the whole batch, in one sorted write, each word once per session.
            new = set(pending) - self._session_pairs
            _write_stem_pairs(conn, new)
        self._session_pairs |= new
        return outcomes

    def _store(
        self,
        conn: sqlite3.Connection,
        item: PreparedArticle,
        now: str,
        known_keys: set[str] | None = None,
        pending: list[str] | None = None,
    ) -> ImportOutcome:
        fields = (
            item.origin,
            item.content_hash,
            item.encoding,
            item.raw,
            item.title,
            int(item.title_from_lead),
            item.dateline,
            item.site,
            item.credits_json,
            item.body,
            item.word_count,
            now,
            PARSER_VERSION,
        )
        old = None
        if known_keys is None or item.source_key in known_keys:
            old = conn.execute(
                "SELECT id, title, body, dateline, site, credits, content_hash FROM articles "
                "WHERE source_key = ? ORDER BY id DESC LIMIT 1",
                (item.source_key,),
            ).fetchone()
        if old is not None and old["content_hash"] != item.content_hash:
            same = conn.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (item.content_hash,)
            ).fetchone()
            if same is not None:  # the new content is another article already here
                return ImportOutcome(item.origin, "unchanged", same[0])
            # Same file, new content: update in place so bookmark and read state stay.
            _fts_delete(conn, old)
            conn.execute(
                "UPDATE articles SET origin = ?, content_hash = ?, encoding = ?, raw = ?, title = ?, "
                "title_from_lead = ?, dateline = ?, site = ?, credits = ?, body = ?, word_count = ?, "
                "updated_at = ?, parser_version = ? WHERE id = ?",
                (*fields, old["id"]),
            )
            _fts_insert(conn, old["id"], item.terms)
            return ImportOutcome(item.origin, "updated", old["id"])
        # Unique by content: a second copy of an article inserts nothing.
        row = conn.execute(
            "INSERT INTO articles (origin, content_hash, encoding, raw, title, title_from_lead, "
            "dateline, site, credits, body, word_count, updated_at, parser_version, "
            "source_key, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(content_hash) DO NOTHING RETURNING id",
            (*fields, item.source_key, now),
        ).fetchone()
        if row is None:
            same = conn.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (item.content_hash,)
            ).fetchone()
            return ImportOutcome(item.origin, "unchanged", same[0] if same else None)
        article_id = int(row[0])
        if known_keys is not None:
            known_keys.add(item.source_key)
        _fts_insert(conn, article_id, item.terms, pending)
        return ImportOutcome(item.origin, "added", article_id)

    def ensure_seeded(self) -> ImportReport | None:
        """Give an empty library the bundled seed articles. None if not empty."""
        if self.readonly or self.count() > 0:
            return None
        from store.sources.seeds import bundled_sources

        return self.import_sources(bundled_sources())

    # ------------------------------------------------------------------
    # Maintenance

    def reparse(self, progress: ImportProgress | None = None) -> int:
        """Parse every article again from its stored raw text. Returns how many changed.

        Bookmarks and read state are untouched; so is the raw text.
        """
        with self._read() as conn:
            ids = [row[0] for row in conn.execute("SELECT id FROM articles ORDER BY id")]
        changed = 0
        for start in range(0, len(ids), COMMIT_EVERY_ARTICLES):
            chunk = ids[start : start + COMMIT_EVERY_ARTICLES]
            with self._write() as conn:
                for article_id in chunk:
                    changed += self._reparse_one(conn, article_id)
            if progress:
                progress(min(start + len(chunk), len(ids)), len(ids))
        return changed

    def _reparse_one(self, conn: sqlite3.Connection, article_id: int) -> int:
        row = conn.execute(
            "SELECT id, raw, title, body, dateline, site, credits, title_from_lead "
            "FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        try:
            text = decode_bytes(bytes(row["raw"]), max_bytes=max(len(row["raw"]), 1)).text
        except InputError:
            return 0
        parsed = parse_article(text)
        body = "\n".join(parsed.paragraphs)
        credits = json.dumps(parsed.credits, ensure_ascii=False)
        new = (parsed.title, body, parsed.dateline, parsed.site, credits, int(parsed.title_from_lead))
        old = (
            row["title"],
            row["body"],
            row["dateline"],
            row["site"],
            row["credits"],
            row["title_from_lead"],
        )
        if new == old:
            conn.execute("UPDATE articles SET parser_version = ? WHERE id = ?", (PARSER_VERSION, article_id))
            return 0
        _fts_delete(conn, row)
        conn.execute(
            "UPDATE articles SET title = ?, body = ?, dateline = ?, site = ?, credits = ?, "
            "title_from_lead = ?, word_count = ?, parser_version = ?, updated_at = ? WHERE id = ?",
            (*new, parsed.word_count, PARSER_VERSION, utc_now(), article_id),
        )
        _fts_insert(
            conn, article_id, fts_terms(parsed.title, body, parsed.dateline, parsed.site, parsed.credits)
        )
        return 1

    def _check_analyzer_version(self) -> None:
        with self._read() as conn:
            stored = get_meta(conn, "analyzer_version")
        if stored == str(ANALYZER_VERSION):
            return
        if stored is None and self.count() == 0:
            with self._write() as conn:
                set_meta(conn, "analyzer_version", str(ANALYZER_VERSION))
            return
        self.rebuild_index()

    def rebuild_index(self) -> None:
        """Re-analyse every article into a fresh FTS index (analyzer changed)."""
        with self._write() as conn:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
            conn.execute("DELETE FROM terms")
            rows = conn.execute(
                "SELECT id, title, body, dateline, site, credits FROM articles ORDER BY id"
            ).fetchall()
            pending: list[str] = []
            for row in rows:
                _fts_insert(conn, row["id"], _stored_terms(row), pending)
            _write_stem_pairs(conn, pending)
            set_meta(conn, "analyzer_version", str(ANALYZER_VERSION))

    def check(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks (empty if none)."""
        problems: list[str] = []
        with self.connection() as conn, translate_errors(self.path):
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            problems += [row[0] for row in rows if row[0] != "ok"]
            if self.readonly:
                problems += self._fts_check_read_only(conn)
            else:
                # FTS5's check is an INSERT that changes nothing; rolled back all the same.
                conn.execute("BEGIN")
                try:
                    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
                except sqlite3.DatabaseError as error:
                    problems.append(f"full-text index: {error}")
                finally:
                    conn.execute("ROLLBACK")
            missing = conn.execute(
                "SELECT count(*) FROM articles WHERE id NOT IN (SELECT id FROM articles_fts_docsize)"
            ).fetchone()[0]
            extra = conn.execute(
                "SELECT count(*) FROM articles_fts_docsize WHERE id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
        if missing:
            problems.append(f"full-text index: {missing} articles are not indexed")
        if extra:
            problems.append(f"full-text index: {extra} entries have no article")
        return problems

    @staticmethod
    def _fts_check_read_only(conn: sqlite3.Connection) -> list[str]:
        """Without write access FTS5's own check cannot run: read every index page instead."""
        try:
            conn.execute("SELECT count(*) FROM articles_fts_data").fetchone()
            conn.execute("SELECT count(*) FROM articles_fts_docsize").fetchone()
        except sqlite3.DatabaseError as error:
            return [f"full-text index: {error}"]
        return []

    # ------------------------------------------------------------------
    # Search

    def compile(self, query: str) -> CompiledQuery:
        with self._read() as conn:
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
    ) -> SearchResults:
        """Search the library. Raises QueryError only when nothing can be searched.

        ``snippet_rows`` limits snippets (and highlights) to the first hits, the
        ones a screen shows; the others come with their title only.
        """
        try:
            with self._read() as conn:
                compiled = prepare_query(conn, query)
                rows = ranked_ids(conn, compiled, limit=limit, offset=offset, recent_first=recent_first)
                total = count_matches(conn, compiled) if with_total else None
        except LibraryError as error:
            if "fts5" not in str(error).lower():
                raise
            # Should not happen (every term is quoted); never show the user an FTS5 error.
            raise QueryError(f"cannot search for “{query}”") from None
        hits = self._hits(rows, compiled, snippets, snippet_rows)
        return SearchResults(
            query=query,
            hits=tuple(hits),
            total=total,
            notes=tuple(compiled.notes),
            expression=compiled.match or "",
        )

    def _hits(
        self, rows: list[Any], compiled: CompiledQuery, snippets: bool, snippet_rows: int | None = None
    ) -> list[SearchHit]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        placeholders = ",".join("?" * len(ids))
        columns = (
            "id, title, body, site, credits, word_count, bookmarked, read"
            if snippets
            else ("id, title, '' AS body, site, credits, word_count, bookmarked, read")
        )
        with self._read() as conn:
            found = {
                row["id"]: row
                for row in conn.execute(f"SELECT {columns} FROM articles WHERE id IN ({placeholders})", ids)
            }
        hits = []
        matcher = compiled.matcher
        for position, ranked in enumerate(rows):
            row = found.get(ranked.id)
            if row is None:
                continue  # deleted meanwhile
            wanted = snippets and (snippet_rows is None or position < snippet_rows)
            snippet, spans = make_snippet(row["body"], matcher) if wanted else ("", [])
            credits = json.loads(row["credits"] or "[]")
            hits.append(
                SearchHit(
                    id=ranked.id,
                    title=row["title"],
                    score=ranked.score,
                    snippet=snippet,
                    highlights=tuple(spans),
                    title_highlights=tuple(matcher.spans(row["title"])) if wanted else (),
                    bookmarked=bool(row["bookmarked"]),
                    read=bool(row["read"]),
                    source=row["site"] or (credits[0] if credits else ""),
                    word_count=row["word_count"],
                )
            )
        return hits

    def highlight_spans(self, query: str, text: str) -> list[tuple[int, int]]:
        """Where ``query`` matches inside ``text`` (for highlighting an open article)."""
        try:
            return self.compile(query).matcher.spans(text)
        except QueryError:
            return []


def _fts_insert(
    conn: sqlite3.Connection, article_id: int, terms: IndexTerms, pending: list[str] | None = None
) -> None:
    """Index an article. Its new stem pairs go to ``pending`` if given, else are written now."""
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)", (article_id, *terms.columns)
    )
    if pending is None:
        _write_stem_pairs(conn, terms.stem_pairs)
    else:
        pending.extend(terms.stem_pairs)


def _write_stem_pairs(conn: sqlite3.Connection, pairs: Iterable[str]) -> None:
    """Add stem -> surface pairs to the terms table, in key order (fastest)."""
    rows = [pair.split(PAIR_SEPARATOR, 1) for pair in sorted(set(pairs))]
    if rows:
        conn.executemany("INSERT OR IGNORE INTO terms (stem, surface) VALUES (?, ?)", rows)


def _stored_terms(row: Any) -> IndexTerms:
    """The index terms of an article as stored (title, body, dateline, site, credits)."""
    credits = json.loads(row["credits"] or "[]")
    return fts_terms(row["title"], row["body"], row["dateline"], row["site"], credits)


def _fts_delete(conn: sqlite3.Connection, row: Any) -> None:
    # The index keeps no copy of its text: a delete must name the exact terms
    # that were indexed, recomputed here with the same analyzer version.
    # (The terms table keeps the old words: a stale form costs nothing.)
    conn.execute(
        "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
        (row["id"], *_stored_terms(row).columns),
    )


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(
        id=row["id"],
        title=row["title"],
        site=row["site"],
        credits=tuple(json.loads(row["credits"] or "[]")),
        dateline=row["dateline"],
        word_count=row["word_count"],
        bookmarked=bool(row["bookmarked"]),
        read=bool(row["read"]),
        imported_at=row["imported_at"],
    )


def _article(row: Any) -> Article:
    body = row["body"]
    return Article(
        id=row["id"],
        title=row["title"],
        dateline=row["dateline"],
        site=row["site"],
        credits=tuple(json.loads(row["credits"] or "[]")),
        paragraphs=tuple(body.split("\n")) if body else (),
        word_count=row["word_count"],
        origin=row["origin"],
        content_hash=row["content_hash"],
        bookmarked=bool(row["bookmarked"]),
        read=bool(row["read"]),
        imported_at=row["imported_at"],
        encoding=row["encoding"],
        title_from_lead=bool(row["title_from_lead"]),
    )
