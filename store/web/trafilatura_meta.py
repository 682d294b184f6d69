"""trafilatura's metadata of a page, the parts Qari reads, and its search for
the author in one walk of the page.

:func:`metadata` is ``trafilatura.metadata.extract_metadata`` without what
Qari never reads (categories, tags, licence) and with the author search below;
the title, site name, author and date it gives are trafilatura's own.

``trafilatura.metadata.extract_author`` copies the whole page, removes
comment sections, figures, dates and the like from the copy, then runs three
XPath expressions over it, each a full walk of the tree with a dozen
attribute tests per element (some of them regular expressions called back
into Python). That costs about a millisecond a page, on every page that
prints no byline of its own. :func:`extract_author` gives the same answer
from the page as it is: the same tests in Python, elements of removed
sections skipped, their text left out of the author's the way the copy
leaves it out (the tail text of a removed element joins the text before
it). ``tests/test_trafilatura_meta.py`` checks the two agree, on pages and on
generated trees, and that trafilatura's expressions are still the ones
translated here.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable
from typing import Any

#: trafilatura's AUTHOR_XPATHS, one test each (``//*[self::a or …][…]|//author``).
_FIRST_TAGS = frozenset("a address div link p span strong".split())
_FIRST_CLASS_RE = re.compile("author-?name|AuthorName|authorName")
_SECOND_TAGS = frozenset("a div h3 h4 p span".split())
_SECOND_ID_RE = re.compile("author|zuozhe|bianji|xiaobian")
_SECOND_CLASS_RE = re.compile(
    "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name"
)
_THIRD_ID_RE = re.compile("[Aa]uthor")
_THIRD_CLASS_RE = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
#: trafilatura's AUTHOR_DISCARD_XPATHS: what the copy loses first.
_DISCARD_TAGS = frozenset("a div section span".split())
_DISCARD_ID_RE = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS_RE = re.compile(
    "^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    "|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_DISCARD_ALWAYS = frozenset({"time", "figure"})
#: As in ``extract_author``: an author is 3 to 119 characters.
_MAX_LENGTH = 120


def metadata(tree: Any, url: str | None, date_params: dict[str, Any]) -> Any:
    """``extract_metadata(tree, url, date_params, False, set())``'s title, site
    name, author and date (in the same order, each from the same reading)."""
    from htmldate import find_date
    from trafilatura.metadata import META_URL, extract_domain, extract_sitename, extract_title, extract_url

    found = _declared(tree)
    if not found.title:
        found.title = extract_title(tree)
    if not found.author:
        found.author = extract_author(tree)
    if not found.url:
        found.url = extract_url(tree, url)
    if found.url:
        found.hostname = extract_domain(found.url, fast=True)
    found.date = find_date(tree, **{**date_params, "url": found.url})
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url and (match := META_URL.match(found.url)):
        found.sitename = match[1]
    return found


def author_document(tree: Any) -> Any:
    """A document holding only trafilatura's author of the page, read as
    :func:`metadata` reads it (meta tags, then JSON-LD, then the page's bylines;
    trimmed as ``bare_extraction`` trims it)."""
    from html import unescape

    from trafilatura.settings import Document
    from trafilatura.utils import line_processing

    author = _declared(tree).author or extract_author(tree)
    document = Document()
    if isinstance(author, str):
        author = line_processing(unescape(author if len(author) <= 10000 else author[:9999] + "…"))
    document.author = author
    return document


def _declared(tree: Any) -> Any:
    """What the page declares of itself, read as ``extract_metadata`` reads it:
    its meta tags (a one-word author dropped), then its JSON-LD."""
    from trafilatura.metadata import examine_meta, extract_meta_json

    found = examine_meta(tree)
    if found.author and " " not in found.author:
        found.author = None
    with contextlib.suppress(Exception):  # as trafilatura does: a bug in its JSON-LD reading
        found = extract_meta_json(tree, found)
    return found


def extract_author(tree: Any) -> str | None:
    """The author trafilatura's ``extract_author(tree)`` finds (``tree``: a page's root)."""
    from trafilatura.metadata import normalize_authors
    from trafilatura.utils import trim

    removed = _removed(tree)
    kept = [element for element in _elements(tree) if element not in removed]
    for test in (_first, _second, _third):
        for element in kept:
            if test(element, removed):
                content = trim(" ".join(_copy_text(element, removed)))
                if content and 2 < len(content) < _MAX_LENGTH:
                    author: str | None = normalize_authors(None, content)
                    return author
    return None


def _elements(tree: Any) -> Iterable[Any]:
    return (element for element in tree.iter() if isinstance(element.tag, str))


def _removed(tree: Any) -> set[Any]:
    """Every element the copy loses (the removed sections and all they hold)."""
    outer = [
        element
        for element in tree.iterdescendants()
        if isinstance(element.tag, str) and (element.tag in _DISCARD_ALWAYS or _discarded(element))
    ]
    if tree.tag in _DISCARD_ALWAYS:
        outer.append(tree)
    removed: set[Any] = set()
    for element in outer:
        if element not in removed:
            removed.update(element.iter())
    return removed


def _discarded(element: Any) -> bool:
    if element.tag not in _DISCARD_TAGS:
        return False
    get = element.get
    name, ident = get("class"), get("id")
    return (
        ident == "comments"
        or name in ("comments", "title", "date")
        or (ident is not None and _DISCARD_ID_RE.search(ident) is not None)
        or (name is not None and _DISCARD_CLASS_RE.search(name) is not None)
        or "Figure" in (get("data-component") or "")
    )


def _first(element: Any, removed: set[Any]) -> bool:
    tag = element.tag
    if tag == "author":
        return True
    if tag not in _FIRST_TAGS:
        return False
    get = element.get
    name = get("class")
    return (
        get("rel") == "author"
        or get("id") == "author"
        or name == "author"
        or get("itemprop") == "author name"
        or get("data-testid") in ("AuthorCard", "AuthorURL")
        or (name is not None and _FIRST_CLASS_RE.search(name) is not None)
        # trafilatura writes «rel='me'»: a child element <rel> whose text is «me».
        or any(_is_rel_me(child, removed) for child in element)
    )


def _is_rel_me(child: Any, removed: set[Any]) -> bool:
    return child.tag == "rel" and child not in removed and _string(child, removed) == "me"


def _second(element: Any, removed: set[Any]) -> bool:
    if element.tag not in _SECOND_TAGS:
        return False
    get = element.get
    name, ident = get("class"), get("id")
    return (
        name in ("byline", "username", "byl", "BBL")
        or "author" in (get("itemprop") or "")
        or (ident is not None and _SECOND_ID_RE.search(ident) is not None)
        or (name is not None and _SECOND_CLASS_RE.search(name) is not None)
    )


def _third(element: Any, removed: set[Any]) -> bool:
    get = element.get
    name, ident = get("class"), get("id")
    return (
        "Byline" in (get("data-component") or "")
        or "author" in (get("itemprop") or "")
        or (ident is not None and _THIRD_ID_RE.search(ident) is not None)
        or (name is not None and _THIRD_CLASS_RE.search(name) is not None)
    )


def _string(element: Any, removed: set[Any]) -> str:
    """XPath's string value of the element in the copy."""
    return "".join(_copy_text(element, removed))


def _copy_text(element: Any, removed: set[Any]) -> list[str]:
    """``element.itertext()`` as the copy gives it: removed elements' text left
    out, each one's tail joined to the text before it (the previous sibling's
    tail, else the parent's text)."""
    pieces: list[str] = []
    _walk(element, removed, pieces.append)
    return pieces


def _walk(node: Any, removed: set[Any], emit: Callable[[str], None]) -> None:
    pending = node.text or ""
    for child in node:
        if child in removed:
            pending += child.tail or ""
            continue
        if pending:
            emit(pending)
        if isinstance(child.tag, str):
            _walk(child, removed, emit)
        pending = child.tail or ""  # comments and processing instructions: their tails only
    if pending:
        emit(pending)
