"""Refreshing feeds end to end, beside trafilatura's own extraction rate.

    python -m bench.refresh                          # 200 feeds x 20 full-text pages
    python -m bench.refresh --feeds 20 --entries 5   # a smaller run
    python -m bench.refresh --json                   # the report as JSON
    python -m bench.refresh --light                  # pages without a real page's furniture

A local server (a separate process, on loopback addresses only) serves the
synthetic site of :mod:`bench.pages`: RSS feeds whose items carry only a
teaser, each linking to a full-text Arabic news page. Each page carries what
a real news page weighs around its article (scripts, inline state, menus,
icons, footers: :mod:`bench.page_weight`, about 190 KB a page); ``--light``
leaves that out (6 KB pages, where fixed costs per page dominate). Every response carries
an ETag and a Last-Modified and a conditional request for an unchanged file
gets a 304. Feeds are spread over several loopback host names
(127.0.0.1, 127.0.0.2, …), as a real refresh reaches many sites.

A fresh library subscribes to the feeds (``reader feed import`` of an OPML
file), then ``reader refresh`` runs twice, each timed as a whole process
(interpreter start, worker processes, fetching, extraction, storing):

1. every page is new: pages extracted per second end to end, beside
   trafilatura's single-process rate on the same pages' bytes
   (``trafilatura.extract(html)``, and with ``with_metadata=True`` on a sample);
2. every feed answers 304: the wall time, and nothing may be added.

CPU seconds are read from /proc for the refresh process and each of its
worker processes, and from the server itself, to show where the time goes;
the machine's total (from /proc/stat) shows how much other processes took
meanwhile. Since a refresh is bound by CPU, its CPU seconds spread over every
core give a rate that does not depend on that load (the "CPU-bound
estimate", compared with trafilatura's pages per CPU second). The report is
also written to bench/out/refresh-FxE.json. Exits 1 if a refresh fails or
the second one adds anything.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from html import escape
from pathlib import Path
from typing import Any

from bench.corpus import ROOT
from bench.pages import generate_site, substitute_base

OUT = ROOT / "bench" / "out"
SEED = 20261203
#: When every file of the site was "last modified" (what Last-Modified says).
MODIFIED = 1_764_784_800.0  # 2025-12-03 18:00 UTC
_CLOCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


# ---------------------------------------------------------------- the server


@dataclass
class _Served:
    """A file's answers: the full response, and the 304 for a conditional request."""

    etag: bytes
    full: bytes
    not_modified: bytes


@dataclass
class _Stats:
    requests: int = 0
    full: int = 0
    not_modified: int = 0
    conditional: int = 0
    missing: int = 0
    started: float = field(default_factory=time.process_time)

    def reset(self) -> None:
        self.__dict__.update(_Stats().__dict__)


def _host_for(feed: int, hosts: int) -> str:
    return f"127.0.0.{1 + (feed - 1) % hosts}"


class _Site:
    """Every file of the site in memory, its ``{base}`` filled in for the host it is served from."""

    def __init__(self, out: Path) -> None:
        self.files: dict[str, bytes] = {}
        for path in sorted(out.rglob("*")):
            if path.is_file() and path.suffix in (".xml", ".html"):
                self.files["/" + path.relative_to(out).as_posix()] = path.read_bytes()
        self.served: dict[tuple[str, str], _Served] = {}
        self.modified = formatdate(MODIFIED, usegmt=True).encode("ascii")

    def prepare(self, hosts: int, port: int) -> None:
        """Every answer made in advance, for the host each file is served from."""
        for name in self.files:
            feed = int(name.split("/")[2].split(".")[0])  # /feeds/NNN.xml, /pages/NNN/MMM.html
            self.answer(f"{_host_for(feed, hosts)}:{port}", name)

    def answer(self, host: str, path: str) -> _Served | None:
        served = self.served.get((host, path))
        if served is None:
            data = self.files.get(path)
            if data is None:
                return None
            body = substitute_base(data, f"http://{host}")
            etag = b'"' + hashlib.blake2b(body, digest_size=8).hexdigest().encode("ascii") + b'"'
            kind = b"application/rss+xml" if path.endswith(".xml") else b"text/html"
            head = b"ETag: " + etag + b"\r\nLast-Modified: " + self.modified + b"\r\n"
            full = (
                b"HTTP/1.1 200 OK\r\nContent-Type: "
                + kind
                + b"\r\nContent-Length: "
                + str(len(body)).encode("ascii")
                + b"\r\n"
                + head
                + b"\r\n"
                + body
            )
            not_modified = b"HTTP/1.1 304 Not Modified\r\n" + head + b"Content-Length: 0\r\n\r\n"
            served = self.served[(host, path)] = _Served(etag, full, not_modified)
        return served


