"""Fetched feed bytes to clean entries: RSS 2.0, RSS 1.0 (RDF), Atom.

feedparser does the format work. Around it, this module:

* decodes the bytes itself and hands feedparser UTF-8 with a matching
  header. The bytes are wrapped in a stream: given bare ``bytes`` that
  happen to name a local file, ``feedparser.parse`` reads that file. The
  decoding order is a byte-order mark, then UTF-8 when the bytes are valid
  UTF-8 (legacy Arabic code pages never are), then the charset of the XML
  declaration, written by the program that wrote the feed, then that of the
  HTTP header, often a server-wide default, then UTF-8 with its few damaged
  bytes replaced, then Windows-1256. feedparser's own fallback for damaged
  UTF-8 is a guess by chardet or Windows-1252, which turns a whole Arabic
  feed into mojibake.
* removes everything before the root element but text and a bare DOCTYPE:
  the DOCTYPE's internal subset (``<!DOCTYPE rss [ … ]>``), comments,
  processing instructions. Feeds have no use for entity declarations; they
  are how entity bombs and external entities get in. feedparser drops most
  of them, but when the declarations share a line expat expands a bomb up
  to its amplification limit, tens of megabytes later, and when the strict
  parse fails, feedparser's lenient parser expands the declarations it kept
  without any limit (70 KB of feed became a 200 MB title).
* gives feedparser no base URI, so that a relative guid stays the same
  when the feed moves; links are made absolute against the feed's URL here.
* turns every field into sanitised plain text (:mod:`store.text.sanitize`),
  summaries and content into paragraphs (:mod:`store.web.html_text`), links
  into absolute http(s) URLs, dates into ISO 8601 UTC, including dates
  written with Arabic month names, which feedparser cannot read.

Problems that leave usable entries (a charset that disagrees, an XML error
read past leniently) become ``warning``; a body that holds no feed at all
becomes ``error``. :func:`parse_feed` never raises.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import hashlib
import io
import json
import re
import time
import xml.sax
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from store.text.sanitize import clean_line
from store.web.html_text import html_paragraphs, text_paragraphs

#: Content with this much text (characters, spaces included) is the full article.
FULL_TEXT_CHARS = 600
#: Content in this many paragraphs is the full article when it also has FULL_TEXT_MIN_CHARS.
FULL_TEXT_PARAGRAPHS = 3
FULL_TEXT_MIN_CHARS = 200

# Longer ids and links are stored as their hash.
_MAX_KEY_LENGTH = 1000


@dataclass(frozen=True)
class Entry:
    """One item of a feed, as plain sanitised text."""

    #: Stable identity within the feed: the id/guid, else the link, else ``sha256:`` of title and summary.
    key: str
    #: Absolute http(s) link to the article, resolved against the feed's URL.
    url: str | None
    #: One line, "" when the feed gives none.
    title: str
    author: str | None
    #: "YYYY-MM-DDTHH:MM:SSZ" from the published date, else the updated one.
    published_at: str | None
    #: Paragraphs of the summary; [] when it is the same text as the content.
    summary: list[str]
    #: Paragraphs of the full content (content:encoded, Atom content).
    content: list[str]
    categories: tuple[str, ...]
    #: Changes exactly when url, title, summary or content change.
    fingerprint: str

    @property
    def text(self) -> list[str]:
        """The best text the feed carries: the content, else the summary."""
        return self.content or self.summary

    @property
    def has_full_text(self) -> bool:
        """Whether the content looks like the whole article rather than a teaser.

        True when the content has at least FULL_TEXT_CHARS characters (about
        a hundred Arabic words), or at least FULL_TEXT_PARAGRAPHS paragraphs
        and FULL_TEXT_MIN_CHARS characters: a short news item is complete in
        three paragraphs of a sentence or two, while a teaser is one or two
        paragraphs, perhaps with a «read more» link.
        """
        chars = sum(len(p) for p in self.content)
        if chars >= FULL_TEXT_CHARS:
            return True
        return len(self.content) >= FULL_TEXT_PARAGRAPHS and chars >= FULL_TEXT_MIN_CHARS


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed; ``error`` says why it is not one, ``warning`` what was odd but read anyway."""

    title: str | None
    site_url: str | None
    entries: list[Entry]
    warning: str | None
    error: str | None


