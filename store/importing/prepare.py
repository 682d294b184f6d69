"""From a source to a prepared article, ready to be written.

Preparing (read, decode, parse, analyse) needs no database, so large imports
run it in worker processes on every core while the main process writes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from store.analysis.arabic import counted_index_terms, index_terms
from store.db.articles import RAW_PLAIN, pack_raw
from store.errors import InputError
from store.sources.files import SourceFile, read_source
from store.text.decode import DEFAULT_MAX_BYTES, decode_bytes
from store.text.parse import ParsedArticle, parse_article


@dataclass(slots=True)
class PreparedArticle:
    """Everything needed to store one article, computed without the database."""

    origin: str
    source_key: str
    content_hash: str
    encoding: str
    raw: bytes
    title: str
    title_from_lead: bool
    dateline: str | None
    site: str | None
    credits_json: str
    #: The paragraphs, one a line; or their UTF-8, as they come from another
    #: process (the writer stores either as text, and bytes need no encoding).
    body: str | bytes
    word_count: int
    terms: IndexTerms
    #: What ``raw`` holds: "text" (a text file), "html" (a web page), "feed" (a feed's own text).
    raw_kind: str = "text"
    url: str | None = None
    published_at: str | None = None
    author: str | None = None
    #: How ``raw`` holds the bytes: "plain" until :meth:`pack` compresses them.
    raw_codec: str = RAW_PLAIN

    def pack(self) -> None:
        """Compress the raw bytes as the library stores them (done by the
        workers, so that neither the pipe nor the writer carries them whole)."""
        if self.raw_codec == RAW_PLAIN:
            self.raw, self.raw_codec = pack_raw(self.raw)

    def to_wire(self) -> tuple[Any, ...]:
        """A plain tuple to send between processes: a third of the pickling
        cost of the dataclass, and the stem pairs as one string, not hundreds.

        The body and its index text go as UTF-8 (pickling a string encodes it
        just the same): the writer then neither decodes them from the pipe
        nor encodes them again for SQLite, a twentieth of its work.
        """
        terms = self.terms
        return (
            *(getattr(self, name) for name in _WIRE_FIELDS_BEFORE_BODY),
            _utf8(self.body),
            *(getattr(self, name) for name in _WIRE_FIELDS_AFTER_BODY),
            terms.title,
            _utf8(terms.body),
            "\n".join(terms.stem_pairs),
            terms.words,
        )

    @classmethod
    def from_wire(cls, wire: tuple[Any, ...]) -> PreparedArticle:
        *fields, title, body, pairs, words = wire
        terms = IndexTerms(title, body, tuple(pairs.split("\n")) if pairs else (), words)
        return cls(**dict(zip(_WIRE_FIELDS, fields, strict=True)), terms=terms)


_WIRE_FIELDS = (
    "origin",
    "source_key",
    "content_hash",
    "encoding",
    "raw",
    "title",
    "title_from_lead",
    "dateline",
    "site",
    "credits_json",
    "body",
    "word_count",
    "raw_kind",
    "url",
    "published_at",
    "author",
    "raw_codec",
)
_WIRE_FIELDS_BEFORE_BODY = _WIRE_FIELDS[: _WIRE_FIELDS.index("body")]
_WIRE_FIELDS_AFTER_BODY = _WIRE_FIELDS[_WIRE_FIELDS.index("body") + 1 :]


def _utf8(text: str | bytes) -> bytes:
    return text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text


#: Between a stem and its surface in IndexTerms.stem_pairs (ASCII unit separator).
PAIR_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class IndexTerms:
    """What the full-text index holds of an article, and its words' stems."""

    title: str  #: surface terms, space-separated
    #: Surface terms of the body, then of the byline (or their UTF-8, see PreparedArticle.body).
    body: str | bytes
    #: "stem<US>surface" for each word whose stem differs, sorted (cheap to send
    #: between processes, and sorted rows go into the terms table fastest).
    stem_pairs: tuple[str, ...]
    words: int  #: words in the body (without the byline)

    @property
    def columns(self) -> tuple[str, str | bytes]:
        return self.title, self.body


@dataclass(frozen=True, slots=True)
class PrepareFailure:
    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    origin: str
    content_hash: str


def _has_trailing_space(text: str) -> bool:
    """Whether some line ends in whitespace (a carriage return included).

    Line by line: a regular expression looking for it scanned every
    character, seven times slower. The last line counts too, harmlessly:
    the hash strips the text's ends anyway.
    """
    return any(line[-1:].isspace() for line in text.split("\n"))


def content_hash(text: str) -> str:
    """Identity of an article's content, independent of encoding and line ends."""
    if _has_trailing_space(text):
        text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n"))
    canonical = text.strip()
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def byline(dateline: str | None, site: str | None, credits: list[str]) -> str:
    """Where and who an article is from, as one searchable line."""
    return " ".join(part for part in (dateline, site, *credits) if part)


