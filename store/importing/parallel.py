"""CPU-bound work on every core: a pool of fresh worker processes.

The workers are fresh Python processes (``python -m store.importing.worker``),
never forks of the process that holds the library: a fork would inherit the
library's SQLite descriptors, and pipe ends it has no business holding. Each
worker gets only its own two pipes. Tasks go down a worker's input pipe, its
answers come back up its output pipe, a length and a pickle each. Every
worker has two tasks in hand, so it never waits for the next one, and one
thread in the parent hands tasks out and empties the pipes while the parent
is busy elsewhere (in SQLite, which lets go of the GIL meanwhile).

A worker ends when its work is done, when the parent closes its pipe, and
when the parent dies in any way (``kill -9`` included): its next read sees
the end of the pipe or its next write fails, and on Linux the kernel also
kills it with its parent.

Two uses: an import prepares chunks of files, results in file order
(:func:`prepare_in_parallel`); a refresh extracts web pages, results as they
come (:meth:`WorkerPool.submit` gives a future).
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import os
import pickle
import selectors
import struct
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import IO, Any

from store.errors import LibraryError
from store.importing.prepare import AlreadyStored, PreparedArticle, PrepareFailure
from store.sources.files import SourceFile

#: Sources per message between a worker and the importing process.
CHUNK = 32
#: Tasks a worker holds at once: one it works on, one waiting.
IN_HAND = 2
#: Room in each result pipe for a few chunks, so a worker rarely waits for the writer.
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux
#: Chunks received ahead of the one the writer needs: enough for the workers to go
#: on through a commit that writes out the log (about 0.6 MB each, 30 MB in all).
AHEAD = 48
#: How long a worker may take to leave once told to, before it is killed.
STOP_SECONDS = 2.0
#: How a worker is started (tests start a faulty one instead).
WORKER_COMMAND = (sys.executable, "-m", "store.importing.worker")

Prepared = PreparedArticle | PrepareFailure | AlreadyStored
Wire = tuple[Any, ...] | PrepareFailure | AlreadyStored

_HEADER = struct.Struct("<Q")


class WorkerDied(LibraryError):
    """A worker process ended with tasks in hand."""


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
    return (source.origin, source.source_key, source.path, source.data)


def source_from_wire(wire: tuple[str, str, str | None, bytes | None]) -> SourceFile:
    origin, key, path, data = wire
    return SourceFile(origin, key, path, data)


# -- the pool -------------------------------------------------------------------


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, setup: dict[str, Any]) -> None:
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
        # Both ways: a task (a web page) or an answer larger than a pipe's 64 KiB
        # would hold the dispatcher until the worker reads it.
        _widen(self.tasks)
        _widen(self.results)
        self.in_hand: list[int] = []
        self.open = True
        send(self.tasks, ("setup", setup))

    def give(self, number: int, kind: str, payload: object) -> None:
        self.in_hand.append(number)
        send(self.tasks, ("task", number, kind, payload))

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


class WorkerPool:
    """Worker processes taking tasks ``(kind, payload)``; see store/importing/worker.py for the kinds."""

    def __init__(self, workers: int, setup: dict[str, Any] | None = None) -> None:
        self._lock = threading.Lock()
        self._pending: collections.deque[tuple[int, str, object]] = collections.deque()
        self._futures: dict[int, Future[Any]] = {}
        self._next = 0
        self._closed = False
        self._workers: list[_Worker] = []
        self._wake_read, self._wake_write = os.pipe()
        try:
            for _ in range(max(1, workers)):
                self._workers.append(_Worker(setup or {}))
        except OSError as error:
            self.close()
            raise LibraryError(f"cannot start worker processes: {error}") from None
        self._thread = threading.Thread(target=self._dispatch, daemon=True)
        self._thread.start()

    def submit(self, kind: str, payload: object) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._closed:
                raise LibraryError("the worker processes have stopped")
            number = self._next
            self._next += 1
            self._futures[number] = future
            self._pending.append((number, kind, payload))
            # With every worker's hands full, the next answer makes the
            # dispatcher hand this task out: no need to wake it (a write is a
            # system call, and a wait for the GIL after it).
            wake = any(worker.open and len(worker.in_hand) < IN_HAND for worker in self._workers)
        if wake:
            os.write(self._wake_write, b"x")
        return future

    def close(self) -> None:
        with self._lock:
            self._closed = True
            pending = [self._futures.pop(number) for number, _, _ in self._pending if number in self._futures]
            self._pending.clear()
        for future in pending:
            future.cancel()
        with contextlib.suppress(OSError):
            os.write(self._wake_write, b"x")
        if hasattr(self, "_thread"):
            self._thread.join(timeout=STOP_SECONDS * 2)
        for worker in self._workers:
            worker.finish()
        for worker in self._workers:
            worker.stop()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _hand_out(self) -> None:
        with self._lock:
            for worker in self._workers:
                while worker.open and len(worker.in_hand) < IN_HAND and self._pending:
                    number, kind, payload = self._pending.popleft()
                    try:
                        worker.give(number, kind, payload)
                    except OSError:
                        worker.open = False
                        self._fail(worker)

    def _fail(self, worker: _Worker) -> None:
        """A worker died: its tasks fail; with no worker left, every task does."""
        error = WorkerDied("a worker process stopped unexpectedly")
        for number in worker.in_hand:
            future = self._futures.pop(number, None)
            if future is not None:
                future.set_exception(error)
        worker.in_hand.clear()
        worker.open = False
        if not any(w.open for w in self._workers):
            while self._pending:
                number, _, _ = self._pending.popleft()
                future = self._futures.pop(number, None)
                if future is not None:
                    future.set_exception(error)

    def _dispatch(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_read, selectors.EVENT_READ, None)
        for worker in self._workers:
            selector.register(worker.results, selectors.EVENT_READ, worker)
        try:
            while True:
                with self._lock:
                    if self._closed:
                        return
                self._hand_out()
                for key, _ in selector.select(timeout=0.5):
                    if key.data is None:
                        with contextlib.suppress(OSError):
                            os.read(self._wake_read, 4096)
                        continue
                    worker = key.data
                    try:
                        number, ok, result = receive(worker.results)
                    except (EOFError, OSError, pickle.UnpicklingError):
                        selector.unregister(worker.results)
                        with self._lock:
                            self._fail(worker)
                        continue
                    with self._lock:
                        worker.in_hand.remove(number)
                        future = self._futures.pop(number, None)
                    if future is not None and not future.cancelled():
                        if ok:
                            future.set_result(result)
                        else:
                            future.set_exception(LibraryError(result))
        finally:
            selector.close()


def _widen(pipe: IO[bytes]) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), _F_SETPIPE_SZ, PIPE_BYTES)


# -- an import: chunks of files, results in file order ------------------------------


def prepare_in_parallel(
    sources: Iterable[SourceFile], workers: int, max_bytes: int, known: frozenset[str]
) -> Iterator[Prepared]:
    """Every source prepared, in order, by ``workers`` processes.

    The sources are all taken before the first result comes back (the walk of
    the folders, when they come from one, so that the import knows its total
    early), and the workers start on the first chunks meanwhile: walking
    100,000 files takes half a second.
    """
    with WorkerPool(workers, {"max_bytes": max_bytes, "known": known}) as pool:
        window: collections.deque[Future[list[Wire]]] = collections.deque()
        later: collections.deque[list[SourceFile]] = collections.deque()

        def submit(chunk: list[SourceFile]) -> None:
            window.append(pool.submit("prepare", [source_wire(source) for source in chunk]))

        for chunk in _chunks(sources):
            if len(window) < AHEAD:
                submit(chunk)
            else:
                later.append(chunk)
        while window:
            if later:
                submit(later.popleft())
            try:
                results = window.popleft().result()
            except WorkerDied:
                raise LibraryError(
                    "an import worker stopped unexpectedly; what was imported before it is kept, "
                    "import again to add the rest"
                ) from None
            for wire in results:
                yield PreparedArticle.from_wire(wire) if isinstance(wire, tuple) else wire


def _chunks(sources: Iterable[SourceFile]) -> Iterator[list[SourceFile]]:
    items = iter(sources)
    while chunk := list(itertools.islice(items, CHUNK)):
        yield chunk