def parse_feed(body: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """The feed in ``body``, fetched from ``url`` with response ``headers``."""
    try:
        return _parse_feed(body, url, {k.lower(): v for k, v in (headers or {}).items()})
    except Exception as error:  # a bug or an exhausted resource must not stop a refresh
        return ParsedFeed(None, None, [], None, f"not a feed: it could not be read ({type(error).__name__})")


def _parse_feed(body: bytes, url: str, headers: dict[str, str]) -> ParsedFeed:
    if not body.strip():
        return ParsedFeed(None, None, [], None, "not a feed: empty answer")
    warnings: list[str] = []
    text = _decode(body, headers.get("content-type", ""), warnings)
    text = _strip_declarations(text, warnings)
    data = _with_utf8_declaration(text).encode("utf-8")
    # No base URI: feedparser would resolve relative guids against it, and
    # keys must not change when a feed moves. Links are resolved below.
    told = {"content-type": "application/xml; charset=utf-8", "content-location": ""}
    result = feedparser.parse(io.BytesIO(data), response_headers={**headers, **told})
    problem = _bozo_message(result) if result.get("bozo") else None

    if not result.get("version") and not result.entries:
        return ParsedFeed(None, None, [], None, _not_a_feed(text, headers, problem))
    if problem:
        warnings.append(f"{problem}; read leniently")

    feed = result.feed
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in result.entries:
        entry = _entry(item, url)
        if entry.key not in seen:
            seen.add(entry.key)
            entries.append(entry)
    return ParsedFeed(
        title=_title(feed) or None,
        site_url=_http_url(feed.get("link"), url),
        entries=entries,
        warning="; ".join(warnings)[:500] or None,
        error=None,
    )


# Decoding -------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# "<?" in encodings that are not ASCII-compatible, without a byte-order mark.
_WIDE_MARKERS = (
    (b"\x3c\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00\x3c", "utf-32-be"),
    (b"\x3c\x00\x3f\x00", "utf-16-le"),
    (b"\x00\x3c\x00\x3f", "utf-16-be"),
)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)


