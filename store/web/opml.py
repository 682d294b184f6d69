"""Subscriptions to and from OPML, the format every feed reader exports.

Readers nest feeds in folders (``<outline>`` inside ``<outline>``); Qari
keeps one category per feed, the folder path joined with " / ". Reading
flattens the folders into that path, writing nests them again, one level
per part, so a round trip keeps url, title, site and category.

OPML files come from anywhere, so they are parsed with defusedxml: a file
whose DOCTYPE declares entities (an entity bomb, an external entity) is
refused with a problem, not expanded. Bad entries (no ``xmlUrl``, not
http(s), a duplicate) are skipped with a one-line problem each; the rest of
the file is still read. Attribute names are matched without regard to case
(``xmlUrl``, ``xmlurl``), since exporters disagree.
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, EntitiesForbidden

from store.text.sanitize import clean_line

#: Separator between the folder names of a category.
CATEGORY_SEPARATOR = " / "

# Shown problems quote at most this much of a title or URL.
_QUOTE_MAX = 120
# Characters XML 1.0 cannot carry at all; the sanitiser leaves some of them.
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FEED_TYPES = ("rss", "atom", "rdf")


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    title: str | None
    site_url: str | None
    category: str | None


def read_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds in an OPML file, and one-line problems for what was skipped."""
    if not data.strip():
        return [], ["not an OPML file: it is empty"]
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden:
        return [], ["not an OPML file: it declares XML entities, which are refused for safety"]
    except DefusedXmlException:
        return [], ["not an OPML file: it refers to external XML resources, which are refused for safety"]
    except ET.ParseError as error:
        line, column = error.position
        reason = clean_line(str(error).split(":")[0])
        return [], [f"not an OPML file: XML error at line {line}, column {column + 1}: {reason}"]
    except Exception as error:  # e.g. an encoding the XML parser does not know
        return [], [f"not an OPML file: {clean_line(str(error))[:_QUOTE_MAX] or type(error).__name__}"]
    if _local_name(root.tag) != "opml":
        return [], [f"not an OPML file: the root element is <{clean_line(_local_name(root.tag))[:40]}>"]
    body = next((child for child in root if _local_name(child.tag) == "body"), None)
    if body is None:
        return [], ["not an OPML file: it has no <body>"]

    feeds: list[OpmlFeed] = []
    problems: list[str] = []
    seen: set[str] = set()
    # Depth-first, in document order, without recursion: nesting depth is up to the file.
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [
        (child, ()) for child in reversed(list(body)) if _local_name(child.tag) == "outline"
    ]
    while stack:
        outline, path = stack.pop()
        attrs = {name.lower(): value for name, value in outline.attrib.items()}
        name = clean_line(attrs.get("title") or attrs.get("text") or "")
        children = [child for child in outline if _local_name(child.tag) == "outline"]
        if "xmlurl" in attrs:
            feed, problem = _feed(attrs, name, path)
            if problem:
                problems.append(problem)
            elif feed and feed.url in seen:
                problems.append(f"duplicate: {_quote(feed.url)} (the first one is kept)")
            elif feed:
                seen.add(feed.url)
                feeds.append(feed)
        elif attrs.get("type", "").lower() in _FEED_TYPES or "htmlurl" in attrs:
            problems.append(f"no xmlUrl: {_quote(name or attrs.get('htmlurl') or '(untitled outline)')}")
        child_path = (*path, name) if name else path
        stack.extend((child, child_path) for child in reversed(children))
    return feeds, problems


def _feed(attrs: dict[str, str], name: str, path: tuple[str, ...]) -> tuple[OpmlFeed | None, str | None]:
    if not attrs["xmlurl"].strip():
        return None, f"no xmlUrl: {_quote(name or '(untitled outline)')}"
    url = _http_url(attrs["xmlurl"])
    if url is None:
        return None, f"not an http(s) feed address: {_quote(attrs['xmlurl'])}"
    title = name if name and name != url else None
    category = CATEGORY_SEPARATOR.join(path) if path else _category_attribute(attrs.get("category", ""))
    return OpmlFeed(url, title, _http_url(attrs.get("htmlurl", "")), category), None


def _http_url(value: str) -> str | None:
    url = value.strip()
    if url.lower().startswith("feed:"):  # feed://host/… and feed:https://host/…
        url = url[5:] if url[5:].lower().startswith(("http://", "https://")) else "http:" + url[5:]
    if not url or clean_line(url) != url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def _category_attribute(value: str) -> str | None:
    """The first path of an OPML 2.0 ``category`` attribute ("/News/Sport,/Other")."""
    first = value.split(",")[0]
    parts = [clean_line(part) for part in first.split("/")]
    return CATEGORY_SEPARATOR.join(part for part in parts if part) or None


def _local_name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _quote(text: str) -> str:
    text = clean_line(text)
    return text if len(text) <= _QUOTE_MAX else text[: _QUOTE_MAX - 1] + "…"


# Writing ---------------------------------------------------------------------


@dataclass
class _Folder:
    name: str
    items: list[_Folder | OpmlFeed] = field(default_factory=list)
    folders: dict[str, _Folder] = field(default_factory=dict)


def write_opml(feeds: Iterable[OpmlFeed], *, title: str = "Qari subscriptions") -> str:
    """OPML 2.0 for ``feeds``, folders nested by category, in the order given.

    The text is meant to be saved as UTF-8, which its declaration states.
    """
    top = _Folder("")
    for feed in feeds:
        folder = top
        for part in (feed.category or "").split(CATEGORY_SEPARATOR):
            part = _xml_text(part)
            if not part:
                continue
            if part not in folder.folders:
                folder.folders[part] = _Folder(part)
                folder.items.append(folder.folders[part])
            folder = folder.folders[part]
        folder.items.append(feed)

    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    ET.SubElement(head, "dateCreated").text = email.utils.formatdate(usegmt=True)
    _write_items(ET.SubElement(root, "body"), top)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _write_items(parent: ET.Element, folder: _Folder) -> None:
    for item in folder.items:
        if isinstance(item, _Folder):
            _write_items(ET.SubElement(parent, "outline", text=item.name, title=item.name), item)
            continue
        url = _xml_text(item.url)
        title = _xml_text(item.title or "")
        attrs = {"type": "rss", "text": title or url}
        if title:
            attrs["title"] = title
        attrs["xmlUrl"] = url
        if item.site_url:
            attrs["htmlUrl"] = _xml_text(item.site_url)
        ET.SubElement(parent, "outline", attrs)


def _xml_text(text: str) -> str:
    """One line of text that XML can carry and a terminal can show."""
    return _NOT_XML_RE.sub("", clean_line(text))