def _fresh(served: _Served, headers: dict[bytes, bytes]) -> bool:
    """Whether a conditional request's validators match (then: 304)."""
    if b"if-none-match" in headers:
        return served.etag in [tag.strip() for tag in headers[b"if-none-match"].split(b",")]
    since = headers.get(b"if-modified-since")
    if since:
        with contextlib.suppress(TypeError, ValueError):
            return parsedate_to_datetime(since.decode("latin-1")).timestamp() >= MODIFIED
    return False


class _Connection(asyncio.Protocol):
    """HTTP/1.1 with keep-alive, GET only, answers from memory."""

    def __init__(self, site: _Site, stats: _Stats) -> None:
        self.site, self.stats, self.buffer = site, stats, b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            head, self.buffer = self.buffer[:end], self.buffer[end + 4 :]
            lines = head.split(b"\r\n")
            parts = lines[0].split(b" ")
            headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            self.transport.write(self.respond(parts[1].decode("latin-1") if len(parts) > 1 else "/", headers))
            if headers.get(b"connection", b"").lower() == b"close":
                self.transport.close()
                return

    def respond(self, target: str, headers: dict[bytes, bytes]) -> bytes:
        stats = self.stats
        stats.requests += 1
        path = target.split("?", 1)[0]
        if path == "/_stats":
            report = {
                "requests": stats.requests - 1,
                "full": stats.full,
                "not_modified": stats.not_modified,
                "conditional": stats.conditional,
                "missing": stats.missing,
                "cpu_s": round(time.process_time() - stats.started, 2),
            }
            stats.requests -= 1
            body = json.dumps(report).encode("ascii")
            return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        if path == "/_reset":
            self.stats.reset()
            return b"HTTP/1.1 204 No Content\r\n\r\n"
        served = self.site.answer(headers.get(b"host", b"").decode("latin-1"), path)
        if served is None:
            stats.missing += 1
            return b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        if b"if-none-match" in headers or b"if-modified-since" in headers:
            stats.conditional += 1
            if _fresh(served, headers):
                stats.not_modified += 1
                return served.not_modified
        stats.full += 1
        return served.full


