"""The ``reader`` command: a thin layer over :mod:`store.library`.

Exit codes: 0 success, 1 a user error (unknown ID, a query that cannot run,
files that failed to import, an unusable library), 2 a usage error. Bad
input never produces a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader import __version__
from reader.i18n import N_, _, ngettext
from store.errors import Bookmarked, LibraryError, LibraryReadOnly, NotFound, ReaderError

if TYPE_CHECKING:
    from reader.layout import RenderMode

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2
#: The values of reader.layout.RenderMode (named here: a search or --version needs no layout).
BIDI_MODES = ("app", "terminal", "plain")

DESCRIPTION = N_("""\
A terminal news reader for Arabic: a library of articles with Arabic-aware
search, read in a full-screen app where Arabic is joined, ordered and aligned.
Run without a command to open the app.""")

QUERY_HELP = N_("""\
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
A query that starts with "-" needs "--" before it: reader search -- -ترامب بوتين""")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, sized without importing ``shutil`` (and with it
    ``bz2`` and ``lzma``): argparse makes one for every option it is given."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _columns() - 2 if width is None else width
        )


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` reads it (80 when there is none)."""
    with contextlib.suppress(KeyError, ValueError):
        columns = int(os.environ["COLUMNS"])
        if columns > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _article_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("an article ID is a number, not “{value}”").format(value=value)
        ) from None
    return number


def _feed_id(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("a feed ID is a number, not “{value}”").format(value=value)
        ) from None


def _whole_number(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, not “{value}”").format(value=value)
        ) from None


def _positive(value: str) -> int:
    number = _whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError(_("must be 1 or more"))
    return number


def _not_negative(value: str) -> int:
    number = _whole_number(value)
    if number < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more"))
    return number


