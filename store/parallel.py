"""Preparing many files on every core, results in file order.

Forked workers inherit the list of sources. Each takes the next chunk of it
from a shared counter, prepares it, and sends the chunk's results down its
own pipe as one message; a thread in the writer empties the pipes and the
chunks are put back in order. No task queue, no per-result bookkeeping: in a
process pool those cost about a tenth of a millisecond of CPU per article, a
tenth of an import.

Where processes cannot be forked, a process pool does the same work.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized
from typing import Any, cast

from store.analysis import reset_cache
from store.errors import LibraryError
from store.ingest import AlreadyStored, PreparedArticle, PrepareFailure, SourceFile, prepare

#: Sources per message between a worker and the writer.
CHUNK = 32
#: Room in each pipe for a few chunks, so a worker rarely waits for the writer.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux
#: Chunks received ahead of the one the writer needs (bounds the memory used).
AHEAD = 64

Prepared = PreparedArticle | PrepareFailure | AlreadyStored
Wire = tuple[Any, ...] | PrepareFailure | AlreadyStored


def prepare_in_parallel(
    sources: list[SourceFile], workers: int, max_bytes: int, known: frozenset[str]
) -> Iterator[Prepared]:
    """Every source prepared, in order, by ``workers`` processes."""
    if not hasattr(os, "fork"):
        yield from _pooled(sources, workers, max_bytes, known)
        return
    context = multiprocessing.get_context("fork")
    next_chunk = context.Value("q", 0)
    pipes: list[Connection] = []
    processes = []
    try:
        for _ in range(workers):
            receiving, sending = context.Pipe(duplex=False)
            _widen(sending)
            process = context.Process(
                target=_work,
                args=(sources, next_chunk, max_bytes, known, sending, tuple(pipes)),
                daemon=True,
            )
            process.start()
            sending.close()  # the writer's copy: EOF when the worker ends
            pipes.append(receiving)
            processes.append(process)
        yield from _in_order(pipes, (len(sources) + CHUNK - 1) // CHUNK)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
        for pipe in pipes:
            pipe.close()


def _widen(pipe: Connection) -> None:
    import fcntl  # POSIX only, as fork is

    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), _F_SETPIPE_SZ, PIPE_BYTES)


def _in_order(pipes: list[Connection], chunks: int) -> Iterator[Prepared]:
    """The chunks' results in chunk order, whichever worker sends which.

    A thread empties the pipes as messages arrive, so workers keep working
    while the writer is busy in SQLite (which lets go of the GIL meanwhile).
    """
    arrived: queue.Queue[tuple[int, list[Wire]] | None] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    receiver = threading.Thread(target=_receive, args=(pipes, arrived, stop), daemon=True)
    receiver.start()
    waiting: dict[int, list[Wire]] = {}
    try:
        for wanted in range(chunks):
            while wanted not in waiting:
                message = arrived.get()
                if message is None:
                    raise LibraryError(
                        "an import worker stopped unexpectedly; what was imported before it is kept, "
                        "import again to add the rest"
                    )
                waiting[message[0]] = message[1]
            for wire in waiting.pop(wanted):
                yield PreparedArticle.from_wire(wire) if isinstance(wire, tuple) else wire
    finally:
        stop.set()
        with contextlib.suppress(queue.Empty):
            while True:  # unblock a receiver waiting for room
                arrived.get_nowait()


def _receive(
    pipes: list[Connection],
    arrived: queue.Queue[tuple[int, list[Wire]] | None],
    stop: threading.Event,
) -> None:
    live = list(pipes)
    try:
        while live and not stop.is_set():
            for ready in wait(live, timeout=0.5):
                pipe = cast(Connection, ready)
                try:
                    message = pipe.recv()
                except (EOFError, OSError):
                    live.remove(pipe)
                else:
                    while not stop.is_set():
                        with contextlib.suppress(queue.Full):
                            arrived.put(message, timeout=0.5)
                            break
    finally:
        if not stop.is_set():
            arrived.put(None)  # every worker is gone: no more chunks will come


def _work(
    sources: list[SourceFile],
    next_chunk: Synchronized[int],
    max_bytes: int,
    known: frozenset[str],
    pipe: Connection,
    others: tuple[Connection, ...],
) -> None:
    """A worker's life: take the next chunk, prepare it, send it; until none is left."""
    for inherited in others:
        inherited.close()  # earlier workers' pipes: only the writer reads them
    _start_worker()
    with contextlib.suppress(BrokenPipeError):  # the writer stopped: so do we
        while True:
            with next_chunk.get_lock():
                number = next_chunk.value
                next_chunk.value = number + 1
            start = number * CHUNK
            if start >= len(sources):
                break
            chunk = sources[start : start + CHUNK]
            pipe.send((number, [_prepare_wire(source, max_bytes, known) for source in chunk]))
    pipe.close()


def _start_worker() -> None:
    # Ctrl-C is the writer's to handle: it stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    reset_cache()  # forked from the writer: start with no word marked as sent
    if os.environ.get("READER_NICE_WORKERS", "1") == "1":
        # The writer is the pipeline's narrowest point: let it have the CPU first.
        with contextlib.suppress(OSError):
            os.nice(5)


def _prepare_wire(source: SourceFile, max_bytes: int, known: frozenset[str]) -> Wire:
    # Each worker sends a word's stem pair once per import (the first time it
    # analyses the word): after the first articles almost nothing is left to
    # send, or for the writer to unpickle.
    try:
        result = prepare(source, max_bytes, known, only_new_stems=True)
    except Exception as error:  # pragma: no cover - a bug must not stop the import
        return PrepareFailure(source.origin, f"could not be read ({type(error).__name__}: {error})")
    return result.to_wire() if isinstance(result, PreparedArticle) else result


# Without fork: a pool, its workers set up the same way.
_pool_max_bytes = 0
_pool_known: frozenset[str] = frozenset()


def _pooled(
    sources: list[SourceFile], workers: int, max_bytes: int, known: frozenset[str]
) -> Iterator[Prepared]:  # pragma: no cover - platforms without fork
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_pool_worker, initargs=(max_bytes, known)) as pool:
        for wire in pool.imap(_prepare_in_pool, sources, chunksize=CHUNK):
            yield PreparedArticle.from_wire(wire) if isinstance(wire, tuple) else wire


def _start_pool_worker(max_bytes: int, known: frozenset[str]) -> None:  # pragma: no cover
    global _pool_max_bytes, _pool_known
    _pool_max_bytes, _pool_known = max_bytes, known
    _start_worker()


def _prepare_in_pool(source: SourceFile) -> Wire:  # pragma: no cover
    return _prepare_wire(source, _pool_max_bytes, _pool_known)
