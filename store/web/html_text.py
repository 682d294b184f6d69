"""HTML fragments from feeds to paragraphs of plain text.

Feed summaries and full-text content arrive as HTML of any quality: clean
paragraphs, ``<br>``-separated text, plain text with newlines, half-closed
tags, scripts, share buttons. The reader stores and shows paragraphs, so the
only structure kept is where block-level elements (``p``, ``div``, ``li``,
headings, ``blockquote``, ``figcaption``, ``br``…) start and end: each block
becomes one paragraph, with whitespace normalised and entities decoded.

When a fragment has no block-level markup at all its newlines are the only
structure, and it is split like extracted plain text (blank lines between
paragraphs, one paragraph per line unless the lines look hard-wrapped).

The stdlib ``html.parser`` does the tokenising: it never loads anything,
knows no external entities, and keeps going on garbage. Elements that carry
no readable text (scripts, styles, frames, embeds, forms) are dropped with
their content, and so are share/social button blocks recognised by their
``class`` or ``id``. Every paragraph goes through :func:`clean_text`.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from store.text.parse import clean_paragraphs
from store.text.sanitize import clean_text

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Dropped together with everything inside them.
_SKIPPED_TAGS = frozenset(
    {
        "applet", "audio", "button", "canvas", "embed", "form", "iframe", "map", "math", "noscript",
        "object", "script", "select", "style", "svg", "template", "textarea", "title", "video",
    }
)  # fmt: skip

# Elements without an end tag: never wait for one.
_VOID_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    }
)  # fmt: skip

# Share and social-media button blocks that publishing systems append to the content.
_WIDGET_RE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharedaddy|social|addtoany|a2a_kit|sociable)(?:$|[\s_-])",
    re.IGNORECASE,
)

# html.unescape drops a reference to ESC but not the rest of its escape
# sequence («[2J»); as a real ESC, the sanitiser removes the whole sequence.
_ESC_REFERENCE_RE = re.compile(r"&#(?:[xX]0*1[bB]|0*27);?")
_TAG_RE = re.compile(r"<[A-Za-z!/?]")
_BLOCK_TAG_RE = re.compile(r"<(?:" + "|".join(sorted(_BLOCK_TAGS, key=len, reverse=True)) + r")[\s/>]", re.I)
_ANY_TAG_RE = re.compile(r"<[^>]*>?")
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)


def html_paragraphs(fragment: str) -> list[str]:
    """The paragraphs of plain text in an HTML fragment, sanitised, in order.

    Never raises: on markup the parser cannot follow, the tags are stripped
    and the text split on its newlines.
    """
    if not fragment or fragment.isspace():
        return []
    fragment = _ESC_REFERENCE_RE.sub("\x1b", fragment)
    if not _TAG_RE.search(fragment):
        return text_paragraphs(html.unescape(fragment))
    try:
        collector = _Collector(newlines_break=not _BLOCK_TAG_RE.search(fragment))
        collector.feed(fragment)
        collector.close()
        return collector.paragraphs()
    except Exception:  # html.parser raises on a few malformed declarations
        return text_paragraphs(html.unescape(_ANY_TAG_RE.sub(" ", _SCRIPT_RE.sub(" ", fragment))))


def text_paragraphs(text: str) -> list[str]:
    """Plain text (no markup) as sanitised paragraphs: blank lines and newlines separate them."""
    return clean_paragraphs(text)


class _Collector(HTMLParser):
    """Collects the text of a fragment as blocks, skipping what is not text."""

    def __init__(self, *, newlines_break: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._newlines_break = newlines_break
        self._blocks: list[str] = []
        self._current: list[str] = []
        self._skip_tag: str | None = None
        self._skip_depth = 0
        self._in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS:
                self._break()
            return
        if tag in _SKIPPED_TAGS or _is_widget(attrs):
            self._skip_tag, self._skip_depth = tag, 1
            return
        if tag in _BLOCK_TAGS:
            self._break()
        if tag == "pre":
            self._in_pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_tag is None and tag in _BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_tag is not None:
            if tag == self._skip_tag:
                self._skip_depth -= 1
                if self._skip_depth == 0:
                    self._skip_tag = None
            return
        if tag in _BLOCK_TAGS:
            self._break()
        if tag == "pre" and self._in_pre:
            self._in_pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip_tag is not None:
            return
        if self._in_pre:
            lines = data.split("\n")
            for i, line in enumerate(lines):
                if i:
                    self._break()
                self._current.append(line)
            return
        self._current.append(data)

    def _break(self) -> None:
        if self._current:
            self._blocks.append("".join(self._current))
            self._current.clear()

    def paragraphs(self) -> list[str]:
        self._break()
        if self._newlines_break:
            return text_paragraphs("\n\n".join(self._blocks))
        paragraphs: list[str] = []
        for block in self._blocks:
            text = " ".join(clean_text(block).split())
            if text:
                paragraphs.append(text)
        return paragraphs


def _is_widget(attrs: list[tuple[str, str | None]]) -> bool:
    return any(name in ("class", "id") and value and _WIDGET_RE.search(value) for name, value in attrs)