class _Unbuilt:
    """A command left out of the parser: whatever is declared on it goes nowhere."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: self


#: Every command, as ``build_parser`` declares them.
COMMANDS = (
    "import list show search bookmark unbookmark read unread delete bookmarks export analyze "
    "reparse check recover info feed refresh"
).split()
#: The options before a command that take a value.
_VALUED_OPTIONS = ("--db", "--bidi", "--lang")


def command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` runs, when it plainly names one (no help asked
    before it): then only that command's parser needs building. "" when it
    names none (the app): then none does."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in _VALUED_OPTIONS:
            index += 2
            continue
        if arg.startswith("-"):
            if not arg.startswith(tuple(f"{option}=" for option in _VALUED_OPTIONS)):
                return None  # --help, --version, or a mistake: the whole parser answers
            index += 1
            continue
        return arg if arg in COMMANDS else None
    return ""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with ``only``, just that command's (building
    two dozen subparsers is most of a quick command's start-up)."""
    common = argparse.ArgumentParser(add_help=False, formatter_class=_Formatter)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=_("library file (default: $READER_DB, else the user data folder)"),
    )
    common.add_argument(
        "--bidi",
        choices=list(BIDI_MODES),
        default=argparse.SUPPRESS,
        help=_(
            "how Arabic reaches the terminal: app (shaped and ordered here), "
            "terminal (logical order, for terminals that do bidi), plain"
        ),
    )
    common.add_argument(
        "--lang",
        choices=["ar", "en"],
        default=argparse.SUPPRESS,
        help="the interface language (default: $READER_LANG, the remembered choice, else the locale)",
    )

    parser = _Parser(
        prog="reader",
        description=_(DESCRIPTION),
        parents=[common],
        formatter_class=_Formatter,
        epilog=_("Run “reader COMMAND --help” for the options of a command."),
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, **kwargs: Any) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _Unbuilt()  # type: ignore[return-value]
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            parents=[common],  # type: ignore[list-item]
            formatter_class=_Formatter,
            **kwargs,
        )

    sub = command("import", _("import article files and folders (recursively)"))
    sub.add_argument("paths", nargs="+", metavar="PATH", help=_("files or folders of raw articles"))
    sub.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    sub.add_argument("--workers", type=_positive, help=_("processes to parse with (default: all cores)"))

    sub = command("list", _("list articles, newest first"))
    sub.add_argument("--bookmarked", action="store_true", help=_("only bookmarked articles"))
    sub.add_argument("--json", action="store_true", help=_("print a JSON array of articles"))
    sub.add_argument("--limit", type=_positive, help=_("at most this many"))

    sub = command("show", _("print one article (through a pager on a terminal when it is long)"))
    sub.add_argument("id", type=_article_id, metavar="ID")
    sub.add_argument("--json", action="store_true", help=_("print the article as JSON"))
    sub.add_argument("--raw", action="store_true", help=_("print the raw text as imported"))
    sub.add_argument(
        "--no-pager",
        action="store_true",
        help=_("never use a pager (default: $PAGER, else “less -R”, for an article longer than the screen)"),
    )

    sub = command("search", _("full-text search, best first"), epilog=_(QUERY_HELP))
    sub.add_argument("query", nargs="+", metavar="QUERY", help=_("words, phrases, filters (see below)"))
    sub.add_argument("--limit", type=_positive, default=20, help=_("at most N results (default 20)"))
    sub.add_argument("--offset", type=_not_negative, default=0, help=_("skip the first N results"))
    sub.add_argument("--json", action="store_true", help=_("print a JSON array of hits"))
    sub.add_argument("--explain", action="store_true", help="also print the index query that ran")

    sub = command("bookmark", _("bookmark articles"))
    sub.add_argument("ids", type=_article_id, nargs="+", metavar="ID")
    sub = command("unbookmark", _("remove the bookmark of articles"))
    sub.add_argument("ids", type=_article_id, nargs="+", metavar="ID")
    sub = command("read", _("mark articles read"))
    sub.add_argument("ids", type=_article_id, nargs="+", metavar="ID")
    sub = command("unread", _("mark articles unread"))
    sub.add_argument("ids", type=_article_id, nargs="+", metavar="ID")
    sub = command("delete", _("delete articles from the library (bookmarked ones only when asked)"))
    sub.add_argument("ids", type=_article_id, nargs="+", metavar="ID")
    sub.add_argument(
        "--bookmarked-too",
        action="store_true",
        help=_("delete bookmarked articles too (otherwise they are kept)"),
    )

    sub = command("bookmarks", _("list bookmarked articles, most recently saved first"))
    sub.add_argument("--json", action="store_true", help=_("print a JSON array of articles"))

    sub = command("export", _("write articles to standard output"))
    sub.add_argument("--format", choices=["jsonl", "markdown"], default="jsonl", help=_("default: jsonl"))
    sub.add_argument("--bookmarked", action="store_true", help=_("only bookmarked articles"))

    sub = command("analyze", "show the index terms the search analyzer makes of TEXT")
    sub.add_argument("text", nargs="+", metavar="TEXT")
    sub.add_argument("--json", action="store_true", help="print a JSON array of tokens")

    command("reparse", _("parse every stored article again from its raw text"))
    command("check", _("check the library file and its search index for damage (reads only)"))
    sub = command(
        "recover",
        _(
            "copy every article that can still be read from a damaged library into a new one "
            "(the damaged file is only read)"
        ),
    )
    sub.add_argument("target", metavar="NEW.db", help=_("the new library file to create"))
    sub = command("info", _("where the library is and what it holds"))
    sub.add_argument("--json", action="store_true", help=_("print the facts as a JSON object"))
    if only in (None, "feed", "refresh"):
        from reader.cli_feeds import add_commands

        add_commands(command, common, _feed_id, _positive)
    return parser


