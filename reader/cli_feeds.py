"""The ``reader feed …`` and ``reader refresh`` commands.

``feed add`` prints the feed's ID on standard output (for scripts) and what
happened on standard error; ``refresh`` shows its progress on a terminal and
one line per feed at the end, and exits 1 if any feed failed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.i18n import _, ngettext
from store.errors import InputError, LibraryError
from store.text.sanitize import visible_controls

if TYPE_CHECKING:
    from store.library import Library
    from store.web.refresh import RefreshReport, RefreshState

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2


def add_commands(command: Any, common: argparse.ArgumentParser, feed_id: Any, positive: Any) -> None:
    """Declare ``feed`` (with its subcommands) and ``refresh`` on the CLI's parser."""
    feed = command("feed", _("subscribe to news feeds (RSS, Atom), list and remove them, OPML"))
    subcommands = feed.add_subparsers(dest="feed_command", metavar="ACTION", parser_class=type(feed))
    subcommands.required = True

    def sub(name: str, help_text: str) -> argparse.ArgumentParser:
        return subcommands.add_parser(name, help=help_text, description=help_text, parents=[common])

    add = sub("add", _("subscribe to a feed; prints its ID"))
    add.add_argument("url", metavar="URL", type=check_url, help=_("the feed's address (http:// or https://)"))
    add.add_argument("--name", help=_("what to call it (default: the feed's own title)"))
    mode = add.add_mutually_exclusive_group()
    mode.add_argument(
        "--full-text",
        dest="full_text",
        action="store_const",
        const=True,
        help=_(
            "fetch every entry's page and extract its text (the default when entries carry only a summary)"
        ),
    )
    mode.add_argument(
        "--summary", dest="full_text", action="store_const", const=False, help=_("keep the feed's own text")
    )
    listed = sub("list", _("the subscriptions, with unread counts and their state"))
    listed.add_argument("--json", action="store_true", help=_("print a JSON array of feeds"))
    remove = sub("remove", _("unsubscribe from a feed"))
    remove.add_argument("id", type=feed_id, metavar="ID")
    remove.add_argument(
        "--purge", action="store_true", help=_("also remove the articles it brought (bookmarked ones stay)")
    )
    imported = sub("import", _("subscribe to the feeds of an OPML file (from another reader)"))
    imported.add_argument("file", metavar="FILE", help=_("an OPML file"))
    sub("export", _("write the subscriptions as OPML 2.0 to standard output"))

    refresh = command("refresh", _("fetch the feeds (all by default) and store their new articles"))
    refresh.add_argument("ids", nargs="*", type=feed_id, metavar="ID", help=_("only these feeds"))
    refresh.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    refresh.add_argument(
        "--workers", type=positive, help=_("processes to extract pages with (default: all cores)")
    )


def run_feed(args: argparse.Namespace, library: Library) -> int:
    action = args.feed_command
    if action == "add":
        return _add(args, library)
    if action == "list":
        return _list(args, library)
    if action == "remove":
        feed = library.feed(args.id)
        removed = library.remove_feed(args.id, purge=args.purge)
        if args.purge:
            message = ngettext(
                "unsubscribed from {id}: {name}, {count} of its articles removed",
                "unsubscribed from {id}: {name}, {count} of its articles removed",
                removed,
            )
        else:
            message = _("unsubscribed from {id}: {name} (its articles stay)")
        print(message.format(id=args.id, name=feed.name, count=removed))
        return EXIT_OK
    if action == "import":
        return _import_opml(args, library)
    if action == "export":
        sys.stdout.write(library.export_opml())
        return EXIT_OK
    raise AssertionError(action)  # pragma: no cover


def check_url(value: str) -> str:
    """``feed add``'s URL: not http(s) is a usage error."""
    from store.web.subscriptions import check_url

    try:
        return check_url(value)
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add(args: argparse.Namespace, library: Library) -> int:
    feed, new = library.add_feed(args.url, name=args.name, full_text=args.full_text)
    print(feed.id)
    if not new:
        message = _("already subscribed: {id} {name}").format(id=feed.id, name=feed.name)
        print(f"reader: {message}", file=sys.stderr)
        return EXIT_OK
    problem = library.name_feed(feed.id) if args.name is None else None
    if problem:
        message = _(
            "subscribed to {url}, but it could not be read now ({problem}); `reader refresh` will try again"
        )
        print("reader: " + message.format(url=feed.url, problem=problem), file=sys.stderr)
    else:
        shown = library.feed(feed.id)
        message = _("subscribed: {id} {name}; `reader refresh` fetches it")
        print("reader: " + message.format(id=shown.id, name=shown.name), file=sys.stderr)
    return EXIT_OK


