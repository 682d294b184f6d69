"""A hostile web server on 127.0.0.1 for tests that fetch feeds and pages.

``WebServer`` is a threaded HTTP/1.1 server (stdlib ``http.server``) on a free
port of 127.0.0.1, serving routes that the test declares. Nothing it serves
comes from outside the test, so tests never need the internet.

Routes (``path`` is matched with its query string first, then without it):

- ``add(path, body, *, status=200, headers=None, etag=None, last_modified=None)``:
  a fixed answer. With ``etag`` / ``last_modified`` it answers 304 to a request
  whose ``If-None-Match`` matches the ETag or whose ``If-Modified-Since``
  equals ``last_modified``. Any status works (404, 410, 500…).
- ``redirect(path, to, status=301)``: ``Location: to``, given as is (a relative
  path stays relative).
- ``redirect_loop(a, b)``: ``a`` redirects to ``b`` and ``b`` back to ``a``.
- ``trickle(path, *, interval=1.0, chunk=b".")``: a 200 whose chunked body sends
  ``chunk`` every ``interval`` seconds forever; it ends when the client goes
  away or the server stops.
- ``gzip_bomb(path, *, size=2**30)``: ``Content-Encoding: gzip`` whose body
  inflates to ``size`` zero bytes (whole MiB; about 1 KB on the wire per MiB),
  streamed from one precompressed block, never built in memory.
- ``rate_limit(path, retry_after, *, status=429, times=1, body=b"ok")``: the first
  ``times`` requests get ``status`` with ``Retry-After: retry_after``, later ones
  a 200 with ``body``; ``times=None`` never lets up.
- ``truncated(path, body, *, declared=None)``: announces ``Content-Length:
  declared`` (default: twice the body), sends ``body`` and hangs up.
- ``slow(path, body, *, delay)``: waits ``delay`` seconds, then answers 200.
- ``route(path, handler)``: anything else; ``handler`` gets the
  ``BaseHTTPRequestHandler`` and writes the whole answer itself.

Routes may be added while the server runs; the last one for a path wins.
Unknown paths get a 404. ``url(path)`` gives the absolute URL of a path and
``port`` the port (for URLs with other schemes).

Observation: ``requests`` is a copy of the log of ``Request(method, path,
headers)`` (header names lower-case), ``clear_log()`` empties it, and
``max_concurrent`` is the largest number of requests handled at once since the
start or the last ``clear_log()``.

``stop()`` returns promptly even while trickling answers are open: handlers
wait on a shared event instead of sleeping, and open connections are shut
down. The ``web_server`` pytest fixture yields a started server and stops it
after the test.
"""

from __future__ import annotations

import contextlib
import functools
import socket
import struct
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

import pytest

Handler = Callable[[BaseHTTPRequestHandler], None]
MIB = 1 << 20