def _decode(body: bytes, content_type: str, warnings: list[str]) -> str:
    for prefix, codec in _BOMS:
        if body.startswith(prefix):
            return _decode_with(body[len(prefix) :], codec, warnings)
    for marker, codec in _WIDE_MARKERS:
        if body.startswith(marker):
            return _decode_with(body, codec, warnings)

    in_prolog = _XML_ENCODING_RE.match(body[:1024])
    prolog = _codec(in_prolog.group(1).decode("ascii"), "XML declaration", warnings) if in_prolog else None
    in_header = _CHARSET_RE.search(content_type)
    header = _codec(in_header.group(1), "HTTP header", warnings) if in_header else None
    declared = [name for name in dict.fromkeys((prolog, header)) if name is not None]

    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if declared and declared[0] not in ("utf-8", "ascii") and not text.isascii():
            warnings.append(f"declared as {declared[0]} but it is UTF-8")
        return text

    for codec in declared:
        if codec == "utf-8":
            continue
        try:
            text = body.decode(codec)
        except UnicodeDecodeError:
            warnings.append(f"declared as {codec} but not valid {codec}")
            continue
        if len(declared) > 1:
            warnings.append(f"declared as {' and as '.join(declared)}; read as {codec}")
        return text

    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    if multibyte and bad <= max(4, multibyte // 20):
        warnings.append(f"{bad} damaged UTF-8 byte sequence{'s' if bad != 1 else ''} replaced")
        return text
    warnings.append("not valid UTF-8 and no other usable charset declared; read as windows-1256")
    return body.decode("cp1256")


def _codec(name: str, where: str, warnings: list[str]) -> str | None:
    try:
        codec = codecs.lookup(name).name
        ascii_compatible = "<?xml".encode(codec, errors="replace") == b"<?xml"
    except LookupError:  # unknown, or not a text encoding (base64, rot13)
        warnings.append(f"unknown charset {clean_line(name)!r} in the {where}")
        return None
    if not ascii_compatible:  # UTF-16 and the like would have been recognised by their first bytes
        warnings.append(f"charset {codec} in the {where} does not fit the bytes")
        return None
    return "utf-8" if codec == "utf-8-sig" else codec


def _decode_with(data: bytes, codec: str, warnings: list[str]) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        warnings.append(f"damaged {codec} bytes replaced")
        return data.decode(codec, errors="replace")


_XML_DECLARATION_RE = re.compile(r"^<\?xml\s[^>]*?>")


def _with_utf8_declaration(text: str) -> str:
    """The text with an XML declaration that says UTF-8, on the line the old one was.

    feedparser prepends a declaration on its own line when there is none,
    which would put its XML error line numbers one off.
    """
    text = text.lstrip()
    declaration = '<?xml version="1.0" encoding="utf-8"?>'
    if _XML_DECLARATION_RE.match(text):
        return _XML_DECLARATION_RE.sub(declaration, text, count=1)
    return declaration + text


# DOCTYPE ---------------------------------------------------------------------

# What can stand before the root element. The root starts at the first «<»
# and ASCII letter, digit or underscore, as feedparser counts it too.
_HEAD_TOKEN_RE = re.compile(
    r"""(?P<text>[^<]+|<(?![A-Za-z0-9_!?]))
    | (?P<pi><\?.*?\?>)
    | (?P<comment><!--.*?-->)
    | (?P<doctype><!DOCTYPE\s+[^\s\[>]+(?:\s+(?:SYSTEM|PUBLIC)(?:\s*(?:"[^"]*"|'[^']*'))+)?\s*)
    | (?P<declaration><!(?:"[^"]*"|'[^']*'|[^"'>])*>?)
    | (?P<other><\?)""",
    re.DOTALL | re.IGNORECASE | re.VERBOSE,
)
_SUBSET_TOKEN_RE = re.compile(r"""\]\s*>|"[^"]*"|'[^']*'|<!--.*?-->|[^\]"'<]+|[\]<"']""", re.DOTALL)


def _strip_declarations(text: str, warnings: list[str]) -> str:
    """The document with nothing before its root element but text and a bare DOCTYPE.

    Gone are the DOCTYPE's internal subset (``[ <!ENTITY …> ]``), stray
    declarations, comments and processing instructions (the XML declaration
    is rewritten separately). feedparser hands entity declarations it finds
    at the start of a line before the root, even inside a comment, to its
    lenient parser, which expands them without any limit.
    """
    kept: list[str] = []
    pos = 0
    removed = False
    while token := _HEAD_TOKEN_RE.match(text, pos):
        kind, start, pos = token.lastgroup, token.start(), token.end()
        if kind == "text" or (kind == "pi" and start == 0 and _XML_DECLARATION_RE.match(token.group())):
            kept.append(token.group())
            continue
        if kind == "doctype":
            kept.append(token.group().rstrip() + ">")
            if text.startswith("[", pos):
                removed = True
                pos = _end_of_subset(text, pos + 1)
            elif text.startswith(">", pos):
                pos += 1
        removed = removed or kind == "declaration"
        kept.append("\n" * text.count("\n", start, pos))  # keeps XML error line numbers right
    if removed:
        warnings.append("its DOCTYPE declares entities or other markup, which were ignored")
    return "".join(kept) + text[pos:]


def _end_of_subset(text: str, pos: int) -> int:
    """Where the internal subset that starts at ``pos`` ends (past its «]>»), or the end of the text."""
    for token in _SUBSET_TOKEN_RE.finditer(text, pos):
        if token.group()[0] == "]" and token.group().endswith(">"):
            return token.end()
    return len(text)


# Errors ----------------------------------------------------------------------

_HTML_RE = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def _bozo_message(result: Any) -> str | None:
    error = result.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        return f"XML error at line {error.getLineNumber()}: {error.getMessage()}"
    if error is None:
        return None
    return clean_line(str(error))[:200] or type(error).__name__


def _not_a_feed(text: str, headers: Mapping[str, str], problem: str | None) -> str:
    if _HTML_RE.search(text[:4096]) or headers.get("content-type", "").lower().startswith("text/html"):
        return "not a feed: the server sent an HTML page"
    if re.match(r"\s*[{\[]", text):
        return "not a feed: the server sent JSON, not RSS or Atom"
    if problem:
        return f"not a feed: {problem}"
    return "not a feed: no RSS, Atom or RDF elements in the answer"


# Entries ---------------------------------------------------------------------


def _entry(item: Any, base: str) -> Entry:
    url = _http_url(item.get("link"), base)
    title = _title(item)
    summary = _paragraphs(item.get("summary_detail"))
    content: list[str] = []
    for part in item.get("content") or ():
        paragraphs = _paragraphs(part)
        if sum(map(len, paragraphs)) > sum(map(len, content)):
            content = paragraphs
    if summary == content:
        summary = []  # feedparser copies an Atom entry's content into its missing summary
    author_detail = item.get("author_detail") or {}
    author = clean_line(author_detail.get("name") or item.get("author") or "")
    return Entry(
        key=_key(item, url, title, summary),
        url=url,
        title=title,
        author=author or None,
        # dict.get: feedparser's own get() warns when it maps a missing updated_parsed to published_parsed.
        published_at=_iso_utc(dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")),
        summary=summary,
        content=content,
        categories=_categories(item.get("tags") or ()),
        fingerprint=_sha256(json.dumps([url, title, summary, content], ensure_ascii=False)),
    )


def _title(node: Any) -> str:
    detail = node.get("title_detail") or {}
    value = detail.get("value") or node.get("title") or ""
    if "html" in (detail.get("type") or ""):
        return clean_line(" ".join(html_paragraphs(value)))
    return clean_line(value)


def _paragraphs(detail: Any) -> list[str]:
    if not detail or not detail.get("value"):
        return []
    if "html" in (detail.get("type") or "text/html"):
        return html_paragraphs(detail["value"])
    return text_paragraphs(detail["value"])


def _key(item: Any, url: str | None, title: str, summary: list[str]) -> str:
    key = clean_line(item.get("id") or "") or url or clean_line(item.get("link") or "")
    if not key:
        return "sha256:" + _sha256("\n".join([title, *summary]))
    if len(key) > _MAX_KEY_LENGTH:
        return "sha256:" + _sha256(key)
    return key


def _categories(tags: Any) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for tag in tags:
        name = clean_line(tag.get("label") or tag.get("term") or "")
        if name:
            names[name] = None
    return tuple(names)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_UNSAFE_URL_CHAR_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _http_url(link: Any, base: str) -> str | None:
    """The link made absolute against ``base``, if it is an http(s) URL a terminal can show."""
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if _UNSAFE_URL_CHAR_RE.search(link):
        return None
    try:
        absolute = urljoin(base, link.replace(" ", "%20"))
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def _iso_utc(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return dt.datetime(*parsed[:6]).isoformat() + "Z"
    except (TypeError, ValueError, OverflowError):
        return None


# Arabic dates ----------------------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NORMALISE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ـ": None, "،": " ", ",": " "})
_HARAKAT_RE = re.compile("[\u064b-\u0652\u0670]")

_MONTH_NAMES = {
    1: ("يناير", "كانون الثاني", "جانفي", "جانفييه"),
    2: ("فبراير", "شباط", "فيفري", "فبرير"),
    3: ("مارس", "آذار"),
    4: ("أبريل", "ابريل", "إبريل", "نيسان", "أفريل", "ابريل"),
    5: ("مايو", "أيار", "ماي", "مايس"),
    6: ("يونيو", "يونيه", "حزيران", "جوان"),
    7: ("يوليو", "يوليه", "تموز", "جويلية", "يوليوز"),
    8: ("أغسطس", "آب", "أوت", "غشت"),
    9: ("سبتمبر", "أيلول", "شتنبر"),
    10: ("أكتوبر", "تشرين الأول", "اكتوبر"),
    11: ("نوفمبر", "تشرين الثاني", "نونبر"),
    12: ("ديسمبر", "كانون الأول", "دجنبر"),
}


def _normalise(text: str) -> str:
    return _HARAKAT_RE.sub("", text.translate(_DIGITS).translate(_NORMALISE))


def _month_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for month, names in _MONTH_NAMES.items():
        for name in names:
            name = _normalise(name)
            table[name] = month
            if " ال" in name:  # «كانون ثاني» for «كانون الثاني»
                table[name.replace(" ال", " ")] = month
    return table


_MONTHS = _month_table()
_MONTH = (
    "(?:"
    + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(_MONTHS, key=len, reverse=True))
    + ")"
)
# A second name for the same month: «كانون الأول (ديسمبر)», «ديسمبر/كانون الأول».
_MONTH_PAIR = rf"({_MONTH})(?:\s*[/(-]\s*{_MONTH}\s*\)?)?(?![\u0621-\u064a])"
_DAY_MONTH_YEAR_RE = re.compile(rf"(?<!\d)(\d{{1,2}})\s*[-/.]?\s*{_MONTH_PAIR}\s*[-/.]?\s*(\d{{4}})(?!\d)")
_MONTH_DAY_YEAR_RE = re.compile(rf"{_MONTH_PAIR}\s*(\d{{1,2}})\s+(\d{{4}})(?!\d)")
_TIME_RE = re.compile(
    r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*"
    r"(?:(ص|صباحا|صباحاً|am|a\.m\.)|(م|مساء|مساءً|مساءا|pm|p\.m\.))?(?![\u0621-\u064a])",
    re.IGNORECASE,
)
_ZONE_RE = re.compile(r"\s*(?:(?:GMT|UTC)\s*)?(?:([+-])(\d{1,2})(?::?(\d{2}))?)?", re.IGNORECASE)
_ARABIC_RE = re.compile("[\u0600-\u06ff]")


def parse_arabic_date(value: str) -> time.struct_time | None:
    """A date written with Arabic month names or Arabic-Indic digits, in UTC.

    «الثلاثاء، ٣ ديسمبر ٢٠٢٦ ١٤:٠٥ GMT», «3 كانون الأول 2026», «ديسمبر 3، 2026
    10:30 م +03:00». Without a time zone the time is taken as UTC; without a
    time, midnight. None for anything else.
    """
    if not _ARABIC_RE.search(value):
        return None
    text = _normalise(value)
    if found := _DAY_MONTH_YEAR_RE.search(text):
        day, name, year = found.group(1, 2, 3)
    elif found := _MONTH_DAY_YEAR_RE.search(text):
        name, day, year = found.group(1, 2, 3)
    else:
        return _parse_latin_date(text)
    month = _MONTHS[" ".join(name.split())]
    hour = minute = second = 0
    offset = dt.timedelta(0)
    clock = _TIME_RE.search(text, found.end())
    if clock:
        hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
        if clock.group(5) and hour < 12:
            hour += 12
        elif clock.group(4) and hour == 12:
            hour = 0
        zone = _ZONE_RE.match(text, clock.end())
        if zone and zone.group(1):
            sign = -1 if zone.group(1) == "-" else 1
            offset = sign * dt.timedelta(hours=int(zone.group(2)), minutes=int(zone.group(3) or 0))
    try:
        local = dt.datetime(int(year), month, int(day), hour, minute, second, tzinfo=dt.timezone(offset))
    except ValueError:
        return None
    return local.astimezone(dt.UTC).timetuple()


def _parse_latin_date(text: str) -> time.struct_time | None:
    """An RFC 822 or ISO 8601 date that was written with Arabic-Indic digits."""
    if _ARABIC_RE.search(text):
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC).timetuple()


feedparser.registerDateHandler(parse_arabic_date)