def _list(args: argparse.Namespace, library: Library) -> int:
    feeds = library.feeds()
    if args.json:
        json.dump([feed.to_json() for feed in feeds], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    if not feeds:
        print(
            _("no feeds yet: subscribe with “reader feed add URL” or “reader feed import FILE.opml”"),
            file=sys.stderr,
        )
        return EXIT_OK
    from reader.output import Printer

    Printer().feeds(feeds)
    return EXIT_OK


def _import_opml(args: argparse.Namespace, library: Library) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise LibraryError(
            "cannot read {path}: {reason}", path=visible_controls(args.file), reason=error.strerror or error
        ) from None
    result = library.import_opml(data)
    print(
        _("subscribed to {added} feeds, {existing} already there, {problems} not usable").format(
            added=len(result.added), existing=len(result.existing), problems=len(result.problems)
        )
    )
    for feed in result.added:
        print(_("added: {id} {name}").format(id=feed.id, name=feed.name))
    for problem in result.problems:
        print(_("not usable: {problem}").format(problem=problem))
    return EXIT_USER_ERROR if result.problems and not result.added and not result.existing else EXIT_OK


def run_refresh(args: argparse.Namespace, library: Library) -> int:
    progress = _ProgressDisplay() if sys.stderr.isatty() and not args.json else None
    try:
        report = library.refresh(args.ids or None, progress=progress, workers=args.workers)
    finally:
        if progress is not None:
            progress.stop()
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _summary(report)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


def _summary(report: RefreshReport) -> None:
    if not report.feeds:
        print(_("no feeds to refresh: subscribe with “reader feed add URL”"), file=sys.stderr)
        return
    for outcome in report.feeds:
        name = visible_controls(outcome.name)
        if outcome.status == "error":
            print(_("failed: {id} {name}: {error}").format(id=outcome.id, name=name, error=outcome.error))
        elif outcome.not_modified and outcome.updated:
            message = _("unchanged: {id} {name} (not modified, {pages} pages fetched again)")
            print(message.format(id=outcome.id, name=name, pages=outcome.updated))
        elif outcome.not_modified:
            print(_("unchanged: {id} {name} (not modified)").format(id=outcome.id, name=name))
        else:
            counts = {
                "id": outcome.id,
                "name": name,
                "new": outcome.new,
                "updated": outcome.updated,
                "unchanged": outcome.unchanged,
                "pages": outcome.pages_failed,
            }
            if outcome.pages_failed:
                message = _(
                    "ok: {id} {name}: {new} new, {updated} updated, {unchanged} unchanged; "
                    "{pages} pages could not be fetched (tried again next time)"
                )
            else:
                message = _("ok: {id} {name}: {new} new, {updated} updated, {unchanged} unchanged")
            print(message.format(**counts))
    print(
        _("{new} new, {updated} updated, {failed} of {feeds} feeds failed").format(
            new=report.new, updated=report.updated, failed=report.failed, feeds=len(report.feeds)
        )
    )


class _ProgressDisplay:
    """Feeds done, pages extracted and errors, on standard error (rich's progress bars)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=Console(file=sys.stderr),
            transient=True,
        )
        self.feeds = self.progress.add_task(_("feeds"), total=None, note="")
        self.pages = self.progress.add_task(_("pages"), total=None, note="", visible=False)
        self.progress.start()

    def __call__(self, state: RefreshState) -> None:
        note = _("{new} new").format(new=state.new)
        if state.errors:
            note += "  " + _("{failed} failed").format(failed=state.errors)
        self.progress.update(self.feeds, total=state.feeds_total, completed=state.feeds_done, note=note)
        if state.pages_total:
            self.progress.update(
                self.pages,
                total=state.pages_total,
                completed=state.pages_done,
                visible=True,
                note=_("extracted"),
            )

    def stop(self) -> None:
        self.progress.stop()