def _language_option(argv: Sequence[str]) -> str | None:
    """``--lang`` from the command line, read before the parser is built (its help is translated)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        print(f"reader {__version__}")  # at once: nothing else to load
        return EXIT_OK
    from reader.settings import apply_language

    try:
        apply_language(_language_option(argv))
    except ValueError as error:
        print(f"reader: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser(command_named(argv))
    args, extras = parser.parse_known_args(argv)
    if extras:
        # The command's own usage, not the top-level one.
        _command_parser(parser, args).error(
            _("unrecognized arguments: {arguments}").format(arguments=" ".join(extras))
        )
    try:
        return _run(args)
    except ReaderError as error:
        print(_for_stderr(f"reader: error: {error}", args), file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("reader: " + _("interrupted"), file=sys.stderr)
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


def _for_stderr(line: str, args: argparse.Namespace) -> str:
    """An error line as the terminal must receive it (Arabic shaped and ordered in app mode)."""
    from reader.i18n import is_rtl

    if not is_rtl() or not sys.stderr.isatty():
        return line
    from reader.layout import RenderMode, visual
    from reader.settings import resolve_mode

    if resolve_mode(getattr(args, "bidi", None)) is not RenderMode.APP:
        return line
    return visual(line, rtl=True)


def _command_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub)command parser that ``args`` came through, for its usage line."""
    found = parser
    while True:
        actions = [a for a in found._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, actions[0].dest, None) if actions else None
        if not actions or name not in actions[0].choices:
            return found
        found = actions[0].choices[name]


def _db_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "db", None)
    if given:
        return Path(given).expanduser()
    from reader.settings import default_db_path

    return default_db_path()


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
        note = _("{path} is read-only; nothing can be saved to it").format(path=path)
        print(f"reader: note: {note}", file=sys.stderr)
    if seed:
        library.ensure_seeded()
    return library


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _warn_about_environment(args: argparse.Namespace) -> None:
    from reader.settings import BIDI_ENV

    value = os.environ.get(BIDI_ENV, "")
    if value and getattr(args, "bidi", None) is None:
        from reader.layout import RenderMode

        try:
            RenderMode.parse(value)
        except ValueError:
            choices = ", ".join(mode.value for mode in RenderMode)
            message = _("{name}=“{value}” is not a rendering mode, so it is ignored: use one of {choices}")
            print(
                "reader: warning: " + message.format(name=BIDI_ENV, value=value, choices=choices),
                file=sys.stderr,
            )


def _run(args: argparse.Namespace) -> int:
    command = args.command
    if command not in (None, "search"):
        # Off while the modules loaded (reader.launch). A search is over in a
        # moment; the app turns it on once its first screen is painted.
        gc.enable()
    _warn_about_environment(args)
    if command == "search" and not sys.stdout.isatty():
        # Piped: plain logical text, no layout to load.
        with _open(args, seed=True, read_only_ok=True) as library:
            return _search(args, library, None)
    from reader.settings import resolve_mode

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

    writes = command in ("bookmark", "unbookmark", "read", "unread", "delete", "reparse")
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
                    _("no bookmarks yet: save one with “reader bookmark ID” or “b” in the app"),
                    file=sys.stderr,
                )
            return EXIT_OK
        if command == "show":
            article = library.get(args.id)
            if not (args.json or args.raw or args.no_pager) and sys.stdout.isatty():
                _show_paged(article, mode)
                library.mark_read(article.id)
                return EXIT_OK
            if args.json:
                _dump(article.to_json())
            elif args.raw:
                raw, encoding = library.raw(args.id)
                text = raw.decode(encoding.replace("-sig", ""), errors="replace")
                if sys.stdout.isatty():
                    # The raw text may hold escape sequences: show them, do not obey them.
                    from store.text.sanitize import visible_controls

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
        if command in ("bookmark", "unbookmark", "read", "unread", "delete"):
            return _change_each(args, library, mode)
        if command == "export":
            return _export(args, library)
        if command == "reparse":
            changed = library.reparse()
            count = library.count()
            message = ngettext(
                "re-parsed {count} article, {changed} changed",
                "re-parsed {count} articles, {changed} changed",
                count,
            )
            print(message.format(count=count, changed=changed))
            return EXIT_OK
        if command == "info":
            size = library.path.stat().st_size if library.path.exists() else 0
            if args.json:
                _dump(
                    {
                        "library": str(library.path),
                        "articles": library.count(),
                        "bookmarked": library.count(bookmarked=True),
                        "unread": library.count(unread=True),
                        "feeds": len(library.feeds()),
                        "size_bytes": size,
                        "parsed_by_older_parser": library.count_parsed_by_older_parser(),
                    }
                )
                return EXIT_OK
            print(_("library: {path}").format(path=library.path))
            print(
                _("articles: {count} ({bookmarked} bookmarked)").format(
                    count=library.count(), bookmarked=library.count(bookmarked=True)
                )
            )
            print(_("size: {megabytes} MB").format(megabytes=f"{size / 1e6:.1f}"))
            older = library.count_parsed_by_older_parser()
            if older:
                print(
                    _("parsed by an older version: {count} (`reader reparse` parses them again)").format(
                        count=older
                    )
                )
            return EXIT_OK
    raise AssertionError(command)  # pragma: no cover


