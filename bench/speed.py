"""Speed at archive scale, each figure beside bare SQLite FTS5 doing the same work.

    python -m bench                      # 100,000 articles (corpus cached in bench/out)
    python -m bench --articles 20000     # a smaller run
    python -m bench --skip-tui           # without the tmux measurements

Prints one JSON report (also written to bench/out/report-N.json). "Bare"
means SQLite FTS5 as it comes: the raw text of the same files inserted into
an FTS5 table (unicode61, content stored) and queried with MATCH + bm25.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import platform
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.corpus import ROOT, generate, vocabulary_for
from store.analysis.arabic import STOPWORDS, normalise

OUT = ROOT / "bench" / "out"
QUERIES_PER_KIND = 12
REPEATS = 5


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def millis(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 0.5) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
    }


def ratio(ours: float, bare: float) -> float:
    return round(ours / bare, 2) if bare else float("nan")


def reader_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "reader", *args]


def run_timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """(seconds, peak RSS of the process and its children in MB, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{command} failed: {result.stderr[-500:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return elapsed, peak // 1024, result.stdout


# --------------------------------------------------------------------------
# Import


def warm_page_cache(corpus: Path) -> None:
    for path in corpus.rglob("*.txt"):
        path.read_bytes()


#: Imports timed per side, taking turns (ours, bare, ours, bare…): the best of each is compared.
#: On a machine just started, the first round of both sides runs 15-30% slower
#: (the memory each touches for the first time), so it takes two more to leave
#: more than one fair pair.
IMPORT_ROUNDS = 3


def bench_import(corpus: Path, db: Path, articles: int, rounds: int = IMPORT_ROUNDS) -> dict[str, object]:
    """Ours and bare FTS5's import of the same files, in turns.

    The host's load comes and goes over minutes, and a single pair of runs
    compared whichever moments each side happened to get (the same code
    measured 1.01-1.26x bare in consecutive pairs). Load only ever adds
    time, so each side's best run is its own speed; every run is reported.
    """
    bare_db = db.with_name("bare.db")
    ours: list[float] = []
    bare: list[float] = []
    peak, stdout = 0, ""
    for _ in range(rounds):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        # Both read the corpus from the page cache, not one from the disk, and
        # neither shares the cores with writing out what the other one wrote.
        warm_page_cache(corpus)
        os.sync()
        seconds, used, stdout = run_timed(reader_command("--db", str(db), "import", str(corpus)))
        ours.append(seconds)
        peak = max(peak, used)
        warm_page_cache(corpus)
        os.sync()
        bare_command = [sys.executable, "-m", "bench.bare", "index", str(corpus), str(bare_db)]
        bare_seconds, _, _ = run_timed(bare_command)
        bare.append(bare_seconds)
    size = db.stat().st_size + sum(
        Path(f"{db}{s}").stat().st_size for s in ("-wal",) if Path(f"{db}{s}").exists()
    )
    return {
        "articles": articles,
        "summary": stdout.strip().splitlines()[0],
        "seconds": round(min(ours), 1),
        "runs_s": [round(s, 1) for s in ours],
        "articles_per_s": round(articles / min(ours)),
        "peak_rss_mb": peak,
        "library_mb": round(size / 1e6),
        "bytes_per_article": round(size / articles),
        "bare": {
            "seconds": round(min(bare), 1),
            "runs_s": [round(s, 1) for s in bare],
            "articles_per_s": round(articles / min(bare)),
            "library_mb": round(bare_db.stat().st_size / 1e6),
        },
        "time_ratio_to_bare": ratio(min(ours), min(bare)),
        "ratio_of_each_round": [ratio(a, b) for a, b in zip(ours, bare, strict=True)],
    }


# --------------------------------------------------------------------------
# Queries


def pick_queries(db: Path, articles: int, seed: int = 7) -> dict[str, list[str]]:
    """Rare words, words in about half the articles, phrases and prefixes, from the index."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    vocabulary = vocabulary_for()
    rare: list[str] = []
    for word in rng.sample(vocabulary.words[len(vocabulary.words) // 2 :], 400):
        row = conn.execute("SELECT doc FROM articles_vocab WHERE term = ?", (word,)).fetchone()
        if row and 1 <= row[0] <= max(5, articles // 2000) and re.fullmatch("[\u0621-\u064a]+", word):
            rare.append(word)
        if len(rare) == QUERIES_PER_KIND:
            break
    common = [
        row[0]
        for row in conn.execute(
            "SELECT term FROM articles_vocab WHERE doc BETWEEN ? AND ? ORDER BY doc DESC LIMIT 200",
            (int(articles * 0.35), int(articles * 0.65)),
        )
        if re.fullmatch("[\u0621-\u064a]{3,}", row[0]) and row[0] not in STOPWORDS
    ][:QUERIES_PER_KIND]
    phrases: list[str] = []
    count = conn.execute("SELECT max(id) FROM articles").fetchone()[0] or 0
    ids = rng.sample(range(1, count + 1), min(200, count))
    for article_id in ids:
        row = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            continue
        body = row[0]
        words = re.findall("[\u0621-\u064a]{3,}", body)
        if len(words) > 10:
            start = rng.randrange(len(words) - 2)
            pair = words[start : start + 2]
            # A phrase of function words only is refused by the query parser.
            if not any(normalise(word) in STOPWORDS for word in pair):
                phrases.append(f'"{pair[0]} {pair[1]}"')
        if len(phrases) == QUERIES_PER_KIND:
            break
    prefixes = [
        row[0][:4] + "*"
        for row in conn.execute(
            "SELECT term FROM articles_vocab WHERE term >= char(1569) AND doc BETWEEN ? AND ? "
            "ORDER BY term LIMIT 4000",
            (max(2, articles // 1000), max(10, articles // 50)),
        )
        if re.fullmatch("[\u0621-\u064a]{6,}", row[0])
    ]
    prefixes = rng.sample(sorted(set(prefixes)), min(QUERIES_PER_KIND, len(set(prefixes))))
    long_queries = long_natural_queries(conn, rng, count)
    conn.close()
    return {"rare": rare, "common": common, "phrase": phrases, "prefix": prefixes, "long": long_queries}


_QUESTION_STARTS = ("ما", "متى", "كيف", "لماذا", "أين", "من هو", "كم", "هل")


def long_natural_queries(conn: sqlite3.Connection, rng: random.Random, count: int) -> list[str]:
    """Questions typed in plain words: a question word, then six to nine words of an article."""
    queries: list[str] = []
    for article_id in rng.sample(range(1, count + 1), min(400, count)):
        row = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            continue
        words = re.findall("[\u0621-\u064a]{2,}", row[0])
        if len(words) < 30:
            continue
        size = rng.randrange(6, 10)
        start = rng.randrange(len(words) - size)
        queries.append(f"{rng.choice(_QUESTION_STARTS)} {' '.join(words[start : start + size])}؟")
        if len(queries) == QUERIES_PER_KIND:
            break
    return queries


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def bench_search(db: Path, queries: dict[str, list[str]]) -> dict[str, object]:
    from reader.widgets.search_pane import QUICK_LIMIT, RANKED_LIMIT
    from store.library import Library

    visible_rows = 20
    bare = sqlite3.connect(db.with_name("bare.db"))
    results: dict[str, object] = {}
    with Library(db) as library:
        for kind, items in queries.items():
            typing: list[float] = []
            ranked: list[float] = []
            baseline: list[float] = []
            with_snippets: list[float] = []
            for query in items:
                library.search(query, limit=RANKED_LIMIT, snippets=False, with_total=False)  # warm
                for _ in range(REPEATS):
                    typing.append(
                        timed(
                            partial(
                                library.search, query, limit=QUICK_LIMIT, recent_first=True, with_total=False
                            )
                        )
                    )
                    ranked.append(
                        timed(
                            partial(
                                library.search,
                                query,
                                limit=RANKED_LIMIT,
                                with_total=False,
                                snippet_rows=visible_rows,
                            )
                        )
                    )
                    baseline.append(timed(partial(bare_search, bare, query)))
                    with_snippets.append(timed(partial(bare_search, bare, query, snippet_rows=visible_rows)))
            ours = millis(ranked)
            reference = millis(baseline)
            same_work = millis(with_snippets)
            results[kind] = {
                "queries": items,
                "first_results_while_typing": millis(typing),
                "ranked_top50": ours,
                "bare_match_bm25_top50": reference,
                "p95_ratio_to_bare": ratio(ours["p95_ms"], reference["p95_ms"]),
                "bare_top50_with_snippets": same_work,
                "p95_ratio_to_bare_with_snippets": ratio(ours["p95_ms"], same_work["p95_ms"]),
            }
    bare.close()
    return results


def bare_search(conn: sqlite3.Connection, query: str, snippet_rows: int = 0) -> list[tuple[int, float]]:
    """Top 50 by bm25; with ``snippet_rows``, FTS5's own snippets for the first rows too."""
    if query.endswith(("*", '"')):
        match = query
    elif " " in query:  # a long query: bare FTS5's best is its words ORed
        match = " OR ".join(f'"{word}"' for word in query.replace("؟", " ").split())
    else:
        match = f'"{query}"'
    rows = conn.execute(
        "SELECT rowid, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 50",
        (match,),
    ).fetchall()
    shown = [row[0] for row in rows[:snippet_rows]]
    if shown:
        conn.execute(
            "SELECT rowid, snippet(docs, 1, '[', ']', '…', 28) FROM docs "
            f"WHERE docs MATCH ? AND rowid IN ({','.join('?' * len(shown))})",
            (match, *shown),
        ).fetchall()
    return rows


def bench_cli_search(db: Path, queries: dict[str, list[str]]) -> dict[str, object]:
    """``reader search`` as a whole process, beside ``reader --version`` and a bare interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once, not at every start
    figures: dict[str, object] = {}
    version = min(run_timed(reader_command("--version"), env)[0] for _ in range(5))
    interpreter = min(run_timed([sys.executable, "-c", "pass"], env)[0] for _ in range(5))
    for kind in ("rare", "common", "long"):
        times = []
        for query in queries[kind][:3]:
            for _ in range(3):
                seconds, _, _ = run_timed(reader_command("--db", str(db), "search", "--json", query), env)
                times.append(seconds)
        figures[kind] = {
            "median_s": round(statistics.median(times), 3),
            "ratio_to_version": ratio(statistics.median(times), version),
        }
    figures["version_s"] = round(version, 3)
    figures["interpreter_s"] = round(interpreter, 3)
    return figures


# --------------------------------------------------------------------------
# Reading and layout


def bench_reading(db: Path) -> dict[str, object]:
    from reader import layout
    from store.library import Library

    with Library(db) as library:
        conn = sqlite3.connect(db)
        longest = conn.execute(
            "SELECT id, word_count FROM articles ORDER BY word_count DESC LIMIT 1"
        ).fetchone()
        some = [row[0] for row in conn.execute("SELECT id FROM articles WHERE id % 3331 = 7 LIMIT 30")]
        conn.close()
        open_times = []
        for article_id in [longest[0], *some]:
            layout._layout_cached.cache_clear()
            gc.collect()
            start = time.perf_counter()
            article = library.get(article_id)
            for paragraph in (article.title, *article.paragraphs):
                for line in layout.layout_paragraph(paragraph, 76):
                    line.render(76)
            open_times.append(time.perf_counter() - start)
        article = library.get(longest[0])
        words = article.word_count
        runs = []
        for _ in range(3):
            layout._layout_cached.cache_clear()
            start = time.perf_counter()
            for paragraph in article.paragraphs:
                layout.layout_paragraph(paragraph, 76)
            runs.append(time.perf_counter() - start)
        cached = timed(lambda: [layout.layout_paragraph(p, 76) for p in article.paragraphs])
    return {
        "open_longest_article_ms": round(open_times[0] * 1000, 1),
        "longest_article_words": words,
        "open_article_p95_ms": round(percentile(open_times[1:], 0.95) * 1000, 1),
        "layout_ms_per_1000_words": round(min(runs) / words * 1000 * 1000, 1),
        "relayout_cached_ms": round(cached * 1000, 2),
    }


# --------------------------------------------------------------------------
# The app in a real terminal


#: Starts of each app measured (after one that compiles the modules), alternating.
TUI_RUNS = 5
TUI_SIZE = (100, 30)


def bench_tui(db: Path, out: Path) -> dict[str, object]:
    """The app's first painted list, beside a bare Textual app started the same way."""
    tmux = shutil.which("tmux")
    if tmux is None:
        return {"skipped": "tmux is not installed"}
    screen_file = out / "bare-app-screen.txt"
    lines = shaped_screen(TUI_SIZE[0], TUI_SIZE[1] - 1)
    screen_file.write_text("\n".join(lines), encoding="utf-8")
    last = lines[-1].strip()[:20]
    # As installed: modules compiled once (the first start, not timed), not at every start.
    env = f"env -u COLUMNS -u LINES -u PYTHONDONTWRITEBYTECODE PYTHONPATH={ROOT}"
    reader_app = f"{env} {sys.executable} -m reader --db {db}"
    bare_app = f"{env} {sys.executable} -m bench.bare_app {screen_file}"
    starts: list[float] = []
    bare_starts: list[float] = []
    peak = 0
    for attempt in range(TUI_RUNS + 1):
        bare, _ = _first_paint(tmux, bare_app, lambda screen: "Quit" in screen and last in screen)
        ours, base = _first_paint(
            tmux, reader_app, lambda screen: "′" in screen and "Articles · " in screen, keep=True
        )
        if attempt == TUI_RUNS:
            # Use it a little (scroll far, open, search), then read its peak memory.
            for keys in (["G"], ["enter"], ["space"], ["slash"], ["-l", "روسيا"], ["Enter"]):
                subprocess.run([*base, "send-keys", "-t", "t", *keys], check=True)
                time.sleep(0.4)
            pid = subprocess.run(
                [*base, "display", "-p", "-t", "t", "#{pane_pid}"], capture_output=True, text=True
            ).stdout.strip()
            peak = _peak_rss_mb(int(pid))
        subprocess.run([*base, "kill-server"], capture_output=True)
        if attempt:  # the first start of each compiles its modules
            starts.append(ours)
            bare_starts.append(bare)
    return {
        "first_painted_list_s": round(min(starts), 3),
        "first_paint_runs_s": [round(s, 3) for s in starts],
        "bare_textual_first_paint_s": round(min(bare_starts), 3),
        "bare_textual_runs_s": [round(s, 3) for s in bare_starts],
        "ratio_to_bare_textual": ratio(min(starts), min(bare_starts)),
        "median_ratio_to_bare_textual": ratio(statistics.median(starts), statistics.median(bare_starts)),
        "peak_rss_mb": peak,
    }


def shaped_screen(width: int, height: int) -> list[str]:
    """A screen of a seed article's lines, shaped and in visual order, right-aligned."""
    from reader import layout

    text = sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        for line in layout.layout_paragraph(paragraph, width - 2):
            lines.append(" " * line.padding(width - 2) + line.text)
    return lines[:height]


_sockets = itertools.count()


def _first_paint(
    tmux: str, command: str, painted: Callable[[str], bool], keep: bool = False
) -> tuple[float, list[str]]:
    """Seconds from starting ``command`` in a new tmux server to a screen that ``painted``
    accepts, and the tmux command line of that server (a new one each time: a server
    being killed may still hold its socket)."""
    base = [tmux, "-L", f"qari-bench-{os.getpid()}-{next(_sockets)}"]
    width, height = TUI_SIZE
    start = time.perf_counter()
    subprocess.run(
        [*base, "new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), command], check=True
    )
    while True:
        screen = subprocess.run(
            [*base, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
        ).stdout
        if painted(screen):
            break
        if time.perf_counter() - start > 30:
            raise RuntimeError(f"{command} did not paint its first screen:\n{screen}")
        time.sleep(0.005)
    elapsed = time.perf_counter() - start
    if not keep:
        subprocess.run([*base, "kill-server"], capture_output=True)
    return elapsed, base


def _peak_rss_mb(pid: int) -> int:
    """VmHWM of a process or its python child (the pane runs `env … python`)."""
    candidates = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        candidates += [int(c) for c in children.read_text().split()]
    best = 0
    for candidate in candidates:
        status = Path(f"/proc/{candidate}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    best = max(best, int(line.split()[1]) // 1024)
    return best


# --------------------------------------------------------------------------


#: Each figure's limit: a ratio to the engine underneath measured in the same run, or a size.
LIMITS = {
    "library_size_ratio_to_bare_fts5": 1.35,
    "import_time_ratio_to_bare_fts5": 1.25,
    "import_peak_rss_mb": 250,
    "app_first_paint_ratio_to_bare_textual": 1.3,
}


def limits(report: dict[str, Any]) -> dict[str, dict[str, object]]:
    """Each measured figure beside its limit, and whether it is within it."""
    figures: dict[str, float] = {}
    if "import" in report:
        done = report["import"]
        figures["library_size_ratio_to_bare_fts5"] = ratio(done["library_mb"], done["bare"]["library_mb"])
        figures["import_time_ratio_to_bare_fts5"] = done["time_ratio_to_bare"]
        figures["import_peak_rss_mb"] = done["peak_rss_mb"]
    if "ratio_to_bare_textual" in report.get("tui", {}):
        figures["app_first_paint_ratio_to_bare_textual"] = report["tui"]["ratio_to_bare_textual"]
    return {
        name: {"value": value, "limit": LIMITS[name], "within": value <= LIMITS[name]}
        for name, value in figures.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--skip-tui", action="store_true")
    parser.add_argument("--keep-library", action="store_true", help="reuse an imported library if present")
    parser.add_argument(
        "--import-rounds",
        type=int,
        default=IMPORT_ROUNDS,
        help="imports timed per side, in turns; the best of each is compared",
    )
    parser.add_argument("--skip-search", action="store_true", help="leave out the search and reading figures")
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="folder for the libraries and the report (the corpus stays in bench/out)",
    )
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    corpus = generate(OUT / f"corpus-{args.articles}", args.articles)
    generated = time.perf_counter() - started
    db = out / f"library-{args.articles}.db"
    report: dict[str, object] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
        },
        "corpus": {"articles": args.articles, "folder": str(corpus), "generated_s": round(generated, 1)},
    }
    if not (args.keep_library and db.exists()):
        report["import"] = bench_import(corpus, db, args.articles, max(1, args.import_rounds))
    if not args.skip_search:
        queries = pick_queries(db, args.articles)
        report["search"] = bench_search(db, queries)
        report["cli_search"] = bench_cli_search(db, queries)
        report["reading"] = bench_reading(db)
    if not args.skip_tui:
        report["tui"] = bench_tui(db, out)
    report["bench_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    report["limits"] = limits(report)
    text = json.dumps(report, ensure_ascii=False, indent=2)
    (out / f"report-{args.articles}.json").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
