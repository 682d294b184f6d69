"""From paths on disk to prepared articles, ready to be written.

Walking folders never follows a symlink loop forever and reports unreadable
paths. Preparing a file (read, decode, parse, analyse) needs no database, so
large imports run it in worker processes on every core while the main
process writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from store.analysis import counted_index_terms, index_terms
from store.decode import DEFAULT_MAX_BYTES, decode_bytes
from store.errors import InputError
from store.parse import ParsedArticle, parse_article
from store.sanitize import visible_controls


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to import: how the user named it, and how we recognise it again."""

    origin: str
    source_key: str
    path: Path | None = None
    #: For bundled seeds, the bytes themselves.
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class WalkProblem:
    origin: str
    reason: str


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
    body: str
    word_count: int
    terms: IndexTerms

    def to_wire(self) -> tuple[Any, ...]:
        """A plain tuple to send between processes: a third of the pickling
        cost of the dataclass, and the stem pairs as one string, not hundreds."""
        terms = self.terms
        return (
            *(getattr(self, name) for name in _WIRE_FIELDS),
            terms.title,
            terms.body,
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
)

#: Between a stem and its surface in IndexTerms.stem_pairs (ASCII unit separator).
PAIR_SEPARATOR = "\x1f"


@dataclass(frozen=True, slots=True)
class IndexTerms:
    """What the full-text index holds of an article, and its words' stems."""

    title: str  #: surface terms, space-separated
    body: str  #: surface terms of the body, then of the byline
    #: "stem<US>surface" for each word whose stem differs, sorted (cheap to send
    #: between processes, and sorted rows go into the terms table fastest).
    stem_pairs: tuple[str, ...]
    words: int  #: words in the body (without the byline)

    @property
    def columns(self) -> tuple[str, str]:
        return self.title, self.body


@dataclass(frozen=True, slots=True)
class PrepareFailure:
    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    origin: str
    content_hash: str


# Whitespace at the end of a line (other than the line break itself).
_TRAILING_SPACE_RE = re.compile(r"[^\S\n]\n")


def content_hash(text: str) -> str:
    """Identity of an article's content, independent of encoding and line ends."""
    if _TRAILING_SPACE_RE.search(text):
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


def read_source(source: SourceFile, max_bytes: int) -> bytes:
    """The bytes of a source, refusing huge and non-regular files before reading."""
    if source.data is not None:
        return source.data
    assert source.path is not None
    try:
        info = source.path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size > max_bytes:
            raise InputError(
                f"file too large ({info.st_size:,} bytes; the limit is {max_bytes:,}, "
                "set READER_MAX_BYTES to change it)"
            )
        with source.path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except PermissionError:
        raise InputError("cannot read: permission denied") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}") from None


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


def walk(paths: Iterable[str], exclude: Collection[str] = ()) -> Iterator[SourceFile | WalkProblem]:
    """Files under the given paths, in a stable order.

    Folders are walked recursively (sorted by name). Hidden files and folders
    inside them (``.git``, ``.DS_Store``) are skipped; a hidden file named on
    the command line is imported. A folder reached twice through symlinks is reported
    once as a loop and not entered again. Files whose real path is in
    ``exclude`` (the library and its -wal and -shm files: reading them with
    Python would drop SQLite's locks) are never read: skipped inside folders,
    refused when named.
    """
    visited: set[tuple[int, int]] = set()
    exclude = frozenset(exclude)
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except FileNotFoundError:
            kind = "broken symlink" if path.is_symlink() else "no such file or folder"
            yield WalkProblem(visible_controls(given), kind)
            continue
        except PermissionError:
            yield WalkProblem(visible_controls(given), "cannot read: permission denied")
            continue
        except OSError as error:
            reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
            yield WalkProblem(visible_controls(given), reason)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(given, path, visited, exclude)
        elif _source_key(path) in exclude:
            yield WalkProblem(visible_controls(given), "this is the library file itself, not an article")
        else:
            yield SourceFile(visible_controls(given), _source_key(path), path)


def _walk_folder(
    origin: str, folder: Path, visited: set[tuple[int, int]], exclude: frozenset[str]
) -> Iterator[SourceFile | WalkProblem]:
    try:
        info = folder.stat()
    except OSError as error:
        reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
        yield WalkProblem(origin, reason)
        return
    key = (info.st_dev, info.st_ino)
    if key in visited:
        yield WalkProblem(visible_controls(origin), "symlink loop (folder already visited)")
        return
    visited.add(key)
    resolved = _source_key(folder)
    try:
        with os.scandir(folder) as entries:
            children = sorted(entries, key=lambda entry: entry.name)
    except PermissionError:
        yield WalkProblem(origin, "cannot read folder: permission denied")
        return
    except OSError as error:
        yield WalkProblem(origin, f"cannot read folder: {error.strerror or error}")
        return
    for entry in children:
        # File names can carry escape sequences too: keep them visible, inert.
        child_origin = visible_controls(os.path.join(origin, entry.name))
        child = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError as error:
            reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
            yield WalkProblem(child_origin, reason)
            continue
        if entry.name.startswith("."):
            continue  # hidden files and folders (.git, .DS_Store) are not articles
        if is_dir:
            yield from _walk_folder(child_origin, child, visited, exclude)
        elif entry.is_symlink():
            if not child.exists():
                yield WalkProblem(child_origin, "broken symlink")
            elif _source_key(child) not in exclude:
                yield SourceFile(child_origin, _source_key(child), child)
        else:
            # A plain file: its real path is its folder's plus its name (no lstat per part).
            real = os.path.join(resolved, entry.name)
            if real not in exclude:
                yield SourceFile(child_origin, real, child)


def _source_key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())
