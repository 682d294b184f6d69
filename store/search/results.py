"""A search from query text to hits: ranked IDs, then titles, snippets and highlights."""

from __future__ import annotations

import json
import sqlite3

from store.errors import QueryError
from store.models import SearchHit, SearchResults
from store.search.engine import (
    CompiledQuery,
    RankedRow,
    count_matches,
    make_snippet,
    prepare_query,
    ranked_ids,
)


def search(
    conn: sqlite3.Connection,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    recent_first: bool = False,
    with_total: bool = True,
    snippets: bool = True,
    snippet_rows: int | None = None,
) -> SearchResults:
    """Search the library. Raises QueryError only when nothing can be searched."""
    try:
        compiled = prepare_query(conn, query)
        rows = ranked_ids(conn, compiled, limit=limit, offset=offset, recent_first=recent_first)
        total = count_matches(conn, compiled) if with_total else None
        found = hits(conn, rows, compiled, snippets, snippet_rows)
    except sqlite3.OperationalError as error:
        if "fts5" not in str(error).lower():
            raise
        # Should not happen (every term is quoted); never show the user an FTS5 error.
        raise QueryError(f"cannot search for “{query}”") from None
    return SearchResults(
        query=query,
        hits=tuple(found),
        total=total,
        notes=tuple(compiled.notes),
        expression=compiled.match or "",
    )


def hits(
    conn: sqlite3.Connection,
    rows: list[RankedRow],
    compiled: CompiledQuery,
    snippets: bool,
    snippet_rows: int | None = None,
) -> list[SearchHit]:
    """Ranked rows made into hits; snippets and highlights for the first ``snippet_rows``."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    placeholders = ",".join("?" * len(ids))
    body = "a.body" if snippets else "'' AS body"
    sql = (
        f"SELECT a.id, a.title, {body}, a.site, a.credits, a.word_count, a.bookmarked, a.read, "
        "f.name AS feed_name FROM articles a LEFT JOIN feeds f ON f.id = a.feed_id "
        f"WHERE a.id IN ({placeholders})"
    )
    found = {row["id"]: row for row in conn.execute(sql, ids)}
    result = []
    matcher = compiled.matcher
    for position, ranked in enumerate(rows):
        row = found.get(ranked.id)
        if row is None:
            continue  # deleted meanwhile
        wanted = snippets and (snippet_rows is None or position < snippet_rows)
        snippet, spans = make_snippet(row["body"], matcher) if wanted else ("", [])
        credits = json.loads(row["credits"] or "[]")
        result.append(
            SearchHit(
                id=ranked.id,
                title=row["title"],
                score=ranked.score,
                snippet=snippet,
                highlights=tuple(spans),
                title_highlights=tuple(matcher.spans(row["title"])) if wanted else (),
                bookmarked=bool(row["bookmarked"]),
                read=bool(row["read"]),
                source=row["site"] or (credits[0] if credits else "") or (row["feed_name"] or ""),
                word_count=row["word_count"],
            )
        )
    return result