def _change_each(args: argparse.Namespace, library: Any, mode: RenderMode) -> int:
    """bookmark, unbookmark, read, unread, delete: each ID in turn; exit 1 if any could not be."""
    code = EXIT_OK
    for article_id in dict.fromkeys(args.ids):
        try:
            print(_on_terminal(_change_one(args, library, article_id), mode))
        except NotFound:
            message = _("no article with ID {id}").format(id=article_id)
            print(f"reader: error: {message}", file=sys.stderr)
            code = EXIT_USER_ERROR
        except Bookmarked:
            message = _("article {id} is bookmarked, so it was kept: add --bookmarked-too to delete it")
            message = message.format(id=article_id)
            print(f"reader: error: {message}", file=sys.stderr)
            code = EXIT_USER_ERROR
    return code


def _on_terminal(line: str, mode: RenderMode) -> str:
    """A message as a terminal should receive it: laid out in the interface's direction.

    Logical order when piped, or when the terminal does the bidi itself.
    """
    from reader.i18n import is_rtl
    from reader.layout import RenderMode, visual

    if not sys.stdout.isatty() or mode is not RenderMode.APP:
        return line

    return visual(line, rtl=is_rtl())


def _change_one(args: argparse.Namespace, library: Any, article_id: int) -> str:
    """Change one article as the command says; what to tell the user."""
    command = args.command
    article = library.get(article_id)
    title = article.title
    if command == "delete":
        library.delete(article_id, allow_bookmarked=args.bookmarked_too)
        return _("deleted {id}: {title}").format(id=article_id, title=title)
    if command in ("bookmark", "unbookmark"):
        if library.set_bookmark(article_id, command == "bookmark"):
            if command == "bookmark":
                return _("bookmarked {id}: {title}").format(id=article_id, title=title)
            return _("removed the bookmark of {id}: {title}").format(id=article_id, title=title)
        if command == "bookmark":
            return _("article {id} was already bookmarked: {title}").format(id=article_id, title=title)
        return _("article {id} had no bookmark, so nothing was removed: {title}").format(
            id=article_id, title=title
        )
    wanted = command == "read"
    if article.read == wanted:
        if wanted:
            return _("article {id} was already read: {title}").format(id=article_id, title=title)
        return _("article {id} was already unread: {title}").format(id=article_id, title=title)
    library.mark_read(article_id, wanted)
    if wanted:
        return _("marked {id} read: {title}").format(id=article_id, title=title)
    return _("marked {id} unread: {title}").format(id=article_id, title=title)


