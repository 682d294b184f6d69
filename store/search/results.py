"""A search from query text to hits: ranked IDs, then titles, snippets and highlights."""

from __future__ import annotations

import json
import sqlite3

from store.errors import QueryError
from store.models import SearchHit, SearchResults
from store.search.engine import (
    CompiledQuery,
    Matcher,
    RankedRow,
    best_match_ids,
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
    explain: bool = False,
) -> SearchResults:
    """Search the library. Raises QueryError only when nothing can be searched.

    A query of several plain words (:data:`PARTIAL_MIN_WORDS` or more) that no
    article holds in full is answered by the best matches: the articles
    holding the most of its words, said in the notes. A question (or a long
    query) goes on with the best matches after the articles holding every word.
    """
    try:
        compiled = prepare_query(conn, query)
        notes = list(compiled.notes)
        full = None
        if compiled.question and compiled.partial and not recent_first:
            # A question: ranked by how much of it an article holds, all of it first.
            full = 0
            rows = best_match_ids(conn, compiled, limit=limit, offset=offset)
            if rows and rows[0].coverage < 1.0 and not offset:
                notes.append("no article holds all the words: best matches (most of the words) first")
            elif rows and rows[-1].coverage < 1.0:
                notes.append("best matches: the articles holding all the words first, then most of them")
        else:
            rows = ranked_ids(conn, compiled, limit=limit, offset=offset, recent_first=recent_first)
        if compiled.partial and not compiled.question and not recent_first and not rows:
            # No article holds every word: the articles holding the most of them.
            full = 0 if not offset else count_matches(conn, compiled)
            if not full:
                rows = best_match_ids(conn, compiled, limit=limit, offset=offset)
                if rows:
                    notes.append("no article holds all the words: best matches (most of the words) first")
        total = count_matches(conn, compiled, partial=full is not None) if with_total else None
        found = hits(conn, rows, compiled, snippets, snippet_rows, explain)
    except sqlite3.OperationalError as error:
        if "fts5" not in str(error).lower():
            raise
        # Should not happen (every term is quoted); never show the user an FTS5 error.
        raise QueryError("cannot search for “{query}”", query=query) from None
    return SearchResults(
        query=query,
        hits=tuple(found),
        total=total,
        notes=tuple(notes),
        expression=compiled.match or "",
    )


def hits(
    conn: sqlite3.Connection,
    rows: list[RankedRow],
    compiled: CompiledQuery,
    snippets: bool,
    snippet_rows: int | None = None,
    explain: bool = False,
) -> list[SearchHit]:
    """Ranked rows made into hits; snippets and highlights for the first ``snippet_rows``."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    placeholders = ",".join("?" * len(ids))
    body = "a.body" if snippets or explain else "'' AS body"
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
                why=why(compiled, row["title"], row["body"]) if explain else (),
            )
        )
    return result


def why(compiled: CompiledQuery, title: str, body: str) -> tuple[str, ...]:
    """Why an article matched, one line per query word.

    ``direct`` (the word in one of its own forms), ``plural ↔ صواريخ («الصواريخ»)``
    (a form only the plural table links; the word as the article wrote it),
    ``name ↔ zelensky («Zelensky»)`` (the same name in the other script), or
    ``missing`` (a best match without it).
    """
    reasons = []
    text = f"{title}\n{body}"
    for index, name in enumerate(compiled.item_names):
        direct: Matcher = compiled.direct_matchers[index]
        if direct.matches(text):
            reasons.append(f"{name}: direct")
            continue
        links = compiled.links[index] if index < len(compiled.links) else {}
        linked = _linked_in(text, links)
        if linked:
            form, (kind, other) = linked
            reasons.append(f"{name}: {kind} ↔ {other} («{form}»)")
        else:
            reasons.append(f"{name}: missing (a partial match)")
    return tuple(reasons)


def _linked_in(text: str, links: dict[str, tuple[str, str]]) -> tuple[str, tuple[str, str]] | None:
    """The first word of ``text`` that a link matched: (the word as written, (kind, linked word))."""
    if not links:
        return None
    from store.analysis.arabic import tokens

    for token in tokens(text):
        found = links.get(token.surface)
        if found is not None:
            return token.text, found
    return None
