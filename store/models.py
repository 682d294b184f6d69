"""Plain data objects the store hands to front ends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Words per minute used for reading time (a calm pace for news in Arabic).
READING_WPM = 180


def reading_minutes(word_count: int) -> int:
    return max(1, -(-word_count // READING_WPM))


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list row needs: no body."""

    id: int
    title: str
    site: str | None
    credits: tuple[str, ...]
    dateline: str | None
    word_count: int
    bookmarked: bool
    read: bool
    imported_at: str
    #: When it was published (ISO 8601 UTC), if known; articles from files have none.
    published_at: str | None = None
    #: The name of the feed it came through, if any.
    feed: str | None = None

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def source(self) -> str:
        """Site, else the first credit, else its feed, else empty: who the article is from."""
        return self.site or (self.credits[0] if self.credits else "") or (self.feed or "")

    @property
    def when(self) -> str:
        """Published, else imported: what the list is sorted by."""
        return self.published_at or self.imported_at


@dataclass(frozen=True, slots=True)
class Article:
    """One article as stored: cleaned fields in logical (reading) order."""

    id: int
    title: str
    dateline: str | None
    site: str | None
    credits: tuple[str, ...]
    paragraphs: tuple[str, ...]
    word_count: int
    origin: str
    content_hash: str
    bookmarked: bool
    read: bool
    imported_at: str
    encoding: str = "utf-8"
    title_from_lead: bool = False
    #: The article's link (articles from the web).
    url: str | None = None
    published_at: str | None = None
    author: str | None = None
    feed_id: int | None = None
    feed_name: str | None = None

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def source(self) -> str:
        return self.site or (self.credits[0] if self.credits else "") or (self.feed_name or "")

    @property
    def when(self) -> str:
        return self.published_at or self.imported_at

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON object, keys in the documented order."""
        feed = None if self.feed_id is None else {"id": self.feed_id, "name": self.feed_name}
        return {
            "id": self.id,
            "title": self.title,
            "dateline": self.dateline,
            "site": self.site,
            "credits": list(self.credits),
            "paragraphs": list(self.paragraphs),
            "word_count": self.word_count,
            "origin": self.origin,
            "content_hash": self.content_hash,
            "bookmarked": self.bookmarked,
            "read": self.read,
            "imported_at": self.imported_at,
            "url": self.url,
            "published_at": self.published_at,
            "author": self.author,
            "feed": feed,
        }

    def plain_text(self) -> str:
        """The article as logical, unshaped text: for copying and piping."""
        head = [self.title]
        byline = " · ".join(x for x in (self.dateline, *self.credits, self.author) if x)
        if byline:
            head.append(byline)
        tail = [self.url] if self.url else []
        return "\n\n".join([*head, *self.paragraphs, *tail]) + "\n"


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    title: str
    score: float
    snippet: str
    #: (start, end) offsets of matched words in ``snippet`` and ``title``.
    highlights: tuple[tuple[int, int], ...] = ()
    title_highlights: tuple[tuple[int, int], ...] = ()
    bookmarked: bool = False
    read: bool = False
    source: str = ""
    word_count: int = 0
    #: Why it matched, one line per query word (only when asked to explain).
    why: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "title_highlights": [list(span) for span in self.title_highlights],
        }
        if self.why:
            found["why"] = list(self.why)
        return found


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    hits: tuple[SearchHit, ...]
    #: How many articles match in all (None when not counted, e.g. while typing).
    total: int | None = None
    #: One-line remarks for the user: ignored parts of a malformed query, etc.
    notes: tuple[str, ...] = ()
    #: The FTS5 expression that ran, for ``--explain``.
    expression: str = ""


@dataclass
class ImportOutcome:
    origin: str
    status: str  # "added" | "unchanged" | "updated" | "failed"
    article_id: int | None = None
    reason: str = ""


@dataclass
class ImportReport:
    outcomes: list[ImportOutcome] = field(default_factory=list)
    skipped_hidden: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def failures(self) -> list[ImportOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "failed"]

    def summary(self) -> str:
        return (
            f"added {self.count('added')}, unchanged {self.count('unchanged')}, "
            f"updated {self.count('updated')}, failed {self.count('failed')}"
        )