def _show_paged(article: Any, mode: RenderMode) -> None:
    """An article on a terminal: through a pager when it is longer than the screen."""
    import io
    import re
    import shutil

    from rich.cells import cell_len

    from reader.output import Printer
    from reader.terminal import EXPLICIT_BIDI, IMPLICIT_BIDI

    buffer = io.StringIO()
    Printer(buffer, mode=mode, tty=True).article(article)
    text = buffer.getvalue()
    size = shutil.get_terminal_size((100, 30))
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    rows = sum(max(1, -(-cell_len(line) // max(1, size.columns))) for line in plain.split("\n"))
    command = _pager_command()
    if rows < size.lines or command is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    # The bidi mode is the terminal's, not the pager's: set it around the pager.
    before = EXPLICIT_BIDI if text.startswith(EXPLICIT_BIDI) else ""
    after = IMPLICIT_BIDI if before and text.endswith(IMPLICIT_BIDI) else ""
    text = text[len(before) : len(text) - len(after)]
    sys.stdout.write(before)
    sys.stdout.flush()
    try:
        if not _page(command, text):
            sys.stdout.write(text)
    finally:
        sys.stdout.write(after)
        sys.stdout.flush()


def _pager_command() -> list[str] | None:
    """``$PAGER`` (default ``less -R``) as a command line; None for no pager."""
    import shlex

    value = os.environ.get("PAGER")
    if value is None:
        return ["less", "-R"]
    try:
        command = shlex.split(value)
    except ValueError:
        return None
    return command if command and command != ["cat"] else None


def _page(command: list[str], text: str) -> bool:
    """Run the pager on ``text`` until the user quits it. False if it cannot be started."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESSCHARSET", "utf-8")
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert pager.stdin is not None
    try:
        with contextlib.suppress(BrokenPipeError):  # the user quit before the end
            pager.stdin.write(text.encode("utf-8"))
        with contextlib.suppress(BrokenPipeError):
            pager.stdin.close()
    except KeyboardInterrupt:
        pass
    while True:
        try:
            pager.wait()
            return True
        except KeyboardInterrupt:  # ctrl+c belongs to the pager
            continue


def _check(args: argparse.Namespace) -> int:
    from store.db.connection import damaged_message
    from store.library import Library

    path = _db_path(args)
    if not path.exists():
        raise LibraryError("no library at {path}", path=path)
    try:
        library = Library(path, upgrade=False)  # a check changes nothing
    except LibraryReadOnly:
        library = Library(path, readonly=True)
    with library:
        problems = library.check()
        for problem in problems:
            print(_("problem: {problem}").format(problem=problem))
        if problems:
            found = ngettext("{count} problem found", "{count} problems found", len(problems)).format(
                count=len(problems)
            )
            print(f"reader: {damaged_message(path, found)}", file=sys.stderr)
            return EXIT_USER_ERROR
        count = library.count()
        message = ngettext(
            "ok: {path} ({count} article) passes the integrity checks",
            "ok: {path} ({count} articles) passes the integrity checks",
            count,
        )
        print(message.format(path=library.path, count=count))
    return EXIT_OK


def _recover(args: argparse.Namespace) -> int:
    from store.db.recover import recover

    path = _db_path(args)
    if not path.exists():
        raise LibraryError("no library at {path}", path=path)
    target = Path(args.target).expanduser()
    progress = _progress_printer(_("recovering")) if sys.stderr.isatty() else None
    result = recover(path, target, progress=progress)
    if progress:
        sys.stderr.write("\r\x1b[K")
    articles = result.copied.get("articles", 0)
    lost = result.unreadable.get("articles", 0)
    print(
        _("recovered {count} articles ({bookmarked} bookmarked) into {target}").format(
            count=articles, bookmarked=result.bookmarked, target=target
        )
    )
    if lost:
        print(_("{count} articles could not be read (their pages are damaged)").format(count=lost))
    print(
        _("{path} was not changed; use the new library with --db {target} or READER_DB").format(
            path=path, target=target
        )
    )
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    library = _open(args, seed=False)
    progress = _progress_printer(_("importing")) if sys.stderr.isatty() and not args.json else None
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
        print(
            _("added {added}, unchanged {unchanged}, updated {updated}, failed {failed}").format(
                added=report.count("added"),
                unchanged=report.count("unchanged"),
                updated=report.count("updated"),
                failed=report.count("failed"),
            )
        )
        for failure in report.failures:
            print(_("failed: {path}: {reason}").format(path=failure.origin, reason=failure.reason))
    return EXIT_USER_ERROR if report.failures else EXIT_OK


def _progress_printer(what: str) -> Any:
    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{what} {done:,}/{total:,}")
        sys.stderr.flush()

    return show


def _search(args: argparse.Namespace, library: Any, mode: RenderMode | None) -> int:
    """``mode`` None: output piped, written as plain lines without loading the layout."""
    query = " ".join(args.query)
    results = library.search(query, limit=args.limit, offset=max(0, args.offset), explain=args.explain)
    for note in results.notes:
        print(f"reader: note: {note}", file=sys.stderr)
    if args.explain:
        print(f"reader: index query: {results.expression}", file=sys.stderr)
        for hit in results.hits:
            for reason in hit.why:
                print(f"reader: why {hit.id}: {reason}", file=sys.stderr)
    if args.json:
        _dump([hit.to_json() for hit in results.hits])
        return EXIT_OK
    if not results.hits:
        if args.offset and results.total:
            message = ngettext(
                "“{query}” matches {total} article, none after the first {offset} (see --offset)",
                "“{query}” matches {total} articles, none after the first {offset} (see --offset)",
                results.total,
            )
            print(message.format(query=query, total=results.total, offset=args.offset), file=sys.stderr)
        else:
            print(_("no articles match “{query}”").format(query=query), file=sys.stderr)
        return EXIT_OK
    if mode is None:
        for hit in results.hits:
            sys.stdout.write(f"{hit.id}\t{hit.score}\t{hit.title}\n\t{hit.snippet}\n")
        return EXIT_OK
    from reader.output import Printer

    Printer(mode=mode).search_results(results)
    if sys.stdout.isatty() and results.total is not None and results.total > len(results.hits):
        shown = f"{args.offset + 1}-{args.offset + len(results.hits)}"
        message = _("showing {shown} of {total}; use --limit/--offset for more")
        print("reader: " + message.format(shown=shown, total=results.total), file=sys.stderr)
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
    """One article as Markdown: its text escaped, so it reads as written; the link of a web article."""
    lines = [f"# {markdown_escape(article.title)}", ""]
    meta = " · ".join(x for x in (article.dateline, *article.credits, article.author, article.site) if x)
    if meta:
        lines += [f"*{markdown_escape(meta)}*", ""]
    if article.url:
        link = article.url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
        lines += [f"<{link}>", ""]
    for paragraph in article.paragraphs:
        lines += [markdown_escape(paragraph), ""]
    lines += ["---", ""]
    return "\n".join(lines)


#: Characters that mean something anywhere in a Markdown line.
_MARKDOWN_INLINE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~#&"})


def markdown_escape(text: str) -> str:
    """``text`` as Markdown that shows it as it is: no emphasis, HTML, lists or headings."""
    import re

    line = text.translate(_MARKDOWN_INLINE).lstrip(" \t")
    if line[:1] in ("-", "+", "="):  # a list item, a rule, a heading underline
        line = "\\" + line
    # "1." or "1)" at the start would begin a numbered list.
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", line)


def _analyze(args: argparse.Namespace, mode: RenderMode) -> int:
    from store.analysis.arabic import tokens
    from store.analysis.links import word_links

    text = " ".join(args.text)
    found = tokens(text)
    shown = _shown_on_terminal(mode)
    links = {t.surface: word_links(t.surface) for t in found}
    if args.json:
        _dump(
            [
                {
                    "token": t.text,
                    "start": t.start,
                    "end": t.end,
                    "surface": t.surface,
                    "stem": t.stem,
                    **links[t.surface].to_json(),
                }
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
    # What a search for each word also finds: its plurals (or singulars) and its
    # name in the other script (place names by CLDR, other names by their sound).
    lines = []
    for surface, link in links.items():
        word = shown(surface)
        if link.plurals:
            lines.append(f"{word} ↔ {'، '.join(shown(p) for p in link.plurals)}  (plural/singular)")
        if link.places:
            lines.append(f"{word} ↔ {', '.join(shown(p) for p in link.places)}  (place name)")
        if link.name_key:
            lines.append(f"{word}: name key {link.name_key} (finds the same name in the other script)")
    if lines:
        print()
        print("links:")
        for line in lines:
            print("  " + line)
    return EXIT_OK


def _shown_on_terminal(mode: RenderMode) -> Any:
    """Words as a terminal should receive them: laid out there, logical when piped."""
    from reader.layout import RenderMode

    if not sys.stdout.isatty() or mode is not RenderMode.APP:
        return lambda word: word
    from reader.layout import visual

    return visual


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