def serve_site(out: Path, hosts: int) -> None:
    """Serve ``out`` on 127.0.0.1..127.0.0.N, one port; print the port, then serve until stdin closes."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        stats = _Stats()
        site = _Site(out)
        for _attempt in range(20):
            servers: list[asyncio.Server] = []
            try:
                first = await loop.create_server(lambda: _Connection(site, stats), "127.0.0.1", 0)
                servers.append(first)
                port = first.sockets[0].getsockname()[1]
                for number in range(2, hosts + 1):
                    servers.append(
                        await loop.create_server(lambda: _Connection(site, stats), f"127.0.0.{number}", port)
                    )
                break
            except OSError:  # the port is taken on another loopback address: another port
                for server in servers:
                    server.close()
        else:
            raise OSError("no free port on the loopback addresses")
        site.prepare(hosts, port)
        stats.reset()
        print(port, flush=True)
        await loop.run_in_executor(None, sys.stdin.read)  # until the benchmark closes the pipe
        for server in servers:
            server.close()

    asyncio.run(run())


class Server:
    """The site served by a separate process (so it does not compete for this one's GIL)."""

    def __init__(self, out: Path, hosts: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.refresh", "--serve", str(out), "--hosts", str(hosts)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.strip().isdigit():
            self.close()
            raise RuntimeError("the benchmark's server did not start")
        self.port = int(line)
        self.hosts = hosts

    def base(self, feed: int) -> str:
        return f"http://{_host_for(feed, self.hosts)}:{self.port}"

    def _get(self, path: str) -> bytes:
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
            return bytes(response.read())

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self._get("/_stats"))
        return result

    def reset(self) -> None:
        self._get("/_reset")

    def close(self) -> None:
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# ---------------------------------------------------------------- measuring


def _cpu_of(pid: int) -> float | None:
    """CPU seconds (user + system) of a live process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK


def _machine_busy() -> float:
    """CPU seconds all processes of the machine have used (from /proc/stat)."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / _CLOCK


def _children_of(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                children += [int(c) for c in (task / "children").read_text().split()]
    return children


@dataclass
class Run:
    seconds: float
    returncode: int
    report: dict[str, Any] | None
    stderr: str
    cpu_refresh_s: float
    cpu_workers_s: list[float]
    cpu_machine_s: float  # every process of the machine, the server and other users' included


def run_refresh(db: Path, workers: int | None) -> Run:
    """``reader --db DB refresh --json``, timed as a whole, its CPU (and its workers') sampled."""
    command = [sys.executable, "-m", "reader", "--db", str(db), "refresh", "--json"]
    if workers:
        command += ["--workers", str(workers)]
    cpu: dict[int, float] = {}
    busy = _machine_busy()
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in [process.pid, *_children_of(process.pid)]:
                if (seconds := _cpu_of(pid)) is not None:
                    cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    busy = _machine_busy() - busy
    done.set()
    sampler.join()
    try:
        report = json.loads(stdout)
    except json.JSONDecodeError:
        report = None
    return Run(
        seconds=seconds,
        returncode=process.returncode,
        report=report,
        stderr=stderr,
        cpu_refresh_s=round(cpu.pop(process.pid, 0.0), 2),
        cpu_workers_s=[round(value, 2) for value in sorted(cpu.values(), reverse=True)],
        cpu_machine_s=round(busy, 2),
    )


def trafilatura_rate(documents: list[bytes], *, with_metadata: bool) -> dict[str, float]:
    """trafilatura's single-process rate: ``trafilatura.extract`` on each page's bytes."""
    import trafilatura

    for document in documents[:10]:  # what loads lazily (date parsers, language data)
        trafilatura.extract(document, with_metadata=with_metadata)
    started, cpu = time.perf_counter(), time.process_time()
    for document in documents:
        trafilatura.extract(document, with_metadata=with_metadata)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "pages": len(documents),
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 3),
        "pages_per_s": round(len(documents) / seconds, 1),
        "pages_per_cpu_s": round(len(documents) / cpu, 1),
    }


def _combined(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """Two halves of trafilatura's run as one (rates of the whole), each half kept."""
    pages = before["pages"] + after["pages"]
    seconds = before["seconds"] + after["seconds"]
    cpu = before["cpu_s"] + after["cpu_s"]
    return {
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 1),
        "pages_per_cpu_s": round(pages / cpu, 1),
        "before_refresh_pages_per_s": before["pages_per_s"],
        "after_refresh_pages_per_s": after["pages_per_s"],
    }


def write_opml(path: Path, server: Server, feeds: int) -> None:
    outlines = "".join(
        f'<outline type="rss" text="feed {n}" xmlUrl="{escape(server.base(n))}/feeds/{n:03d}.xml"/>\n'
        for n in range(1, feeds + 1)
    )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>bench</title></head>'
        f"<body>\n{outlines}</body></opml>\n",
        encoding="utf-8",
    )


