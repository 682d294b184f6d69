"""A worker process: ``python -m store.importing.worker``, started by
:mod:`store.importing.parallel`.

It reads a setup message, then tasks ``(number, kind, payload)`` from its
standard input, and writes ``(number, ok, result)`` for each to its standard
output, until the end of its input. It holds no database connection and no
descriptor but its own pipes, and it ends with the process that started it.

The setup message may name modules to import before the first task
(``preload``).

Kinds of task:

- ``prepare``: a chunk of source files → their prepared articles (an import);
- ``page``: a fetched web page or a feed entry → its prepared article (a refresh);
- ``feed``: a fetched feed's bytes, URL and headers → the parsed feed (a refresh).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from store.importing.parallel import Wire, receive, send, source_from_wire
from store.importing.prepare import PreparedArticle, PrepareFailure, prepare
from store.sources.files import SourceFile


def main() -> int:
    _die_with_parent()
    # Ctrl-C is the parent's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tasks = sys.stdin.buffer
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not break the pipe's messages
    if os.environ.get("READER_NICE_WORKERS", "1") == "1":
        # The writer is the pipeline's narrowest point: let it have the CPU first.
        with contextlib.suppress(OSError):
            os.nice(5)
    try:
        _, setup = receive(tasks)
        for module in setup.get("preload", ()):
            # What the first task would import, imported while the parent prepares it
            # (a module that fails here fails that task, with its reason).
            with contextlib.suppress(Exception):
                importlib.import_module(module)
        while True:
            _, number, kind, payload = receive(tasks)
            try:
                answer = (number, True, KINDS[kind](payload, setup))
            except Exception as error:  # a bug in one task must not end the others
                answer = (number, False, f"{type(error).__name__}: {error}")
            send(results, answer)
    except (EOFError, BrokenPipeError):
        return 0  # no more work, or the parent has gone: either way, leave


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies; leave if it already has."""
    parent = int(os.environ.get("READER_PARENT_PID", "0") or 0)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if parent and os.getppid() != parent:
        os._exit(0)  # the parent died before the request above took effect


def _prepare_chunk(wires: list[Any], setup: dict[str, Any]) -> list[Wire]:
    max_bytes, known = setup["max_bytes"], setup["known"]
    return [_prepare_wire(source_from_wire(wire), max_bytes, known) for wire in wires]


def _prepare_wire(source: SourceFile, max_bytes: int, known: frozenset[str]) -> Wire:
    # Each worker sends a word's stem pair once per import (the first time it
    # analyses the word): after the first articles almost nothing is left to
    # send, or for the writer to unpickle.
    try:
        result = prepare(source, max_bytes, known, only_new_stems=True)
    except Exception as error:  # pragma: no cover - a bug must not stop the import
        return PrepareFailure(source.origin, f"could not be read ({type(error).__name__}: {error})")
    if not isinstance(result, PreparedArticle):
        return result
    result.pack()  # compressed here, on every core, not by the single writer
    return result.to_wire()


def _prepare_page(payload: Any, setup: dict[str, Any]) -> Any:
    from store.web.pages import prepare_page

    wire = prepare_page(payload)
    if not isinstance(wire, tuple):
        return wire
    prepared = PreparedArticle.from_wire(wire)
    prepared.pack()
    return prepared.to_wire()


def _parse_feed(payload: Any, setup: dict[str, Any]) -> Any:
    from store.web.feeds import parse_feed

    body, url, headers = payload
    return parse_feed(body, url=url, headers=headers)


KINDS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "prepare": _prepare_chunk,
    "page": _prepare_page,
    "feed": _parse_feed,
}

if __name__ == "__main__":
    sys.exit(main())
