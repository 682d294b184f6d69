"""Messages the widgets post upward to the app (attributes down, messages up)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from store.models import Article, ArticleSummary, SearchResults


@dataclass
class OpenArticle(Message):
    """The user chose an article to read (enter on a list row or a result)."""

    article_id: int
    #: The search query it was found with, to highlight its matches.
    query: str | None = None


@dataclass
class ArticleLoaded(Message):
    """An article was read from the library (and marked read)."""

    article: Article
    highlights: dict[int, list[tuple[int, int]]]
    title_highlights: list[tuple[int, int]]
    query: str | None


@dataclass
class PageLoaded(Message):
    """A page of list rows arrived from the library."""

    generation: int
    offset: int
    rows: list[ArticleSummary]


@dataclass
class CountLoaded(Message):
    generation: int
    shown: int
    total: int
    #: The first page of rows, read with the count so the first frame has titles.
    first_page: list[ArticleSummary] | None = None


@dataclass
class SearchFinished(Message):
    """Results for one generation of the search field's text."""

    generation: int
    results: SearchResults | None
    #: False for the quick, newest-first answer shown while typing.
    final: bool
    error: str | None = None


@dataclass
class BookmarkChanged(Message):
    article_id: int
    bookmarked: bool


@dataclass
class ArticleRead(Message):
    article_id: int
    #: False: marked unread again.
    read: bool = True


@dataclass
class ArticleDeleted(Message):
    """An article was removed from the library."""

    article_id: int


@dataclass
class Flash(Message):
    """A short confirmation for the status line ("Bookmarked: #4"), not a notification."""

    text: str


@dataclass
class LibraryFailed(Message):
    """A database operation failed; the app shows it as a notification."""

    message: str


@dataclass
class RefreshProgressed(Message):
    """Where a refresh of the feeds stands (``finished``: a feed just landed, with what it brought)."""

    feeds_done: int
    feeds_total: int
    pages_done: int
    pages_total: int
    new: int
    errors: int
    landed: bool


@dataclass
class RefreshFinished(Message):
    new: int
    updated: int
    failed: int
    feeds: int
    error: str | None = None


@dataclass
class MarkedRead(Message):
    count: int
