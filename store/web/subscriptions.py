"""Subscriptions: the feeds a library follows, with their state and counts.

A feed is known by its URL (the same URL twice is one feed). Its name is the
user's, else the feed's own title (filled in by the first fetch), else its
host. ``full_text`` is the user's choice (fetch every entry's page, or keep
the feed's own text) or, when NULL, decided from what the entries carry.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from store.db.articles import utc_now
from store.errors import InputError, NotFound
from store.importing.writer import delete_articles
from store.text.sanitize import clean_line


@dataclass(frozen=True)
class Feed:
    id: int
    url: str
    name: str
    site_url: str | None
    category: str | None
    full_text: bool | None
    added_at: str
    last_refresh: str | None
    status: str  # "ok" | "error" | "never"
    error: str | None
    articles: int = 0
    unread: int = 0
    named_by_user: bool = False
    etag: str | None = None
    last_modified: str | None = None
    retry_after: str | None = None
    warning: str | None = None
    errors_in_a_row: int = 0
    #: When the feed's content was last fetched (not a 304).
    last_success: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object."""
        return {
            "id": self.id,
            "name": self.name,
            "url": self.url,
            "site_url": self.site_url,
            "full_text": self.full_text,
            "last_refresh": self.last_refresh,
            "status": self.status,
            "error": self.error,
            "articles": self.articles,
            "unread": self.unread,
            "category": self.category,
        }


@dataclass
class FeedImport:
    """What an OPML import did."""

    added: list[Feed] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def check_url(url: str) -> str:
    """The URL, stripped, if it is a web address a feed can have; else InputError."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise InputError("not a web address (http:// or https://): {url}", url=clean_line(url))
    return url


def host_name(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def add(
    conn: sqlite3.Connection,
    url: str,
    *,
    name: str | None = None,
    full_text: bool | None = None,
    category: str | None = None,
    site_url: str | None = None,
) -> tuple[Feed, bool]:
    """Subscribe. Returns the feed and whether it is new."""
    url = check_url(url)
    existing = conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if existing is not None:
        return get(conn, existing[0]), False
    given = clean_line(name).strip() if name else ""
    row = conn.execute(
        "INSERT INTO feeds (url, name, named_by_user, full_text, category, site_url, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (
            url,
            given or host_name(url),
            int(bool(given)),
            None if full_text is None else int(full_text),
            category,
            site_url,
            utc_now(),
        ),
    ).fetchone()
    return get(conn, row[0]), True


def describe(conn: sqlite3.Connection, feed_id: int, title: str | None, site_url: str | None) -> None:
    """Take the feed's own title as its name (unless the user named it) and its site's address."""
    if title:
        conn.execute("UPDATE feeds SET name = ? WHERE id = ? AND named_by_user = 0", (title, feed_id))
    if site_url:
        conn.execute("UPDATE feeds SET site_url = ? WHERE id = ?", (site_url, feed_id))


_COUNTS = """
SELECT e.feed_id, count(*) AS articles, sum(a.read = 0) AS unread
FROM entries e JOIN articles a ON a.id = e.article_id
{where} GROUP BY e.feed_id
"""


def listed(conn: sqlite3.Connection) -> list[Feed]:
    """Every feed, by name, with its article and unread counts."""
    counts = {row[0]: (row[1], row[2] or 0) for row in conn.execute(_COUNTS.format(where=""))}
    feeds = [_feed(row, counts.get(row["id"], (0, 0))) for row in conn.execute("SELECT * FROM feeds")]
    return sorted(feeds, key=lambda feed: (feed.name.casefold(), feed.id))


def get(conn: sqlite3.Connection, feed_id: int) -> Feed:
    row = conn.execute("SELECT * FROM feeds WHERE id = ?", (feed_id,)).fetchone()
    if row is None:
        raise NotFound("no feed with ID {id}", id=feed_id)
    count = conn.execute(_COUNTS.format(where="WHERE e.feed_id = ?"), (feed_id,)).fetchone()
    return _feed(row, (count[1], count[2] or 0) if count else (0, 0))


def remove(conn: sqlite3.Connection, feed_id: int, *, purge: bool = False) -> int:
    """Unsubscribe. With ``purge``, the articles only this feed brought go too,
    except bookmarked ones. Returns how many articles were removed."""
    get(conn, feed_id)
    removed = 0
    if purge:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT a.id FROM articles a JOIN entries e ON e.article_id = a.id AND e.feed_id = ? "
                "WHERE a.bookmarked = 0 AND NOT EXISTS "
                "(SELECT 1 FROM entries o WHERE o.article_id = a.id AND o.feed_id != ?)",
                (feed_id, feed_id),
            )
        ]
        removed = delete_articles(conn, ids)
    # Articles also reached through another feed now name that one.
    conn.execute(
        "UPDATE articles SET feed_id = (SELECT min(feed_id) FROM entries e "
        "WHERE e.article_id = articles.id AND e.feed_id != ?) WHERE feed_id = ?",
        (feed_id, feed_id),
    )
    conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
    return removed


def import_opml(conn: sqlite3.Connection, data: bytes) -> FeedImport:
    from store.web.opml import read_opml

    found, problems = read_opml(data)
    result = FeedImport(problems=list(problems))
    for item in found:
        try:
            feed, new = add(conn, item.url, name=item.title, category=item.category, site_url=item.site_url)
        except InputError as error:
            result.problems.append(str(error))
            continue
        if new:
            result.added.append(feed)
        else:
            result.existing.append(feed.url)
    return result


def export_opml(conn: sqlite3.Connection) -> str:
    from store.web.opml import OpmlFeed, write_opml

    return write_opml(
        OpmlFeed(url=feed.url, title=feed.name, site_url=feed.site_url, category=feed.category)
        for feed in listed(conn)
    )


def _feed(row: Any, counts: tuple[int, int]) -> Feed:
    return Feed(
        id=row["id"],
        url=row["url"],
        name=row["name"],
        site_url=row["site_url"],
        category=row["category"],
        full_text=None if row["full_text"] is None else bool(row["full_text"]),
        added_at=row["added_at"],
        last_refresh=row["last_refresh"],
        status=row["status"],
        error=row["error"],
        articles=counts[0],
        unread=counts[1],
        named_by_user=bool(row["named_by_user"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        retry_after=row["retry_after"],
        warning=row["warning"],
        errors_in_a_row=row["errors_in_a_row"],
        last_success=row["last_success"],
    )
