"""Preparing many files on every core, results in file order.

The workers are fresh Python processes (``python -m store.importing.worker``), never
forks of the importing process: a fork would inherit the library's SQLite
descriptors and locks' bookkeeping, and pipe ends it has no business holding.
Each worker gets only its own two pipes. The writer sends a worker a chunk of
sources; the worker answers with the chunk's prepared articles as one
message. Every worker has two chunks in hand, so it never waits for the next
one, and a thread in the writer empties the pipes while the writer is busy in
SQLite; the chunks are put back in order.

A worker ends when its work is done, when the writer closes its pipe, and
when the writer dies in any way (``kill -9`` included): its next read sees
the end of the pipe or its next write fails, and on Linux the kernel also
kills it with its parent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import selectors
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from store.errors import LibraryError
from store.importing.prepare import AlreadyStored, PreparedArticle, PrepareFailure
from store.sources.files import SourceFile

#: Sources per message between a worker and the writer.
CHUNK = 32
#: Chunks a worker holds at once: one it works on, one waiting.
IN_HAND = 2
#: Room in each result pipe for a few chunks, so a worker rarely waits for the writer.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux
#: Chunks received ahead of the one the writer needs (bounds the memory used).
AHEAD = 64
#: How long a worker may take to leave once told to, before it is killed.
STOP_SECONDS = 2.0

Prepared = PreparedArticle | PrepareFailure | AlreadyStored
Wire = tuple[Any, ...] | PrepareFailure | AlreadyStored

_HEADER = struct.Struct("<Q")

#: How a worker is started (tests start a faulty one instead).
WORKER_COMMAND = (sys.executable, "-m", "store.importing.worker")


# -- messages over pipes: a length, then a pickle ---------------------------


def send(stream: IO[bytes], message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """The next message, or raise EOFError at the end of the pipe."""
    header = _read_exactly(stream, _HEADER.size)
    return pickle.loads(_read_exactly(stream, _HEADER.unpack(header)[0]))


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    parts: list[bytes] = []
    while size:
        part = stream.read(size)
        if not part:
            raise EOFError
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def source_wire(source: SourceFile) -> tuple[str, str, str | None, bytes | None]:
    return (source.origin, source.source_key, None if source.path is None else str(source.path), source.data)


def source_from_wire(wire: tuple[str, str, str | None, bytes | None]) -> SourceFile:
    origin, key, path, data = wire
    return SourceFile(origin, key, None if path is None else Path(path), data)


# -- the writer's side --------------------------------------------------------


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, max_bytes: int, known: frozenset[str]) -> None:
        env = dict(os.environ)
        # The worker must find this very ``store`` package (a checkout, an install).
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        env["READER_PARENT_PID"] = str(os.getpid())
        self.process = subprocess.Popen(
            list(WORKER_COMMAND),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            close_fds=True,
            env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.tasks: IO[bytes] = self.process.stdin
        self.results: IO[bytes] = self.process.stdout
        _widen(self.results)
        self.in_hand: list[int] = []
        self.open = True
        send(self.tasks, ("setup", max_bytes, known))

    def give(self, number: int, chunk: list[SourceFile]) -> None:
        self.in_hand.append(number)
        send(self.tasks, ("chunk", number, [source_wire(source) for source in chunk]))

    def finish(self) -> None:
        """No more work: the worker leaves when it reads the end of its pipe."""
        if self.open:
            self.open = False
            with contextlib.suppress(OSError):
                self.tasks.close()

    def stop(self) -> None:
        self.finish()
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            self.results.close()


def prepare_in_parallel(
    sources: list[SourceFile], workers: int, max_bytes: int, known: frozenset[str]
) -> Iterator[Prepared]:
    """Every source prepared, in order, by ``workers`` processes."""
    pool: list[_Worker] = []
    try:
        try:
            for _ in range(workers):
                pool.append(_Worker(max_bytes, known))
        except OSError as error:
            raise LibraryError(f"cannot start the import's worker processes: {error}") from None
        yield from _in_order(pool, sources)
    finally:
        for worker in pool:
            worker.finish()
        for worker in pool:
            worker.stop()


def _widen(pipe: IO[bytes]) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), _F_SETPIPE_SZ, PIPE_BYTES)


def _in_order(pool: list[_Worker], sources: list[SourceFile]) -> Iterator[Prepared]:
    """The chunks' results in chunk order, whichever worker sends which.

    A thread hands out chunks and empties the pipes as messages arrive, so
    workers keep working while the writer is busy in SQLite (which lets go of
    the GIL meanwhile).
    """
    chunks = [sources[start : start + CHUNK] for start in range(0, len(sources), CHUNK)]
    arrived: queue.Queue[tuple[int, list[Wire]] | None] = queue.Queue(maxsize=AHEAD)
    stop = threading.Event()
    dispatcher = threading.Thread(target=_dispatch, args=(pool, chunks, arrived, stop), daemon=True)
    dispatcher.start()
    waiting: dict[int, list[Wire]] = {}
    try:
        for wanted in range(len(chunks)):
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
            while True:  # unblock a dispatcher waiting for room
                arrived.get_nowait()
        dispatcher.join(timeout=STOP_SECONDS)


def _dispatch(
    pool: list[_Worker],
    chunks: list[list[SourceFile]],
    arrived: queue.Queue[tuple[int, list[Wire]] | None],
    stop: threading.Event,
) -> None:
    """Hand out chunks, collect results, until every chunk is back (or a worker fails)."""
    next_chunk = 0
    failed = False
    selector = selectors.DefaultSelector()
    try:
        for _ in range(IN_HAND):
            for worker in pool:
                if next_chunk < len(chunks):
                    worker.give(next_chunk, chunks[next_chunk])
                    next_chunk += 1
        for worker in pool:
            if worker.in_hand:
                selector.register(worker.results, selectors.EVENT_READ, worker)
            else:
                worker.finish()
        while selector.get_map() and not stop.is_set():
            for key, _ in selector.select(timeout=0.5):
                worker = key.data
                try:
                    number, wires = receive(worker.results)
                except (EOFError, OSError, pickle.UnpicklingError):
                    failed = True  # died with work in hand
                    return
                worker.in_hand.remove(number)
                _put(arrived, (number, wires), stop)
                if next_chunk < len(chunks):
                    worker.give(next_chunk, chunks[next_chunk])
                    next_chunk += 1
                elif not worker.in_hand:
                    selector.unregister(worker.results)
                    worker.finish()
    except OSError:  # a worker's pipe broke while we gave it work
        failed = True
    finally:
        selector.close()
        if failed:
            _put(arrived, None, stop)  # no more chunks will come


def _put(arrived: queue.Queue[Any], item: object, stop: threading.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(queue.Full):
            arrived.put(item, timeout=0.5)
            return
