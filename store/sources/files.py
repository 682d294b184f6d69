"""Article files on disk: walking folders and reading files, safely.

Walking folders never follows a symlink loop forever, reports unreadable
paths, and never reads the library's own files. Reading refuses huge and
non-regular files (FIFOs, devices) before it reads a byte.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from store.errors import InputError
from store.text.sanitize import visible_controls


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to import: how the user named it, and how we recognise it again."""

    origin: str
    source_key: str
    #: The file to read, as a plain string: a Path for each of 100,000 files
    #: cost 40 MB and a third of the walk.
    path: str | None = None
    #: For bundled seeds, the bytes themselves.
    data: bytes | None = None


@dataclass(frozen=True, slots=True)
class WalkProblem:
    origin: str
    reason: str


def read_source(source: SourceFile, max_bytes: int) -> bytes:
    """The bytes of a source, refusing huge and non-regular files before reading."""
    if source.data is not None:
        return source.data
    assert source.path is not None
    try:
        info = os.stat(source.path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file")
        if info.st_size > max_bytes:
            raise InputError(
                "file too large ({size:,} bytes; the limit is {limit:,}, set READER_MAX_BYTES to change it)",
                size=info.st_size,
                limit=max_bytes,
            )
        with open(source.path, "rb") as handle:
            # Sized by the file: a read of max_bytes would allocate that much first
            # (5 MB for every file, most of an import's reading time). Read on if
            # the file holds more than its size said (it grew, or it is a /proc file).
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(max_bytes + 1 - len(data))
            return data
    except PermissionError:
        raise InputError("cannot read: permission denied") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a folder") from None
    except OSError as error:
        raise InputError("cannot read: {reason}", reason=error.strerror or error) from None


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
            yield from _walk_folder(given, os.fspath(path), visited, exclude)
        elif _source_key(path) in exclude:
            yield WalkProblem(visible_controls(given), "this is the library file itself, not an article")
        else:
            yield SourceFile(visible_controls(given), _source_key(path), os.fspath(path))


def _walk_folder(
    origin: str, folder: str, visited: set[tuple[int, int]], exclude: frozenset[str]
) -> Iterator[SourceFile | WalkProblem]:
    try:
        info = os.stat(folder)
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
        child = entry.path
        if child_origin == child:
            child_origin = child  # one string for both, not two
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
            if not os.path.exists(child):
                yield WalkProblem(child_origin, "broken symlink")
            elif _source_key(child) not in exclude:
                yield SourceFile(child_origin, _source_key(child), child)
        else:
            # A plain file: its real path is its folder's plus its name (no lstat per part).
            real = os.path.join(resolved, entry.name)
            if real not in exclude:
                yield SourceFile(child_origin, real, child)


def _source_key(path: str | Path) -> str:
    path = Path(path)
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())
