"""trafilatura's metadata and author of a page, read more cheaply: the same answers."""

from __future__ import annotations

import hashlib
from copy import deepcopy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html
from trafilatura.metadata import extract_author as trafilatura_author
from trafilatura.metadata import extract_metadata
from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

from store.web.extract import _DATE_PARAMS, _parse_tree, _prune, _strip_furniture
from store.web.trafilatura_meta import extract_author, metadata

PAGES = sorted((Path(__file__).parent / "fixtures" / "pages").rglob("*.html"))


def test_trafilatura_still_searches_as_translated() -> None:
    """The tests in store/web/trafilatura_meta.py translate these expressions: a new
    trafilatura that changes them fails here, not quietly in the pages."""
    expressions = AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS
    digests = [hashlib.sha256(x.path.encode()).hexdigest()[:16] for x in expressions]
    assert digests == [
        "4d49fee6aa1c77f4",
        "6120fddc3d75e8ea",
        "4ff2ef32ff7c0e5f",
        "82f43e48c571d06b",
        "37a7703e19d95ea8",
    ]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.name)
def test_same_author_as_trafilatura_on_pages(path: Path) -> None:
    whole = _parse_tree(path.read_bytes().decode("utf-8", errors="replace"))
    pruned = deepcopy(whole)
    _strip_furniture(pruned)
    _prune(pruned)
    for tree in (whole, pruned):
        before = html.tostring(tree)
        assert extract_author(tree) == trafilatura_author(tree)
        assert html.tostring(tree) == before  # the page is left as it was
        url = f"https://example.com/news/{path.stem}.html"
        ours = metadata(tree, url, dict(_DATE_PARAMS))
        theirs = extract_metadata(tree, url, dict(_DATE_PARAMS), False, set())
        fields = ("title", "sitename", "author", "date", "url")
        assert [getattr(ours, name) for name in fields] == [getattr(theirs, name) for name in fields]


def test_bylines_in_removed_sections_and_their_tails() -> None:
    page = html.fromstring(
        "<html><body>"
        '<div class="comments"><span class="author">A commenter</span></div>'
        '<p><span class="byline">By <time>today</time>Jane Doe<figure>x</figure>, Cairo</span></p>'
        "</body></html>"
    )
    assert extract_author(page) == trafilatura_author(page) == "Jane Doe; Cairo"
    alone = html.fromstring(
        '<html><body><div class="comments"><span class="author">Someone</span></div></body></html>'
    )
    assert extract_author(alone) is trafilatura_author(alone) is None


_TAGS = "a address div link p span strong h3 h4 section time figure author rel".split()
_VALUES = [
    "author", "Author-box", "post-author-name", "authorName", "byline", "Byline", "byl", "BBL", "username",
    "screenname", "writer", "comments", "Comments-area", "comment-list", "sidebar", "print-only", "quote",
    "article-share", "category", "meta-date", "title", "date", "zuozhe", "posted-by", "x",
]  # fmt: skip
_ATTRIBUTES = ["class", "id", "rel", "itemprop", "data-testid", "data-component"]
_WORDS = st.sampled_from(["", " ", "me", "By", "Jane Doe", "أحمد علي", "\n", ", ", "Cairo"])


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(_TAGS))
    attributes = draw(
        st.dictionaries(
            st.sampled_from(_ATTRIBUTES),
            st.one_of(st.sampled_from(_VALUES), st.sampled_from(["author name", "AuthorCard", "Figure"])),
            max_size=2,
        )
    )
    children = draw(st.lists(_trees(depth + 1), max_size=3)) if depth < 3 else []
    tails = [draw(_WORDS) for _ in children]
    inner = draw(_WORDS) + "".join(child + tail for child, tail in zip(children, tails, strict=True))
    if draw(st.booleans()):
        inner += "<!--note-->" + draw(_WORDS)
    attrs = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return f"<{tag}{attrs}>{inner}</{tag}>"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_trees(), min_size=1, max_size=4))
def test_same_author_as_trafilatura_on_generated_trees(bodies: list[str]) -> None:
    page = html.fromstring("<html><body>" + "".join(bodies) + "</body></html>")
    assert extract_author(page) == trafilatura_author(page)
