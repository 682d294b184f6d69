"""The ``reader`` command: a thin layer over :mod:`store.library`.

Exit codes: 0 success, 1 a user error (unknown ID, a query that cannot run,
files that failed to import, an unusable library), 2 a usage error. Bad
input never produces a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reader import __version__
from reader.layout import RenderMode
from reader.settings import default_db_path, resolve_mode
from store.errors import LibraryError, LibraryReadOnly, ReaderError
from store.text.sanitize import visible_controls

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
A terminal news reader for Arabic: a library of articles with Arabic-aware
search, read in a full-screen app where Arabic is joined, ordered and aligned.
Run without a command to open the app."""

QUERY_HELP = """\
query language:
  بوتين شي                 articles with both words, in any form (وبوتين, الصيني…)
  "مجلس الأمن"             the exact phrase
  زيلين*                   words starting with زيلين
  -ترامب  or  NOT ترامب    without a word
  كييف OR موسكو            either word (OR binds tighter than the implicit AND)
  (كييف OR موسكو) صواريخ   grouping
  title:كورسك              in the title only
  is:bookmarked is:unread is:read site:NAME   filters
  feed:NAME after:2026-12-01 before:2026-12-03
                           by feed; by date published (else imported), after: from
                           that day on, before: up to the day before
A query that starts with "-" needs "--" before it: reader search -- -ترامب بوتين"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _article_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"an article ID is a number, not “{value}”") from None
    return number


def _feed_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a feed ID is a number, not “{value}”") from None


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not “{value}”") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="library file (default: $READER_DB, else the user data folder)",
    )
    common.add_argument(
        "--bidi",
        choices=[mode.value for mode in RenderMode],
        default=argparse.SUPPRESS,
        help="how Arabic reaches the terminal: app (shaped and ordered here), "
        "terminal (logical order, for terminals that do bidi), plain",
    )

    parser = _Parser(
        prog="reader",
        description=DESCRIPTION,
        parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run “reader COMMAND --help” for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, **kwargs: Any) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[common],  # type: ignore[list-item]
            formatter_class=argparse.RawDescriptionHelpFormatter,
            **kwargs,
        )

    sub = command("import", "import article files and folders (recursively)")
    sub.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of raw articles")
    sub.add_argument("--json", action="store_true", help="print the report as JSON")
    sub.add_argument("--workers", type=_positive, help="processes to parse with (default: all cores)")

    sub = command("list", "list articles, newest imported first")
    sub.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    sub.add_argument("--json", action="store_true", help="print a JSON array of articles")
    sub.add_argument("--limit", type=_positive, help="at most this many")

    sub = command("show", "print one article")
    sub.add_argument("id", type=_article_id, metavar="ID")
    sub.add_argument("--json", action="store_true", help="print the article as JSON")
    sub.add_argument("--raw", action="store_true", help="print the raw text as imported")

    sub = command("search", "full-text search, best first", epilog=QUERY_HELP)
    sub.add_argument("query", nargs="+", metavar="QUERY", help="words, phrases, filters (see below)")
    sub.add_argument("--limit", type=_positive, default=20, help="at most N results (default 20)")
    sub.add_argument("--offset", type=int, default=0, help="skip the first N results")
    sub.add_argument("--json", action="store_true", help="print a JSON array of hits")
    sub.add_argument("--explain", action="store_true", help="also print the index query that ran")

    sub = command("bookmark", "bookmark an article")
    sub.add_argument("id", type=_article_id, metavar="ID")
    sub = command("unbookmark", "remove an article's bookmark")
    sub.add_argument("id", type=_article_id, metavar="ID")

    sub = command("bookmarks", "list bookmarked articles, most recently saved first")
    sub.add_argument("--json", action="store_true", help="print a JSON array of articles")

    sub = command("export", "write articles to standard output")
    sub.add_argument("--format", choices=["jsonl", "markdown"], default="jsonl", help="default: jsonl")
    sub.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")

    sub = command("analyze", "show the index terms the search analyzer makes of TEXT")
    sub.add_argument("text", nargs="+", metavar="TEXT")
    sub.add_argument("--json", action="store_true", help="print a JSON array of tokens")

    command("reparse", "parse every stored article again from its raw text")
    command("check", "check the library file and its search index for damage (reads only)")
    sub = command(
        "recover",
        "copy every article that can still be read from a damaged library into a new one "
        "(the damaged file is only read)",
    )
    sub.add_argument("target", metavar="NEW.db", help="the new library file to create")
    command("info", "where the library is and what it holds")
    from reader.cli_feeds import add_commands

    add_commands(command, common, _feed_id, _positive)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except ReaderError as error:
        print(f"reader: error: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silences the final flush
        return EXIT_OK
    except Exception as error:  # pragma: no cover - last line of defence
        if os.environ.get("READER_DEBUG"):
            raise
        print(
            f"reader: internal error: {type(error).__name__}: {error} (set READER_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR


def _db_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "db", None)
    return Path(given).expanduser() if given else default_db_path()


def _open(args: argparse.Namespace, *, seed: bool = True, read_only_ok: bool = False) -> Any:
    from store.library import Library

    path = _db_path(args)
    try:
        library = Library(path)
    except LibraryReadOnly:
        if not read_only_ok:
            raise
        # Reading needs no write access: open it read-only and say so.
        library = Library(path, readonly=True)
        print(f"reader: note: {path} is read-only; nothing can be saved to it", file=sys.stderr)
    if seed:
        library.ensure_seeded()
    return library


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _run(args: argparse.Namespace) -> int:
    command = args.command
    mode = resolve_mode(getattr(args, "bidi", None))
    if command is None:
        from reader.app import run_app

        return run_app(_db_path(args), mode=mode, mode_given=getattr(args, "bidi", None) is not None)
    if command == "analyze":
        return _analyze(args, mode)
    if command == "import":
        return _import(args)
    if command == "recover":
        return _recover(args)
    if command == "check":
        return _check(args)

    if command in ("feed", "refresh"):
        from reader import cli_feeds

        reading = command == "feed" and args.feed_command in ("list", "export")
        with _open(args, seed=False, read_only_ok=reading) as library:
            if command == "feed":
                return cli_feeds.run_feed(args, library)
            return cli_feeds.run_refresh(args, library)

    from reader.output import Printer

    writes = command in ("bookmark", "unbookmark", "reparse")
    seed = command not in ("check", "info", "reparse")
    with _open(args, seed=seed, read_only_ok=not writes) as library:
        if command == "list":
            if args.json:
                articles = library.articles(bookmarked=args.bookmarked, limit=args.limit)
                _dump([article.to_json() for article in articles])
            else:
                Printer(mode=mode).summaries(
                    library.summaries_page(bookmarked=args.bookmarked, limit=args.limit)
                )
            return EXIT_OK
        if command == "bookmarks":
            if args.json:
                _dump([article.to_json() for article in library.articles(bookmarked=True)])
                return EXIT_OK
            rows = library.summaries_page(bookmarked=True)
            if rows:
                Printer(mode=mode).summaries(rows)
            else:
                print(
                    "no bookmarks yet: save one with “reader bookmark ID” or “b” in the app", file=sys.stderr
                )
            return EXIT_OK
        if command == "show":
            article = library.get(args.id)
            if args.json:
                _dump(article.to_json())
            elif args.raw:
                raw, encoding = library.raw(args.id)
                text = raw.decode(encoding.replace("-sig", ""), errors="replace")
                if sys.stdout.isatty():
                    # The raw text may hold escape sequences: show them, do not obey them.
                    text = "\n".join(visible_controls(line) for line in text.split("\n"))
                sys.stdout.write(text)
            else:
                printer = Printer(mode=mode)
                printer.article(article)
                if printer.tty:
                    library.mark_read(article.id)
            return EXIT_OK
        if command == "search":
            return _search(args, library, mode)
        if command in ("bookmark", "unbookmark"):
            wanted = command == "bookmark"
            changed = library.set_bookmark(args.id, wanted)
            title = library.get(args.id).title
            state = "bookmarked" if wanted else "removed the bookmark of"
            note = "" if changed else " (it already was)" if wanted else " (it had none)"
            print(f"{state} {args.id}: {title}{note}")
            return EXIT_OK
        if command == "export":
            return _export(args, library)
        if command == "reparse":
            changed = library.reparse()
            print(f"re-parsed {library.count()} articles, {changed} changed")
            return EXIT_OK
        if command == "info":
            size = library.path.stat().st_size if library.path.exists() else 0
            print(f"library: {library.path}")
            print(f"articles: {library.count()} ({library.count(bookmarked=True)} bookmarked)")
            print(f"size: {size / 1e6:.1f} MB")
            older = library.count_parsed_by_older_parser()
            if older:
                print(f"parsed by an older version: {older} (`reader reparse` parses them again)")
            return EXIT_OK
    raise AssertionError(command)  # pragma: no cover


def _check(args: argparse.Namespace) -> int:
    from store.db.connection import damaged_message
    from store.library import Library

    path = _db_path(args)
    if not path.exists():
        raise LibraryError(f"no library at {path}")
    try:
        library = Library(path, upgrade=False)  # a check changes nothing
    except LibraryReadOnly:
        library = Library(path, readonly=True)
    with library:
        problems = library.check()
        for problem in problems:
            print(f"problem: {problem}")
        if problems:
            found = "1 problem found" if len(problems) == 1 else f"{len(problems)} problems found"
            print(f"reader: {damaged_message(path, found)}", file=sys.stderr)
            return EXIT_USER_ERROR
        print(f"ok: {library.path} ({library.count()} articles) passes the integrity checks")
    return EXIT_OK


def _recover(args: argparse.Namespace) -> int:
    from store.db.recover import recover

    path = _db_path(args)
    if not path.exists():
        raise LibraryError(f"no library at {path}")
    target = Path(args.target).expanduser()
    progress = _progress_printer("recovering") if sys.stderr.isatty() else None
    result = recover(path, target, progress=progress)
    if progress:
        sys.stderr.write("\r\x1b[K")
    articles = result.copied.get("articles", 0)
    lost = result.unreadable.get("articles", 0)
    print(f"recovered {articles} articles ({result.bookmarked} bookmarked) into {target}")
    if lost:
        print(f"{lost} articles could not be read (their pages are damaged)")
    print(f"{path} was not changed; use the new library with --db {target} or READER_DB")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    library = _open(args, seed=False)
    progress = _progress_printer("importing") if sys.stderr.isatty() and not args.json else None
    with library:
        report = library.import_paths(args.paths, progress=progress, workers=args.workers)
    if progress:
        sys.stderr.write("\r\x1b[K")
    if args.json:
        _dump(
            {
                "added": report.count("added"),
                "unchanged": report.count("unchanged"),
                "updated": report.count("updated"),
                "failed": report.count("failed"),
                "failures": [{"path": f.origin, "reason": f.reason} for f in report.failures],
            }
        )
    else:
        print(report.summary())
        for failure in report.failures:
            print(f"failed: {failure.origin}: {failure.reason}")
    return EXIT_USER_ERROR if report.failures else EXIT_OK


def _progress_printer(what: str) -> Any:
    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{what} {done:,}/{total:,}")
        sys.stderr.flush()

    return show


def _search(args: argparse.Namespace, library: Any, mode: RenderMode) -> int:
    from reader.output import Printer

    query = " ".join(args.query)
    results = library.search(query, limit=args.limit, offset=max(0, args.offset))
    for note in results.notes:
        print(f"reader: note: {note}", file=sys.stderr)
    if args.explain:
        print(f"reader: index query: {results.expression}", file=sys.stderr)
    if args.json:
        _dump([hit.to_json() for hit in results.hits])
        return EXIT_OK
    if not results.hits:
        print(f"no articles match “{query}”", file=sys.stderr)
        return EXIT_OK
    Printer(mode=mode).search_results(results)
    if sys.stdout.isatty() and results.total is not None and results.total > len(results.hits):
        shown = f"{args.offset + 1}-{args.offset + len(results.hits)}"
        print(f"reader: showing {shown} of {results.total}; use --limit/--offset for more", file=sys.stderr)
    return EXIT_OK


def _export(args: argparse.Namespace, library: Any) -> int:
    out = sys.stdout
    for article in library.export(bookmarked=args.bookmarked):
        if args.format == "jsonl":
            out.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(_markdown(article))
    return EXIT_OK


def _markdown(article: Any) -> str:
    lines = [f"# {article.title}", ""]
    byline = " · ".join(x for x in (article.dateline, *article.credits) if x)
    meta = " · ".join(x for x in (byline, article.site, article.origin) if x)
    if meta:
        lines += [f"*{meta}*", ""]
    for paragraph in article.paragraphs:
        lines += [paragraph, ""]
    lines += ["---", ""]
    return "\n".join(lines)


def _analyze(args: argparse.Namespace, mode: RenderMode) -> int:
    from store.analysis.arabic import tokens

    text = " ".join(args.text)
    found = tokens(text)
    shown = _shown_on_terminal(mode)
    if args.json:
        _dump(
            [
                {"token": t.text, "start": t.start, "end": t.end, "surface": t.surface, "stem": t.stem}
                for t in found
            ]
        )
        return EXIT_OK
    if not found:
        print("no words in that text (nothing would be indexed)", file=sys.stderr)
        return EXIT_OK
    from rich.cells import cell_len

    rows = [(shown(t.text), shown(t.surface), shown(t.stem)) for t in found]
    width = max(cell_len(row[0]) for row in rows)
    print("token".ljust(width) + "  surface → stem")
    for token, surface, stemmed in rows:
        print(token + " " * (width - cell_len(token)) + f"  {surface} → {stemmed}")
    return EXIT_OK


def _shown_on_terminal(mode: RenderMode) -> Any:
    """Words as a terminal should receive them: laid out there, logical when piped."""
    if not sys.stdout.isatty() or mode is not RenderMode.APP:
        return lambda word: word
    from reader.layout import visual

    return visual


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
