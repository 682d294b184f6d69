"""A feed entry, with its page when there is one, made into a prepared article.

This runs in worker processes (extraction is CPU-bound): the task is plain
data, the answer a prepared article's wire tuple. With the page's bytes, the
main text and metadata come from the page (and the page is kept as the raw
bytes, so ``reader reparse`` can extract it again); without them, the feed's
own text is the article. Either way the text goes through the same parser
as files: datelines, credits, "read more" blocks and repeats.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from store.importing.prepare import PreparedArticle, PrepareFailure, fts_terms
from store.text.parse import ParsedArticle, parse_page

#: Query parameters that only track where a reader came from.
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ref_src", "cmpid", "ocid")


@dataclass(frozen=True)
class PageTask:
    """What a worker needs to prepare one entry."""

    title: str
    url: str | None
    author: str | None
    published_at: str | None
    text: tuple[str, ...]  #: the feed's own paragraphs
    page: bytes | None = None  #: the fetched page, if any
    charset: str | None = None  #: from the page's HTTP headers
    final_url: str | None = None  #: where the page was fetched from, after redirects
    origin: str | None = None  #: how the entry is named in reports (its URL)


def canonical_url(url: str) -> str:
    """A link as an identity: lower-case scheme and host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith(_TRACKING)]
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != (80 if scheme == "http" else 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def source_key(url: str) -> str:
    return "web:" + canonical_url(url)


def prepare_page(task: PageTask) -> tuple[object, ...] | PrepareFailure:
    """The entry as a prepared article's wire tuple (or why it cannot be one)."""
    origin = task.origin or task.url or task.title
    published, author, site, url = task.published_at, task.author, None, task.url
    if task.page:
        from store.web.extract import extract_page

        parsed, meta = extract_page(
            task.page,
            url=task.final_url or task.url,
            charset=task.charset,
            fallback_title=task.title,
            fallback_text=task.text,
        )
        raw, kind, encoding = task.page, "html", task.charset or ""
        published = published or meta.published_at
        author = author or meta.author
        site = meta.site_name
        if meta.canonical_url and _same_site(meta.canonical_url, task.url):
            url = meta.canonical_url
    else:
        parsed = parse_page(task.title, list(task.text))
        raw, kind, encoding = feed_raw(task.title, task.text), "feed", "utf-8"
    if not parsed.paragraphs and not parsed.title:
        return PrepareFailure(origin, "no article text in the entry or its page")
    return _prepared(parsed, task, origin, raw, kind, encoding, url, published, author, site).to_wire()


def feed_raw(title: str, paragraphs: tuple[str, ...] | list[str]) -> bytes:
    """The raw bytes kept for an article made from a feed's own text."""
    return "\n".join([title, *paragraphs]).encode("utf-8")


def parse_feed_raw(raw: bytes) -> ParsedArticle:
    title, _, rest = raw.decode("utf-8", errors="replace").partition("\n")
    return parse_page(title, [line for line in rest.split("\n") if line.strip()])


def _same_site(canonical: str, link: str | None) -> bool:
    if not link:
        return True
    return (urlsplit(canonical).hostname or "").removeprefix("www.") == (
        urlsplit(link).hostname or ""
    ).removeprefix("www.")


def _prepared(
    parsed: ParsedArticle,
    task: PageTask,
    origin: str,
    raw: bytes,
    kind: str,
    encoding: str,
    url: str | None,
    published: str | None,
    author: str | None,
    site: str | None,
) -> PreparedArticle:
    body = "\n".join(parsed.paragraphs)
    site = parsed.site or site
    terms = fts_terms(parsed.title, body, parsed.dateline, site, parsed.credits)
    digest = hashlib.sha256(f"{parsed.title}\n{body}".encode()).hexdigest()
    return PreparedArticle(
        origin=origin,
        source_key=source_key(url) if url else "web:entry:" + digest,
        content_hash="sha256:" + digest,
        encoding=encoding,
        raw=raw,
        title=parsed.title,
        title_from_lead=parsed.title_from_lead,
        dateline=parsed.dateline,
        site=site,
        credits_json=json.dumps(parsed.credits, ensure_ascii=False),
        body=body,
        word_count=terms.words,
        terms=terms,
        raw_kind=kind,
        url=url,
        published_at=published,
        author=author,
    )
