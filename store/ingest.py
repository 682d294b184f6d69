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
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from store.analysis import index_terms
from store.decode import DEFAULT_MAX_BYTES, decode_bytes
from store.errors import InputError
from store.parse import ParsedArticle, parse_article


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
    terms: tuple[str, str, str, str]  # title, body, title_stem, body_stem


@dataclass(frozen=True, slots=True)
class PrepareFailure:
    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class AlreadyStored:
    origin: str
    content_hash: str


def content_hash(text: str) -> str:
    """Identity of an article's content, independent of encoding and line ends."""
    canonical = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
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
) -> tuple[str, str, str, str]:
    """The four FTS5 column values of an article.

    The dateline, site and credits are searched with the body («لندن» finds
    an article datelined London), after it, so body positions stay as they are.
    """
    title_surface, title_stem = index_terms(title)
    body_surface, body_stem = index_terms(body + "\n" + byline(dateline, site, list(credits)))
    return title_surface, body_surface, title_stem, body_stem


def prepare_parsed(
    source: SourceFile, raw: bytes, text: str, encoding: str, parsed: ParsedArticle
) -> PreparedArticle:
    body = "\n".join(parsed.paragraphs)
    return PreparedArticle(
        origin=source.origin,
        source_key=source.source_key,
        content_hash=content_hash(text),
        encoding=encoding,
        raw=raw,
        title=parsed.title,
        title_from_lead=parsed.title_from_lead,
        dateline=parsed.dateline,
        site=parsed.site,
        credits_json=json.dumps(parsed.credits, ensure_ascii=False),
        body=body,
        word_count=parsed.word_count,
        terms=fts_terms(parsed.title, body, parsed.dateline, parsed.site, parsed.credits),
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
) -> PreparedArticle | PrepareFailure | AlreadyStored:
    """Read, decode, parse and analyse one source. Never raises for bad input."""
    try:
        raw = read_source(source, max_bytes)
        decoded = decode_bytes(raw, max_bytes=max_bytes)
        digest = content_hash(decoded.text)
        if digest in known_hashes:
            return AlreadyStored(source.origin, digest)
        parsed = parse_article(decoded.text)
        if not parsed.paragraphs and not parsed.title:
            raise InputError("no article text after removing boilerplate")
        return prepare_parsed(source, raw, decoded.text, decoded.encoding, parsed)
    except InputError as error:
        return PrepareFailure(source.origin, str(error))
    except RecursionError:  # pragma: no cover - defensive: pathological input
        return PrepareFailure(source.origin, "text too deeply nested to parse")


def walk(paths: Iterable[str]) -> Iterator[SourceFile | WalkProblem]:
    """Files under the given paths, in a stable order.

    Folders are walked recursively (sorted by name). Hidden folders such as
    ``.git`` are skipped. A folder reached twice through symlinks is reported
    once as a loop and not entered again.
    """
    visited: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except FileNotFoundError:
            kind = "broken symlink" if path.is_symlink() else "no such file or folder"
            yield WalkProblem(given, kind)
            continue
        except PermissionError:
            yield WalkProblem(given, "cannot read: permission denied")
            continue
        except OSError as error:
            reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
            yield WalkProblem(given, reason)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk_folder(given, path, visited)
        else:
            yield SourceFile(given, _source_key(path), path)


def _walk_folder(
    origin: str, folder: Path, visited: set[tuple[int, int]]
) -> Iterator[SourceFile | WalkProblem]:
    try:
        info = folder.stat()
    except OSError as error:
        reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
        yield WalkProblem(origin, reason)
        return
    key = (info.st_dev, info.st_ino)
    if key in visited:
        yield WalkProblem(origin, "symlink loop (folder already visited)")
        return
    visited.add(key)
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
        child_origin = os.path.join(origin, entry.name)
        child = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError as error:
            reason = "symlink loop" if error.errno == 40 else (error.strerror or str(error))
            yield WalkProblem(child_origin, reason)
            continue
        if is_dir:
            if entry.name.startswith("."):
                continue
            yield from _walk_folder(child_origin, child, visited)
        elif entry.is_symlink() and not child.exists():
            yield WalkProblem(child_origin, "broken symlink")
        else:
            yield SourceFile(child_origin, _source_key(child), child)


def _source_key(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())