def count_articles(db: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def site_for(feeds: int, entries: int, light: bool = False) -> Path:
    out = OUT / f"refresh-site-{feeds}x{entries}{'-light' if light else '-weighted'}"
    if not (out / "feeds" / f"{feeds:03d}.xml").is_file():
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        generate_site(out, feeds, entries, SEED, weight=not light)
        print(f"generated {feeds * entries} pages in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


def _failure(run: Run) -> str | None:
    if run.report is None:
        return f"reader refresh exited {run.returncode} without a report: {run.stderr.strip()[-500:]}"
    if run.returncode != 0 or run.report.get("failed"):
        bad = [f for f in run.report["feeds"] if f["status"] != "ok"][:3]
        return f"reader refresh exited {run.returncode}, {run.report.get('failed')} feeds failed: {bad}"
    return None


def bench(
    feeds: int, entries: int, hosts: int, workers: int | None, sample: int, light: bool = False
) -> dict[str, Any]:
    out = site_for(feeds, entries, light)
    pages = feeds * entries
    server = Server(out, hosts)
    tmp = Path(tempfile.mkdtemp(prefix="qari-bench-refresh-"))
    try:
        db = tmp / "library.db"
        opml = tmp / "feeds.opml"
        write_opml(opml, server, feeds)
        subprocess.run(
            [sys.executable, "-m", "reader", "--db", str(db), "feed", "import", str(opml)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        # trafilatura on the very bytes the refresh receives: half the pages just
        # before the refresh, half just after, so that a host whose speed drifts
        # during the run weighs on both sides of the ratio alike.
        documents = [
            substitute_base(path.read_bytes(), server.base(feed))
            for feed in range(1, feeds + 1)
            for path in sorted((out / "pages" / f"{feed:03d}").glob("*.html"))
        ]
        before = trafilatura_rate(documents[0::2], with_metadata=False)
        server.reset()
        first = run_refresh(db, workers)
        first_server = server.stats()
        articles_first = count_articles(db)
        after = trafilatura_rate(documents[1::2], with_metadata=False)
        server.reset()
        second = run_refresh(db, workers)
        second_server = server.stats()
        articles_second = count_articles(db)
    finally:
        server.close()
        shutil.rmtree(tmp, ignore_errors=True)
    bare = _combined(before, after)
    step = max(1, len(documents) // max(1, sample))
    with_metadata = trafilatura_rate(documents[::step][:sample], with_metadata=True) if sample else None
    rate = round(pages / first.seconds, 1)
    refresh_cpu = first.cpu_refresh_s + sum(first.cpu_workers_s)
    estimate = (os.cpu_count() or 1) * pages / refresh_cpu if refresh_cpu else 0.0
    errors = [problem for problem in (_failure(first), _failure(second)) if problem]
    if first.report is not None and first.report.get("new") != pages:
        errors.append(f"the first refresh added {first.report.get('new')} articles, not {pages}")
    if second.report is not None and (second.report.get("new") or second.report.get("updated")):
        errors.append(
            f"the all-304 refresh added {second.report.get('new')}, updated {second.report.get('updated')}"
        )
    if articles_second != articles_first:
        errors.append(f"articles went from {articles_first} to {articles_second} on the all-304 refresh")
    if second_server["not_modified"] != feeds:
        errors.append(f"{second_server['not_modified']} of {feeds} feeds answered 304 on the second refresh")
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "feeds": feeds,
        "entries": entries,
        "pages": pages,
        "page_kb": round(sum(map(len, documents)) / max(1, len(documents)) / 1024, 1),
        "light": light,
        "hosts": hosts,
        "workers": workers or os.cpu_count(),
        "refresh": {
            "seconds": round(first.seconds, 2),
            "pages_per_s": rate,
            "new": first.report.get("new") if first.report else None,
            "articles": articles_first,
            "cpu_refresh_process_s": first.cpu_refresh_s,
            "cpu_workers_s": first.cpu_workers_s,
            "cpu_machine_s": first.cpu_machine_s,
            "server": first_server,
        },
        "trafilatura": {"bare": bare, "with_metadata": with_metadata},
        "ratio": round(rate / bare["pages_per_s"], 2),
        # With the machine to itself, a refresh bound by CPU would take its CPU
        # seconds spread over every core: a load-independent view of the same ratio.
        "cpu_bound_estimate": {
            "pages_per_s": round(estimate, 1),
            "ratio": round(estimate / bare["pages_per_cpu_s"], 2),
        },
        "ratio_with_metadata": round(rate / with_metadata["pages_per_s"], 2) if with_metadata else None,
        "not_modified": {
            "seconds": round(second.seconds, 2),
            "new": second.report.get("new") if second.report else None,
            "updated": second.report.get("updated") if second.report else None,
            "articles": articles_second,
            "cpu_refresh_process_s": second.cpu_refresh_s,
            "server": second_server,
        },
        "errors": errors,
    }


def table(result: dict[str, Any]) -> str:
    refresh, nm, bare = result["refresh"], result["not_modified"], result["trafilatura"]["bare"]
    meta = result["trafilatura"]["with_metadata"]
    pages = result["pages"]
    workers = refresh["cpu_workers_s"]
    rows = [
        (
            "feeds x entries",
            f"{result['feeds']} x {result['entries']}",
            f"on {result['hosts']} loopback hosts, pages of {result.get('page_kb', '?')} KB on average"
            + (" (--light)" if result.get("light") else ""),
        ),
        (
            "refresh, all new",
            f"{refresh['seconds']:.2f} s",
            f"{refresh['new']} new, {refresh['articles']} articles",
        ),
        ("  pages/s end to end", f"{refresh['pages_per_s']:.1f}", f"{result['workers']} workers"),
        (
            "trafilatura.extract, 1 process",
            f"{bare['pages_per_s']:.1f}",
            f"pages/s on the same {bare['pages']} pages (half before the refresh:"
            f" {bare.get('before_refresh_pages_per_s', '?')},"
            f" half after: {bare.get('after_refresh_pages_per_s', '?')})",
        ),
        ("  ratio (target >= 1.6)", f"{result['ratio']:.2f}", ""),
    ]
    if meta:
        rows += [
            ("  with_metadata=True", f"{meta['pages_per_s']:.1f}", f"pages/s on {meta['pages']} of them"),
            ("  ratio to that", f"{result['ratio_with_metadata']:.2f}", ""),
        ]
    estimate = result["cpu_bound_estimate"]
    rows += [
        (
            "  CPU-bound estimate",
            f"{estimate['pages_per_s']:.1f}",
            f"pages/s, ratio {estimate['ratio']:.2f} (CPU s of the refresh over"
            f" {result['machine']['cpus']} cores, vs trafilatura's CPU s)",
        ),
        (
            "CPU ms a page: refresh process",
            f"{1000 * refresh['cpu_refresh_process_s'] / pages:.2f}",
            "fetching, storing",
        ),
        (
            "  worker processes",
            f"{1000 * sum(workers) / pages:.2f}",
            f"feed parsing, extraction ({len(workers)} processes)",
        ),
        ("  server", f"{1000 * refresh['server']['cpu_s'] / pages:.2f}", ""),
        (
            "  whole machine",
            f"{1000 * refresh['cpu_machine_s'] / pages:.2f}",
            f"other users' processes included ({refresh['cpu_machine_s']:.1f} CPU s"
            f" of {result['machine']['cpus'] or 1} x {refresh['seconds']:.1f} s)",
        ),
        (
            "refresh, all 304 (target <= 3 s)",
            f"{nm['seconds']:.2f} s",
            f"{nm['new']} new, {nm['articles']} articles, {nm['server']['not_modified']} answered 304",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    value = max(len(r[1]) for r in rows)
    lines = [f"{a:<{width}}  {b:>{value}}  {c}".rstrip() for a, b, c in rows]
    lines += [f"ERROR: {error}" for error in result["errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.refresh", description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=8, help="loopback host names the feeds are spread over")
    parser.add_argument(
        "--workers", type=int, default=None, help="reader refresh --workers (default: all cores)"
    )
    parser.add_argument(
        "--sample", type=int, default=400, help="pages for trafilatura with metadata (0: skip)"
    )
    parser.add_argument(
        "--light", action="store_true", help="pages without a real page's furniture (bench.page_weight)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve_site(args.serve, args.hosts)
        return 0
    if not 1 <= args.feeds <= 999 or args.entries < 1 or not 1 <= args.hosts <= 254:
        parser.error("--feeds must be 1 to 999, --entries at least 1, --hosts 1 to 254")
    result = bench(args.feeds, args.entries, args.hosts, args.workers, args.sample, args.light)
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "-light" if args.light else ""
    report = OUT / f"refresh-{args.feeds}x{args.entries}{suffix}.json"
    report.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