class Request(NamedTuple):
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class _Shared:
    routes: dict[str, Handler] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    sockets: set[socket.socket] = field(default_factory=set)
    active: int = 0
    max_active: int = 0


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.shared.lock:
            self.server.shared.sockets.add(self.connection)

    def finish(self) -> None:
        with self.server.shared.lock:
            self.server.shared.sockets.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        shared = self.server.shared
        headers = {name.lower(): value for name, value in self.headers.items()}
        with shared.lock:
            shared.log.append(Request(self.command, self.path, headers))
            handler = shared.routes.get(self.path) or shared.routes.get(self.path.split("?", 1)[0])
            shared.active += 1
            shared.max_active = max(shared.max_active, shared.active)
        try:
            if handler is None:
                _answer(self, 404, b"not found\n", {"Content-Type": "text/plain"})
            else:
                handler(self)
        finally:
            with shared.lock:
                shared.active -= 1

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    shared: _Shared

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up mid-answer are what these routes are for.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _answer(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _etag_matches(condition: str, etag: str) -> bool:
    def weak(tag: str) -> str:
        return tag.strip().removeprefix("W/")

    return any(tag.strip() == "*" or weak(tag) == weak(etag) for tag in condition.split(","))


@functools.cache
def _bomb_blocks() -> tuple[bytes, bytes]:
    """The gzip header with the first MiB of zeros, and any further MiB of zeros.

    After a full flush the compressor starts afresh, so every further MiB
    compresses to the same bytes.
    """
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    unit = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, unit


def _bomb_parts(mebibytes: int) -> Iterator[bytes]:
    """A gzip stream of ``mebibytes`` MiB of zeros, 64 MiB (inflated) per part."""
    first, unit = _bomb_blocks()
    zeros = bytes(MIB)
    yield first
    crc = zlib.crc32(zeros)
    sent = 1
    while sent < mebibytes:
        count = min(64, mebibytes - sent)
        yield unit * count
        for _ in range(count):
            crc = zlib.crc32(zeros, crc)
        sent += count
    # An empty final block, then the gzip trailer (CRC-32 and length mod 2**32).
    yield b"\x03\x00" + struct.pack("<II", crc, (mebibytes * MIB) & 0xFFFFFFFF)


class WebServer:
    """See the module docstring."""

    def __init__(self) -> None:
        self._shared = _Shared()
        self._server = _Server(("127.0.0.1", 0), _RequestHandler)
        self._server.shared = self._shared
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="web-server", daemon=True
        )

    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._shared.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._shared.lock:
            sockets = list(self._shared.sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def requests(self) -> list[Request]:
        with self._shared.lock:
            return list(self._shared.log)

    @property
    def max_concurrent(self) -> int:
        with self._shared.lock:
            return self._shared.max_active

    def clear_log(self) -> None:
        with self._shared.lock:
            self._shared.log.clear()
            self._shared.max_active = self._shared.active

    def route(self, path: str, handler: Handler) -> None:
        with self._shared.lock:
            self._shared.routes[path] = handler

    def add(
        self,
        path: str,
        body: bytes,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        fixed = dict(headers or {})
        if etag is not None:
            fixed["ETag"] = etag
        if last_modified is not None:
            fixed["Last-Modified"] = last_modified

        def handle(handler: BaseHTTPRequestHandler) -> None:
            if_none_match = handler.headers.get("If-None-Match")
            if_modified_since = handler.headers.get("If-Modified-Since")
            if if_none_match is not None and etag is not None:
                fresh = _etag_matches(if_none_match, etag)
            else:
                fresh = if_modified_since is not None and if_modified_since == last_modified
            if fresh:
                validators = {k: v for k, v in fixed.items() if k in ("ETag", "Last-Modified")}
                _answer(handler, 304, b"", validators)
            else:
                _answer(handler, status, body, fixed)

        self.route(path, handle)

    def redirect(self, path: str, to: str, status: int = 301) -> None:
        self.route(path, lambda handler: _answer(handler, status, b"", {"Location": to}))

    def redirect_loop(self, a: str, b: str) -> None:
        self.redirect(a, b)
        self.redirect(b, a)

    def trickle(self, path: str, *, interval: float = 1.0, chunk: bytes = b".") -> None:
        stopping = self._shared.stopping

        def handle(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Transfer-Encoding", "chunked")
            handler.end_headers()
            handler.close_connection = True
            while not stopping.is_set():
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                stopping.wait(interval)

        self.route(path, handle)

    def gzip_bomb(self, path: str, *, size: int = 1 << 30) -> None:
        mebibytes = max(1, size // MIB)
        first, unit = _bomb_blocks()
        length = len(first) + len(unit) * (mebibytes - 1) + 2 + 8
        stopping = self._shared.stopping

        def handle(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/rss+xml")
            handler.send_header("Content-Encoding", "gzip")
            handler.send_header("Content-Length", str(length))
            handler.end_headers()
            handler.close_connection = True
            for part in _bomb_parts(mebibytes):
                if stopping.is_set():
                    return
                handler.wfile.write(part)

        self.route(path, handle)

    def rate_limit(
        self, path: str, retry_after: str, *, status: int = 429, times: int | None = 1, body: bytes = b"ok"
    ) -> None:
        count = [0]

        def handle(handler: BaseHTTPRequestHandler) -> None:
            with self._shared.lock:
                count[0] += 1
                limited = times is None or count[0] <= times
            if limited:
                _answer(handler, status, b"slow down\n", {"Retry-After": retry_after})
            else:
                _answer(handler, 200, body, {"Content-Type": "text/plain"})

        self.route(path, handle)

    def truncated(self, path: str, body: bytes, *, declared: int | None = None) -> None:
        def handle(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Length", str(declared if declared is not None else 2 * len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            handler.close_connection = True

        self.route(path, handle)

    def slow(self, path: str, body: bytes, *, delay: float) -> None:
        stopping = self._shared.stopping

        def handle(handler: BaseHTTPRequestHandler) -> None:
            stopping.wait(delay)
            _answer(handler, 200, body, {"Content-Type": "text/plain"})

        self.route(path, handle)


@pytest.fixture
def web_server() -> Iterator[WebServer]:
    server = WebServer().start()
    try:
        yield server
    finally:
        server.stop()
