"""Messages the widgets post upward to the app (attributes down, messages up).

Dataclasses without a generated ``__repr__`` or ``__eq__`` (generating them
costs about 0.4 ms a class when the app starts): Textual's identity serves
for equality, and :class:`_Fields` shows the fields the way Textual shows a message.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import rich.repr
from textual.message import Message

from store.models import Article, ArticleSummary, SearchResults


class _Fields(Message):
    """A message whose repr lists its dataclass fields."""

    def __rich_repr__(self) -> rich.repr.Result:
        for field in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            yield field.name, getattr(self, field.name)


@dataclass(repr=False, eq=False)
class OpenArticle(_Fields):
    """The user chose an article to read (enter on a list row or a result)."""

    article_id: int
    #: The search query it was found with, to highlight its matches.
    query: str | None = None


@dataclass(repr=False, eq=False)
class ArticleLoaded(_Fields):
    """An article was read from the library (and marked read)."""

    article: Article
    highlights: dict[int, list[tuple[int, int]]]
    title_highlights: list[tuple[int, int]]
    query: str | None


@dataclass(repr=False, eq=False)
class PageLoaded(_Fields):
    """A page of list rows arrived from the library."""

    generation: int
    offset: int
    rows: list[ArticleSummary]


@dataclass(repr=False, eq=False)
class CountLoaded(_Fields):
    generation: int
    shown: int
    total: int
    #: The first page of rows, read with the count so the first frame has titles.
    first_page: list[ArticleSummary] | None = None


@dataclass(repr=False, eq=False)
class SearchFinished(_Fields):
    """Results for one generation of the search field's text."""

    generation: int
    results: SearchResults | None
    #: False for the quick, newest-first answer shown while typing.
    final: bool
    error: str | None = None


@dataclass(repr=False, eq=False)
class BookmarkChanged(_Fields):
    article_id: int
    bookmarked: bool


@dataclass(repr=False, eq=False)
class ArticleRead(_Fields):
    article_id: int
    #: False: marked unread again.
    read: bool = True


@dataclass(repr=False, eq=False)
class ArticleDeleted(_Fields):
    """An article was removed from the library."""

    article_id: int


@dataclass(repr=False, eq=False)
class Flash(_Fields):
    """A short confirmation for the status line ("Bookmarked: #4"), not a notification."""

    text: str


@dataclass(repr=False, eq=False)
class LibraryFailed(_Fields):
    """A database operation failed; the app shows it as a notification."""

    message: str


@dataclass(repr=False, eq=False)
class RefreshProgressed(_Fields):
    """Where a refresh of the feeds stands (``finished``: a feed just landed, with what it brought)."""

    feeds_done: int
    feeds_total: int
    pages_done: int
    pages_total: int
    new: int
    errors: int
    landed: bool


@dataclass(repr=False, eq=False)
class RefreshFinished(_Fields):
    new: int
    updated: int
    failed: int
    feeds: int
    error: str | None = None


@dataclass(repr=False, eq=False)
class MarkedRead(_Fields):
    count: int
