"""store.web.fetch against the hostile local server: real HTTP on 127.0.0.1, no mocks."""

from __future__ import annotations

import asyncio
import gzip
import resource
import socket
import time
import zlib
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from store.errors import ReaderError
from store.web.fetch import PAGE_ACCEPT, Fetcher, FetchLimits, FetchResult, fetch_one

from webserver import WebServer

RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>أخبار</title></channel></rss>'
FEED = RSS.encode()


async def fetch(url: str, limits: FetchLimits | None = None, **kwargs: str) -> FetchResult:
    async with Fetcher(limits or FetchLimits()) as fetcher:
        return await fetcher.fetch(url, **kwargs)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def peak_rss_reset() -> bool:
    """Reset the peak RSS (VmHWM) of this process, where the kernel allows it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def test_success_keeps_bytes_headers_and_charset(web_server: WebServer) -> None:
    web_server.add("/feed.xml", FEED, headers={"Content-Type": 'application/rss+xml; charset="UTF-8"'})
    result = await fetch(web_server.url("/feed.xml"))
    assert result.ok and result.error is None
    assert (result.status, result.body, result.charset) == (200, FEED, "utf-8")
    assert result.final_url == result.url == web_server.url("/feed.xml")
    assert result.headers["content-type"] == 'application/rss+xml; charset="UTF-8"'
    assert not result.not_modified and result.moved_to is None and result.retry_after is None
    [request] = web_server.requests
    assert request.headers["user-agent"].startswith("Qari/")
    assert "application/rss+xml" in request.headers["accept"]
    assert "br" not in request.headers["accept-encoding"]
    assert "if-none-match" not in request.headers


async def test_page_accept_and_no_charset(web_server: WebServer) -> None:
    web_server.add("/page", b"<html></html>", headers={"Content-Type": "text/html"})
    result = await fetch(web_server.url("/page"), accept=PAGE_ACCEPT)
    assert result.ok and result.charset is None
    assert web_server.requests[0].headers["accept"] == PAGE_ACCEPT


async def test_conditional_get_with_etag(web_server: WebServer) -> None:
    web_server.add("/feed.xml", FEED, etag='"v1"')
    first = await fetch(web_server.url("/feed.xml"))
    assert first.body == FEED and first.etag == '"v1"'
    second = await fetch(web_server.url("/feed.xml"), etag=first.etag or "")
    assert second.ok and second.not_modified and second.status == 304
    assert second.body == b"" and second.etag == '"v1"'
    assert web_server.requests[-1].headers["if-none-match"] == '"v1"'


async def test_conditional_get_with_last_modified(web_server: WebServer) -> None:
    date = "Wed, 02 Dec 2026 10:00:00 GMT"
    web_server.add("/feed.xml", FEED, last_modified=date)
    first = await fetch(web_server.url("/feed.xml"))
    assert first.last_modified == date
    second = await fetch(web_server.url("/feed.xml"), last_modified=date)
    assert second.ok and second.not_modified and second.body == b""
    assert web_server.requests[-1].headers["if-modified-since"] == date


async def test_validators_survive_a_304_that_does_not_repeat_them(web_server: WebServer) -> None:
    date = "Wed, 02 Dec 2026 10:00:00 GMT"
    web_server.add("/feed.xml", FEED, etag='"v1"')  # its 304 carries the ETag only
    result = await fetch(web_server.url("/feed.xml"), etag='"v1"', last_modified=date)
    assert result.not_modified
    assert (result.etag, result.last_modified) == ('"v1"', date)


async def test_changed_feed_is_sent_whole(web_server: WebServer) -> None:
    web_server.add("/feed.xml", FEED, etag='"v2"')
    result = await fetch(web_server.url("/feed.xml"), etag='"v1"')
    assert result.ok and not result.not_modified and result.body == FEED and result.etag == '"v2"'


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone: the server says it was removed for good"),
        (500, "HTTP 500 Internal Server Error"),
        (599, "HTTP 599"),
    ],
)
async def test_error_statuses(web_server: WebServer, status: int, error: str) -> None:
    web_server.add("/feed.xml", b"<html>oops</html>", status=status)
    result = await fetch(web_server.url("/feed.xml"))
    assert not result.ok
    assert (result.status, result.error, result.body) == (status, error, b"")


async def test_permanent_redirect_chain_sets_moved_to(web_server: WebServer) -> None:
    web_server.redirect("/old", "/older", 301)
    web_server.redirect("/older", web_server.url("/new"), 308)
    web_server.add("/new", FEED)
    result = await fetch(web_server.url("/old"))
    assert result.ok and result.body == FEED
    assert result.final_url == result.moved_to == web_server.url("/new")
    assert [r.path for r in web_server.requests] == ["/old", "/older", "/new"]


async def test_temporary_hop_means_no_move(web_server: WebServer) -> None:
    web_server.redirect("/old", "/middle", 301)
    web_server.redirect("/middle", "/new", 302)
    web_server.add("/new", FEED)
    result = await fetch(web_server.url("/old"))
    assert result.ok and result.final_url == web_server.url("/new")
    assert result.moved_to is None


async def test_no_move_to_a_dead_address(web_server: WebServer) -> None:
    web_server.redirect("/old", "/gone", 301)
    result = await fetch(web_server.url("/old"))
    assert result.error == "HTTP 404 Not Found" and result.moved_to is None
    assert result.final_url == web_server.url("/gone")


async def test_relative_locations(web_server: WebServer) -> None:
    web_server.redirect("/a/b/feed", "../c/feed?x=1", 307)
    web_server.redirect("/a/c/feed?x=1", "rss", 303)
    web_server.redirect("/a/c/rss", f"//127.0.0.1:{web_server.port}/feed#top", 302)
    web_server.add("/feed", FEED)
    result = await fetch(web_server.url("/a/b/feed"))
    assert result.ok and result.body == FEED
    assert result.final_url == web_server.url("/feed")
    assert [r.path for r in web_server.requests] == ["/a/b/feed", "/a/c/feed?x=1", "/a/c/rss", "/feed"]


async def test_redirect_loop(web_server: WebServer) -> None:
    web_server.redirect_loop("/a", "/b")
    web_server.redirect("/self", "/self")
    result = await fetch(web_server.url("/a"))
    assert (result.error, result.status, result.body) == ("redirect loop", 301, b"")
    assert (await fetch(web_server.url("/self"))).error == "redirect loop"


async def test_redirect_cap(web_server: WebServer) -> None:
    for hop in range(5):
        web_server.redirect(f"/a{hop}", f"/a{hop + 1}", 302)
    for hop in range(6):
        web_server.redirect(f"/b{hop}", f"/b{hop + 1}", 302)
    web_server.add("/a5", FEED)
    web_server.add("/b6", FEED)
    limits = FetchLimits(max_redirects=5)
    assert (await fetch(web_server.url("/a0"), limits)).ok
    web_server.clear_log()
    result = await fetch(web_server.url("/b0"), limits)
    assert result.error == "more than 5 redirects"
    assert [r.path for r in web_server.requests] == [f"/b{hop}" for hop in range(6)]


async def test_redirect_to_another_scheme_is_refused(web_server: WebServer) -> None:
    web_server.redirect("/feed", "ftp://example.com/feed.xml")
    web_server.redirect("/local", "file:///etc/passwd", 302)
    result = await fetch(web_server.url("/feed"))
    assert result.error == "redirected to a non-web address (ftp://example.com/feed.xml)"
    assert (
        await fetch(web_server.url("/local"))
    ).error == "redirected to a non-web address (file:///etc/passwd)"
    assert [r.path for r in web_server.requests] == ["/feed", "/local"]


async def test_redirect_without_location(web_server: WebServer) -> None:
    web_server.add("/feed", b"", status=301)
    result = await fetch(web_server.url("/feed"))
    assert result.error == "HTTP 301 Moved Permanently without a new address"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1:{port}/feed.xml",
        "data:text/xml,<rss/>",
        "javascript:alert(1)",
        "127.0.0.1:{port}/feed.xml",
        "/feed.xml",
        "",
        "http://",
        "http://[::1",
    ],
)
async def test_non_web_addresses_are_refused_before_any_io(web_server: WebServer, url: str) -> None:
    web_server.add("/feed.xml", FEED)
    result = await fetch(url.format(port=web_server.port))
    assert result.error == "not a web address"
    assert result.status is None and result.body == b""
    assert web_server.requests == []


async def test_trickling_body_hits_the_deadline(web_server: WebServer) -> None:
    web_server.trickle("/feed.xml", interval=0.2)
    started = time.monotonic()
    result = await fetch(web_server.url("/feed.xml"), FetchLimits(deadline=2))
    took = time.monotonic() - started
    assert result.error == "no complete answer within 2 s"
    assert result.status == 200 and result.body == b""
    assert 1.9 <= took < 4


async def test_compressed_bomb_is_stopped_while_reading(web_server: WebServer) -> None:
    web_server.gzip_bomb("/bomb.xml", size=1 << 30)
    async with Fetcher(FetchLimits()) as fetcher:
        await fetcher.fetch(web_server.url("/nothing"))  # imports and pools warmed up
        reset = peak_rss_reset()
        before = peak_rss_mb()
        result = await fetcher.fetch(web_server.url("/bomb.xml"))
        growth = peak_rss_mb() - before
    assert result.error == "larger than 10 MB once decompressed (READER_MAX_FETCH_BYTES)"
    assert result.body == b""
    assert growth < 100, f"peak RSS grew by {growth:.0f} MB (reset: {reset})"


async def test_compressed_bodies_are_decompressed(web_server: WebServer) -> None:
    raw = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    web_server.add("/gzip", gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    web_server.add("/zlib", zlib.compress(FEED), headers={"Content-Encoding": "deflate"})
    web_server.add("/raw", raw.compress(FEED) + raw.flush(), headers={"Content-Encoding": "deflate"})
    web_server.add("/twice", gzip.compress(gzip.compress(FEED)), headers={"Content-Encoding": "gzip, gzip"})
    for path in ("/gzip", "/zlib", "/raw", "/twice"):
        result = await fetch(web_server.url(path))
        assert (path, result.error, result.body) == (path, None, FEED)


async def test_bad_or_unknown_compression(web_server: WebServer) -> None:
    web_server.add("/bad", b"not gzip at all", headers={"Content-Encoding": "gzip"})
    web_server.add("/br", b"\x1b\x00", headers={"Content-Encoding": "br"})
    bad = await fetch(web_server.url("/bad"))
    assert bad.error is not None and bad.error.startswith("the answer could not be decompressed")
    assert (await fetch(web_server.url("/br"))).error == "compressed in a way Qari cannot read (br)"
    web_server.add("/nested", b"", headers={"Content-Encoding": ", ".join(["gzip"] * 1000)})
    assert (await fetch(web_server.url("/nested"))).error == "compressed 1000 times over"


def send_chunked(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    for _ in range(5):
        handler.wfile.write(b"3e8\r\n" + b"x" * 1000 + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


async def test_size_cap_on_plain_bodies(web_server: WebServer) -> None:
    web_server.add("/big", b"x" * 5000)
    web_server.route("/chunked", send_chunked)
    web_server.truncated("/announced", b"x" * 10, declared=10**9)
    limits = FetchLimits(max_bytes=4096)
    for path in ("/big", "/chunked", "/announced"):
        result = await fetch(web_server.url(path), limits)
        assert (path, result.error) == (path, "larger than 4 kB (READER_MAX_FETCH_BYTES)")
    assert (await fetch(web_server.url("/chunked"), FetchLimits(max_bytes=5000))).body == b"x" * 5000


async def test_connection_closed_mid_body(web_server: WebServer) -> None:
    web_server.truncated("/feed.xml", FEED[:50], declared=len(FEED))
    result = await fetch(web_server.url("/feed.xml"))
    assert result.error is not None and result.error.startswith("the connection broke: ")
    assert result.body == b""


async def test_short_retry_after_is_waited_for_once(web_server: WebServer) -> None:
    web_server.rate_limit("/feed.xml", "1", body=FEED)
    result = await fetch(web_server.url("/feed.xml"))
    assert result.ok and result.body == FEED
    assert len(web_server.requests) == 2
    assert result.elapsed >= 0.9


async def test_retry_happens_only_once(web_server: WebServer) -> None:
    web_server.rate_limit("/feed.xml", "0", status=503, times=None)
    result = await fetch(web_server.url("/feed.xml"))
    assert result.status == 503 and result.retry_after is not None
    assert len(web_server.requests) == 2


async def test_long_retry_after_is_reported(web_server: WebServer) -> None:
    web_server.rate_limit("/feed.xml", "3600")
    result = await fetch(web_server.url("/feed.xml"))
    assert result.status == 429 and result.retry_after is not None
    until = datetime.strptime(result.retry_after, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(until - datetime.now(UTC) - timedelta(hours=1)) < timedelta(minutes=1)
    assert result.error == f"server asked to wait until {until:%Y-%m-%d %H:%M} UTC (HTTP 429)"
    assert len(web_server.requests) == 1


async def test_retry_after_as_a_date(web_server: WebServer) -> None:
    web_server.rate_limit("/feed.xml", "Thu, 03 Dec 2099 14:00:00 GMT", status=503)
    result = await fetch(web_server.url("/feed.xml"))
    assert result.retry_after == "2099-12-03T14:00:00Z"
    assert result.error == "server asked to wait until 2099-12-03 14:00 UTC (HTTP 503)"


async def test_429_without_retry_after_is_not_retried(web_server: WebServer) -> None:
    web_server.add("/feed.xml", b"", status=429)
    result = await fetch(web_server.url("/feed.xml"))
    assert (result.error, result.retry_after) == ("HTTP 429 Too Many Requests", None)
    assert len(web_server.requests) == 1


@pytest.mark.parametrize(("connections", "per_host"), [(16, 2), (2, 4)])
async def test_concurrency_limits(web_server: WebServer, connections: int, per_host: int) -> None:
    web_server.slow("/feed.xml", FEED, delay=0.2)
    async with Fetcher(FetchLimits(connections=connections, per_host=per_host)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(web_server.url(f"/feed.xml?{n}")) for n in range(10)))
    assert all(result.ok for result in results)
    assert web_server.max_concurrent == 2


async def test_refused_connection() -> None:
    result = await fetch(f"http://127.0.0.1:{closed_port()}/feed.xml")
    assert (result.error, result.status) == ("cannot connect: connection refused", None)


async def test_tls_to_a_plain_server(web_server: WebServer) -> None:
    result = await fetch(f"https://127.0.0.1:{web_server.port}/feed.xml")
    assert result.error is not None and result.error.startswith("TLS error: ")


async def test_server_text_in_errors_cannot_reach_the_terminal(web_server: WebServer) -> None:
    web_server.redirect("/feed", "gopher://evil/\x1b[2J\x07" + "x" * 200)
    web_server.redirect("/bad", "http://evil/\x1b[2J\x07", 302)
    for path in ("/feed", "/bad"):
        result = await fetch(web_server.url(path))
        assert result.status in (301, 302) and result.error is not None
        assert result.error.startswith(
            ("redirected to a non-web address (gopher://evil/ [2J", "redirected to an")
        )
        assert result.error.isprintable() and len(result.error) < 130


def test_fetch_one_from_sync_code(web_server: WebServer) -> None:
    web_server.add("/feed.xml", FEED)
    assert fetch_one(web_server.url("/feed.xml")).body == FEED


def test_limits_from_environment() -> None:
    env = {"READER_MAX_FETCH_BYTES": "2048", "READER_FETCH_DEADLINE": "7.5"}
    assert FetchLimits.from_env(env) == FetchLimits(max_bytes=2048, deadline=7.5)
    assert FetchLimits.from_env({}) == FetchLimits()
    with pytest.raises(ReaderError, match="READER_FETCH_DEADLINE"):
        FetchLimits.from_env({"READER_FETCH_DEADLINE": "soon"})