def fts_terms(
    title: str,
    body: str,
    dateline: str | None = None,
    site: str | None = None,
    credits: Sequence[str] = (),
    *,
    only_new_stems: bool = False,
) -> IndexTerms:
    """The index terms of an article.

    The dateline, site and credits are searched with the body («لندن» finds
    an article datelined London), after it, so body positions stay as they are.
    """
    stems: dict[str, str] = {}
    title_terms = index_terms(title, stems, only_new=only_new_stems)
    body_terms, words = counted_index_terms(body, stems, only_new=only_new_stems)
    extra = index_terms(byline(dateline, site, list(credits)), stems, only_new=only_new_stems)
    if extra:
        body_terms = f"{body_terms} {extra}" if body_terms else extra
    pairs = tuple(sorted(f"{stem}{PAIR_SEPARATOR}{surface}" for surface, stem in stems.items()))
    return IndexTerms(title_terms, body_terms, pairs, words)


def prepare_parsed(
    source: SourceFile,
    raw: bytes,
    digest: str,
    encoding: str,
    parsed: ParsedArticle,
    *,
    only_new_stems: bool = False,
) -> PreparedArticle:
    body = "\n".join(parsed.paragraphs)
    terms = fts_terms(
        parsed.title, body, parsed.dateline, parsed.site, parsed.credits, only_new_stems=only_new_stems
    )
    return PreparedArticle(
        origin=source.origin,
        source_key=source.source_key,
        content_hash=digest,
        encoding=encoding,
        raw=raw,
        title=parsed.title,
        title_from_lead=parsed.title_from_lead,
        dateline=parsed.dateline,
        site=parsed.site,
        credits_json=json.dumps(parsed.credits, ensure_ascii=False),
        body=body,
        word_count=terms.words,
        terms=terms,
    )


def parse_raw(raw: bytes, encoding: str, kind: str = "text", url: str | None = None) -> ParsedArticle:
    """An article parsed again from the raw bytes it was stored with."""
    if kind == "text":
        return parse_article(decode_bytes(raw, max_bytes=max(len(raw), 1)).text)
    if kind == "feed":
        from store.web.pages import parse_feed_raw

        return parse_feed_raw(raw)
    from store.web.extract import extract_page  # only articles from the web need it

    return extract_page(raw, url=url, charset=encoding or None)[0]


def prepare(
    source: SourceFile,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known_hashes: frozenset[str] | set[str] = frozenset(),
    *,
    only_new_stems: bool = False,
) -> PreparedArticle | PrepareFailure | AlreadyStored:
    """Read, decode, parse and analyse one source. Never raises for bad input.

    ``only_new_stems`` is for import workers: stem pairs of words this process
    has analysed before are left out (the writer has them already).
    """
    try:
        raw = read_source(source, max_bytes)
        if _is_page(source, raw):
            return _prepare_page(source, raw, known_hashes, only_new_stems)
        decoded = decode_bytes(raw, max_bytes=max_bytes)
        digest = content_hash(decoded.text)
        if digest in known_hashes:
            return AlreadyStored(source.origin, digest)
        parsed = parse_article(decoded.text)
        if not parsed.paragraphs and not parsed.title:
            raise InputError("no article text after removing boilerplate")
        return prepare_parsed(source, raw, digest, decoded.encoding, parsed, only_new_stems=only_new_stems)
    except InputError as error:
        return PrepareFailure(source.origin, str(error))
    except RecursionError:  # pragma: no cover - defensive: pathological input
        return PrepareFailure(source.origin, "text too deeply nested to parse")


_PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
_PAGE_STARTS = (b"<!doctype html", b"<html", b"<?xml", b"<head", b"<meta", b"<!--")


def _is_page(source: SourceFile, raw: bytes) -> bool:
    """A saved web page: by its name, or by bytes that are HTML."""
    if source.path is not None and os.path.splitext(source.path)[1].lower() in _PAGE_SUFFIXES:
        return True
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(_PAGE_STARTS):
        return False
    from store.web.extract import looks_like_html

    return looks_like_html(raw)


def _prepare_page(
    source: SourceFile, raw: bytes, known_hashes: frozenset[str] | set[str], only_new_stems: bool
) -> PreparedArticle | PrepareFailure | AlreadyStored:
    """A saved page: its main text and metadata extracted as for a fetched one."""
    from store.web.extract import extract_page

    parsed, meta = extract_page(raw)
    if parsed.site is None and meta.site_name:
        parsed.site = meta.site_name
    if not parsed.paragraphs and not parsed.title:
        raise InputError("no article text found in the page")
    body = "\n".join(parsed.paragraphs)
    digest = "sha256:" + hashlib.sha256(f"{parsed.title}\n{body}".encode()).hexdigest()
    if digest in known_hashes:
        return AlreadyStored(source.origin, digest)
    prepared = prepare_parsed(source, raw, digest, "", parsed, only_new_stems=only_new_stems)
    prepared.raw_kind = "html"
    prepared.url = meta.canonical_url
    prepared.published_at = meta.published_at
    prepared.author = meta.author
    return prepared
