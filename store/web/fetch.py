"""Fetching feeds and pages over HTTP without trusting the server.

One :class:`Fetcher` owns one ``httpx.AsyncClient`` and the concurrency limits;
``fetch()`` turns everything the network or the server can do into a
:class:`FetchResult` whose ``error`` is one line for the user, and never raises
for it.

The design follows from what hostile servers do:

- Redirects are followed here, not by httpx, to refuse loops, chains that are
  too long and targets that are not http(s), and to tell whether every hop was
  permanent (then ``moved_to`` is the address to store). A response hook stops
  httpx at a redirect before it parses the Location itself.
- One deadline covers connecting, the headers and the whole body: httpx's read
  timeout is per chunk, so a server that trickles a byte a second never trips
  it. The deadline is a budget of network time shared by the redirect hops;
  waiting for a free connection slot or for a short ``Retry-After`` does not
  spend it.
- The body is decompressed here, from ``aiter_raw()``, by zlib objects that
  never produce more than 64 KiB per call. httpx's own decoders inflate each
  network read in one go (a 64 KiB read of a gzip bomb becomes 64 MiB at once,
  and stacked encodings multiply that), so counting ``aiter_bytes()`` cannot
  keep memory bounded. Only gzip and deflate are offered to servers.
- Concurrency: at most ``per_host`` exchanges with one host and ``connections``
  overall; the host slot is taken first, so a request queued for a busy host
  does not hold one of the overall slots.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import email.message
import email.utils
import importlib.util
import os
import socket
import ssl
import sys
import time
import unicodedata
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from store.errors import ReaderError

# httpx's package imports its command-line tool, and with it rich, click and
# pygments (40 ms, and a UI library in the headless core): not needed here.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
# httpcore tries ``import sniffio`` for every request; when it is not installed
# the failed import is not cached and searches the whole path each time (about
# 1.5 ms a request). Recorded as absent once, the import fails at once.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]
import httpx

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.5"
DEFAULT_USER_AGENT = "Qari/0.1 (terminal news reader)"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_PIECE = 64 * 1024
_MAX_ENCODINGS = 3
#: Hosts whose idle connections are kept open (each host has a pool of ``per_host`` connections).
HOSTS_KEPT = 32


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = 10 * 1024 * 1024
    deadline: float = 30.0
    connect_timeout: float = 10.0
    max_redirects: int = 5
    connections: int = 16
    per_host: int = 4
    retry_after_max_wait: float = 5.0

    def __post_init__(self) -> None:
        if min(self.max_bytes, self.deadline, self.connect_timeout, self.connections, self.per_host) <= 0:
            raise ValueError(f"fetch limits must be positive: {self}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FetchLimits:
        """The defaults, with READER_MAX_FETCH_BYTES and READER_FETCH_DEADLINE applied."""
        env = os.environ if environ is None else environ
        limits = cls()
        if raw := env.get("READER_MAX_FETCH_BYTES", "").strip():
            limits = dataclasses.replace(limits, max_bytes=int(_positive("READER_MAX_FETCH_BYTES", raw)))
        if raw := env.get("READER_FETCH_DEADLINE", "").strip():
            limits = dataclasses.replace(limits, deadline=_positive("READER_FETCH_DEADLINE", raw))
        return limits


def _positive(name: str, raw: str) -> float:
    with contextlib.suppress(ValueError):
        if 0 < (value := float(raw)) < float("inf"):
            return value
    raise ReaderError(f"{name} must be a positive number, not {raw!r}")


@dataclass(frozen=True)
class FetchResult:
    """One fetch. On a 304 the validators that were sent stay in ``headers``
    unless the server sent new ones: ``etag`` and ``last_modified`` are always
    what to send next time."""

    url: str
    final_url: str
    status: int | None
    body: bytes
    headers: dict[str, str]
    not_modified: bool
    moved_to: str | None  # only on success, when every redirect was permanent
    error: str | None
    retry_after: str | None
    elapsed: float

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def charset(self) -> str | None:
        message = email.message.Message()
        message["content-type"] = self.headers.get("content-type", "")
        return message.get_content_charset() or None


@dataclass
class _Answer:
    status: int | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    body: bytes = b""
    error: str | None = None


class _Refused(Exception):
    """A failure found before or between exchanges; its text is for the user."""


class _Redirect(Exception):
    """A redirect, raised from a response hook before httpx parses the Location.

    Even with ``follow_redirects=False`` httpx builds the next request and fails
    on a malformed Location; this way the Location is judged here.
    """

    def __init__(self, status: int, headers: dict[str, str]) -> None:
        super().__init__(status)
        self.status, self.headers = status, headers


async def _stop_at_redirect(response: httpx.Response) -> None:
    if response.status_code in _REDIRECTS:
        raise _Redirect(response.status_code, _lower(response.headers))


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


class Fetcher:
    """``async with Fetcher() as fetcher: result = await fetcher.fetch(url)``."""

    def __init__(self, limits: FetchLimits | None = None, *, user_agent: str = DEFAULT_USER_AGENT) -> None:
        self.limits = limits if limits is not None else FetchLimits.from_env()
        self._user_agent = user_agent
        self._open = False
        self._overall = asyncio.Semaphore(self.limits.connections)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        # One small connection pool per host, the least recently used last to go.
        self._clients: collections.OrderedDict[str, httpx.AsyncClient] = collections.OrderedDict()
        self._busy: collections.Counter[str] = collections.Counter()
        self._ssl: ssl.SSLContext | None = None  # shared: loading the CA bundle takes 50 ms

    async def __aenter__(self) -> Fetcher:
        self._open = True
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._open = False
        clients, self._clients = list(self._clients.values()), collections.OrderedDict()
        for client in clients:
            await client.aclose()

    def _new_client(self) -> httpx.AsyncClient:
        limits = self.limits
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        return httpx.AsyncClient(
            verify=self._ssl,
            follow_redirects=False,
            timeout=httpx.Timeout(limits.deadline, connect=limits.connect_timeout),
            limits=httpx.Limits(max_connections=limits.per_host, max_keepalive_connections=limits.per_host),
            headers={"User-Agent": self._user_agent, "Accept-Encoding": "gzip, deflate"},
            event_hooks={"response": [_stop_at_redirect]},
        )

    async def _client_for(self, host: str) -> httpx.AsyncClient:
        """The host's client; the pools of hosts not asked for a while are closed
        beyond ``HOSTS_KEPT`` of them (never one with an exchange under way)."""
        client = self._clients.get(host)
        if client is not None:
            self._clients.move_to_end(host)
            return client
        client = self._clients[host] = self._new_client()
        while len(self._clients) > HOSTS_KEPT:
            # Checked again after each close: another host may have become busy meanwhile.
            idle = next((name for name in self._clients if not self._busy[name]), None)
            if idle is None:
                break
            await self._clients.pop(idle).aclose()
        return client

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        if not self._open:
            raise RuntimeError("use the Fetcher as 'async with Fetcher() as fetcher'")
        started = time.monotonic()
        # A stored validator came from a server and could hold anything.
        sent = {
            name: value.strip()
            for name, value in (("etag", etag), ("last-modified", last_modified))
            if value and value.strip() and value.isascii() and value.isprintable()
        }
        headers = {"Accept": accept}
        if "etag" in sent:
            headers["If-None-Match"] = sent["etag"]
        if "last-modified" in sent:
            headers["If-Modified-Since"] = sent["last-modified"]
        answer, final_url, moved = await self._follow(url, headers)

        status, received, error, retry_after = answer.status, answer.headers, answer.error, None
        if error is None and status is not None and not 200 <= status < 300:
            if status == 304 and sent:
                received = sent | received  # a 304 need not repeat Last-Modified
            elif status in (429, 503) and (until := _retry_until(received.get("retry-after"))):
                retry_after = until.strftime("%Y-%m-%dT%H:%M:%SZ")
                error = f"server asked to wait until {until:%Y-%m-%d %H:%M} UTC (HTTP {status})"
            else:
                error = _status_text(status)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            body=answer.body if error is None else b"",
            headers=received,
            not_modified=status == 304 and error is None,
            moved_to=final_url if moved and error is None else None,
            error=error,
            retry_after=retry_after,
            elapsed=time.monotonic() - started,
        )

    async def _follow(self, url: str, headers: dict[str, str]) -> tuple[_Answer, str, bool]:
        """The last answer, its URL, and whether every redirect on the way was permanent."""
        current, answer, seen = url, _Answer(), set[str]()
        permanent, retried, budget = True, False, self.limits.deadline
        try:
            target = _web_url(url)
            seen.add(str(target))
            while True:
                current = str(target)
                spent = time.monotonic()
                answer = await self._exchange(target, headers, budget)
                budget -= time.monotonic() - spent
                status = answer.status
                if answer.error is not None or status is None:
                    break
                if status in _REDIRECTS:
                    target = _redirect_target(target, answer.headers.get("location"), status)
                    if str(target) in seen:
                        raise _Refused("redirect loop")
                    if len(seen) > self.limits.max_redirects:
                        raise _Refused(f"more than {self.limits.max_redirects} redirects")
                    seen.add(str(target))
                    permanent = permanent and status in _PERMANENT
                    continue
                until = _retry_until(answer.headers.get("retry-after")) if status in (429, 503) else None
                wait = (until - datetime.now(UTC)).total_seconds() if until else None
                if wait is not None and wait <= self.limits.retry_after_max_wait and not retried:
                    retried = True
                    await asyncio.sleep(max(wait, 0.0))
                    continue
                break
        except _Refused as refusal:
            answer.body, answer.error = b"", str(refusal)
        return answer, current, permanent and len(seen) > 1

    @contextlib.asynccontextmanager
    async def _slot(self, host: str) -> AsyncIterator[httpx.AsyncClient]:
        per_host = self._hosts.setdefault(host, asyncio.Semaphore(self.limits.per_host))
        async with per_host, self._overall:
            self._busy[host] += 1
            try:
                yield await self._client_for(host)
            finally:
                self._busy[host] -= 1

    async def _exchange(self, url: httpx.URL, headers: dict[str, str], budget: float) -> _Answer:
        """One request and its answer within ``budget`` seconds; the body only for a 2xx."""
        answer = _Answer()
        async with self._slot(url.host) as client:
            try:
                async with asyncio.timeout(max(budget, 0.0)):
                    async with client.stream("GET", url, headers=headers) as response:
                        answer.status = response.status_code
                        answer.headers = _lower(response.headers)
                        if 200 <= response.status_code < 300:
                            answer.body = await _read_body(response, self.limits.max_bytes)
            except (TimeoutError, httpx.TimeoutException) as exc:
                connecting = isinstance(exc, httpx.ConnectTimeout)
                answer.error = (
                    f"cannot connect: no answer within {self.limits.connect_timeout:g} s"
                    if connecting
                    else f"no complete answer within {self.limits.deadline:g} s"
                )
            except _Redirect as redirect:
                answer.status, answer.headers = redirect.status, redirect.headers
            except _Refused as refusal:
                answer.error = str(refusal)
            except (httpx.HTTPError, httpx.InvalidURL, OSError, zlib.error) as exc:
                answer.error = _describe(exc, url)
        if answer.error is not None:
            answer.body = b""
        return answer


def fetch_one(
    url: str,
    *,
    limits: FetchLimits | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str = FEED_ACCEPT,
    user_agent: str = DEFAULT_USER_AGENT,
) -> FetchResult:
    """One fetch from synchronous code (not from inside a running event loop)."""

    async def run() -> FetchResult:
        async with Fetcher(limits, user_agent=user_agent) as fetcher:
            return await fetcher.fetch(url, etag=etag, last_modified=last_modified, accept=accept)

    return asyncio.run(run())


async def _read_body(response: httpx.Response, max_bytes: int) -> bytes:
    """The decompressed body, or ``_Refused`` as soon as it passes ``max_bytes``."""
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",")]
    encodings = [e for e in reversed(encodings) if e not in ("", "identity")]
    if len(encodings) > _MAX_ENCODINGS:
        raise _Refused(f"compressed {len(encodings)} times over")
    layers = [_Inflater(e) for e in encodings]
    once = " once decompressed" if layers else ""
    too_large = f"larger than {_size(max_bytes)}{once} (READER_MAX_FETCH_BYTES)"
    length = response.headers.get("content-length", "")
    if not layers and length.isdigit() and int(length) > max_bytes:
        raise _Refused(too_large)
    parts: list[bytes] = []
    size = 0

    def take(pieces: Iterator[bytes]) -> None:
        nonlocal size
        for piece in pieces:
            size += len(piece)
            if size > max_bytes:
                raise _Refused(too_large)
            parts.append(piece)

    async for raw in response.aiter_raw():
        take(_through(layers, 0, raw))
    for index, layer in enumerate(layers):
        take(piece for rest in layer.flush() for piece in _through(layers, index + 1, rest))
    return b"".join(parts)


def _through(layers: list[_Inflater], index: int, data: bytes) -> Iterator[bytes]:
    """``data`` decoded by ``layers[index:]``, lazily, in pieces of at most 64 KiB."""
    if index == len(layers):
        if data:
            yield data
        return
    for piece in layers[index].feed(data):
        yield from _through(layers, index + 1, piece)


class _Inflater:
    """One gzip or deflate layer whose output comes in bounded pieces."""

    def __init__(self, encoding: str) -> None:
        if encoding not in ("gzip", "x-gzip", "deflate"):
            raise _Refused(f"compressed in a way Qari cannot read ({_one_line(encoding, 40)})")
        self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16) if encoding != "deflate" else None
        self._head = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._zlib is None:
            # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
            self._head += data
            if len(self._head) < 2:
                return
            data, self._head = self._head, b""
            wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        while True:
            piece = self._zlib.decompress(data, _PIECE)
            if piece:
                yield piece
            data = self._zlib.unconsumed_tail
            if not data and len(piece) < _PIECE:
                return

    def flush(self) -> Iterator[bytes]:
        if self._head:
            raise zlib.error("incomplete deflate data")
        if self._zlib is not None and (rest := self._zlib.flush()):
            yield rest


def _web_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Refused("not a web address") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise _Refused("not a web address")
    return parsed.copy_with(fragment=None) if "#" in url else parsed  # (copy_with parses again)


def _redirect_target(current: httpx.URL, location: str | None, status: int) -> httpx.URL:
    if not location or not location.strip():
        raise _Refused(f"{_status_text(status)} without a new address")
    try:
        target = current.join(location.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _Refused(f"redirected to an invalid address ({_one_line(location, 80)})") from exc
    if target.scheme not in ("http", "https") or not target.host:
        raise _Refused(f"redirected to a non-web address ({_one_line(location, 80)})")
    return target.copy_with(fragment=None) if "#" in location else target


def _retry_until(value: str | None) -> datetime | None:
    """When a ``Retry-After`` (seconds or an HTTP date) ends, in UTC."""
    if value is None or not (value := value.strip()):
        return None
    now = datetime.now(UTC)
    if value.isdigit():
        return now + timedelta(seconds=min(int(value), 10 * 366 * 86400))
    try:
        until = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return until.replace(tzinfo=UTC) if until.tzinfo is None else until.astimezone(UTC)


def _status_text(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
    if status == 410:
        return f"HTTP {status} {phrase}: the server says it was removed for good"
    return f"HTTP {status} {phrase}"


def _describe(exc: BaseException, url: httpx.URL) -> str:
    """One line for a network failure, from the most telling exception in the chain."""
    chain: list[BaseException] = [exc]
    for link in chain:  # grows while walked: causes, and the members of groups
        more = [*(link.exceptions if isinstance(link, BaseExceptionGroup) else ()), link.__cause__]
        chain.extend(e for e in [*more, link.__context__] if e is not None and all(e is not c for c in chain))
    for link in chain:
        if isinstance(link, ssl.SSLCertVerificationError):
            return f"TLS error: {_one_line(link.verify_message or str(link), 120)}"
        if isinstance(link, ssl.SSLError):
            reason = link.reason or str(link)
            return f"TLS error: {_one_line(str(reason).replace('_', ' ').lower(), 120)}"
        if isinstance(link, socket.gaierror):
            return f"host not found: {_one_line(url.host, 80)}"
        if isinstance(link, ConnectionRefusedError):
            return "cannot connect: connection refused"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {_one_line(_message(chain), 120)}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not a web address"
    if isinstance(exc, httpx.InvalidURL):
        return "not a valid web address"
    if isinstance(exc, zlib.error | httpx.DecodingError):
        return f"the answer could not be decompressed: {_one_line(str(exc), 120)}"
    return f"the connection broke: {_one_line(_message(chain), 120)}"


def _message(chain: list[BaseException]) -> str:
    for link in chain:
        if text := str(link).strip():
            return text
    return type(chain[0]).__name__


def _one_line(text: str, limit: int) -> str:
    """Server-supplied text made safe for a terminal: no control characters, one line, short."""
    text = " ".join("".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(count: int) -> str:
    if count >= 1 << 20:
        return f"{count / (1 << 20):.4g} MB"
    if count >= 1 << 10:
        return f"{count / (1 << 10):.4g} kB"
    return f"{count} bytes"
