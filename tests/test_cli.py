"""Every command of the contract, through the real entry point, with bad input."""

from __future__ import annotations

import argparse
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store.library import Library

from conftest import ROOT, SEEDS, run_reader


@pytest.fixture
def seeded(db_path: Path) -> Path:
    result = run_reader("import", str(SEEDS), db=db_path)
    assert result.returncode == 0, result.stderr
    return db_path


def no_traceback(result) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout


def test_version_and_help_for_every_command() -> None:
    assert run_reader("--version").stdout.startswith("reader ")
    for command in (
        "import",
        "list",
        "show",
        "search",
        "bookmark",
        "unbookmark",
        "bookmarks",
        "export",
        "analyze",
        "reparse",
        "check",
        "info",
        "delete",
        "read",
        "unread",
    ):
        result = run_reader(command, "--help")
        assert result.returncode == 0
        assert "usage: reader " + command in result.stdout


def test_version_loads_nothing_but_itself() -> None:
    code = (
        "import sys; sys.argv = ['reader', '--version']; from reader.launch import main; main(); "
        "print(sorted(m for m in sys.modules if m.startswith(('reader.', 'store', 'argparse', 'gettext'))))"
    )
    from reader import __version__

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.splitlines() == [f"reader {__version__}", "['reader.launch']"]


@pytest.mark.parametrize(
    ("argv", "collecting"),
    [(["--version"], True), (["list"], True), (["info"], True), (["search", "روسيا"], False)],
)
def test_the_cycle_collector_is_off_only_while_the_modules_load(
    argv: list[str], collecting: bool, library: Library
) -> None:
    """Off from the start for anything but the version; a command turns it back on
    (a search, over in a moment, leaves it off)."""
    code = (
        "import gc, sys; from reader.launch import main; "
        f"sys.argv = ['reader', '--db', {str(library.path)!r}, *{argv!r}]; "
        "code = main(); print('collector', gc.isenabled(), code, file=sys.stderr)"
    )
    if argv == ["--version"]:
        code = code.replace("'--db', " + repr(str(library.path)) + ", ", "")
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert f"collector {collecting} 0" in result.stderr.splitlines()


def test_a_named_command_parses_alone_as_in_the_whole_parser() -> None:
    from reader.cli import COMMANDS, build_parser, command_named

    whole = build_parser()
    choices = next(a for a in whole._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert sorted(choices) == sorted(COMMANDS)
    cases = [
        ["search", "صواريخ", "--limit", "5"],
        ["--db", "x.db", "search", "--json", "a", "b"],
        ["--bidi=plain", "list", "--limit", "3"],
        ["--lang", "ar", "show", "7", "--raw"],
        ["feed", "add", "http://example.org/feed", "--summary"],
        ["refresh", "2", "5", "--json"],
        ["info", "--db", "y.db"],
    ]
    for argv in cases:
        name = command_named(argv)
        assert name == next(a for a in argv if a in COMMANDS)
        assert build_parser(name).parse_args(argv) == whole.parse_args(argv)
    # Help, the version or an unknown command: the whole parser.
    for argv in (["--help"], ["-h", "search"], ["--version"], ["serch", "x"]):
        assert command_named(argv) is None
    # No command (the app), even with a value that looks like one: no command's parser.
    for argv in ([], ["--db", "search"], ["--bidi=plain", "--lang", "ar"]):
        assert command_named(argv) == ""
        assert build_parser("").parse_args(argv) == whole.parse_args(argv)
    assert build_parser("").parse_args(["--db", "search"]).command is None


def test_errors_of_a_named_command_are_its_own() -> None:
    result = run_reader("search")
    assert result.returncode == 2 and "usage: reader search" in result.stderr
    result = run_reader("search", "x", "--limit", "0")
    assert result.returncode == 2 and "usage: reader search" in result.stderr
    result = run_reader("serch", "x")
    assert result.returncode == 2 and "invalid choice" in result.stderr and "search" in result.stderr


def test_import_twice_adds_then_nothing(db_path: Path) -> None:
    first = run_reader("import", "seeds/", db=db_path)
    assert first.returncode == 0
    assert first.stdout.splitlines()[0] == "added 5, unchanged 0, updated 0, failed 0"
    second = run_reader("import", "seeds/", db=db_path)
    assert second.stdout.splitlines()[0] == "added 0, unchanged 5, updated 0, failed 0"


def test_import_reports_each_failure_and_exits_1(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("عنوان\n\nنص الخبر.\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = run_reader("import", str(folder), str(tmp_path / "missing"), db=db_path)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "added 1, unchanged 0, updated 0, failed 3"
    assert f"failed: {folder / 'empty.txt'}: empty file (no text)" in result.stdout
    assert f"failed: {folder / 'image.png'}: binary file (a PNG image), not text" in result.stdout
    assert f"failed: {tmp_path / 'missing'}: no such file or folder" in result.stdout


def test_import_json_report(db_path: Path) -> None:
    result = run_reader("import", "--json", "seeds/", db=db_path)
    assert json.loads(result.stdout) == {
        "added": 5,
        "unchanged": 0,
        "updated": 0,
        "failed": 0,
        "failures": [],
    }


def test_export_jsonl_has_every_article(seeded: Path) -> None:
    result = run_reader("export", "--format", "jsonl", db=seeded)
    articles = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in articles] == [1, 2, 3, 4, 5]
    assert [a["title"] for a in articles][1] == "بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا"
    assert articles[0]["dateline"] == "كراماتورسك"
    assert articles[1]["dateline"] == "كييف، أوكرانيا" and articles[1]["credits"] == ["AP"]
    assert articles[3]["site"] == "Qsarpress" and "AP" in articles[3]["credits"]
    for article in articles:
        assert len(set(article["paragraphs"])) == len(article["paragraphs"])
        assert not any(p.startswith(("* ", "READ", "قراءة المزيد")) for p in article["paragraphs"])


def test_export_markdown(seeded: Path) -> None:
    result = run_reader("export", "--format", "markdown", "--bookmarked", db=seeded)
    assert result.stdout == ""
    run_reader("bookmark", "2", db=seeded)
    result = run_reader("export", "--format", "markdown", "--bookmarked", db=seeded)
    assert result.stdout.startswith("# بوتين وشي يجريان محادثات")
    assert "*كييف، أوكرانيا · AP" in result.stdout


def test_list_and_bookmarks(seeded: Path) -> None:
    listed = json.loads(run_reader("list", "--json", db=seeded).stdout)
    assert [a["id"] for a in listed] == [5, 4, 3, 2, 1]
    assert run_reader("bookmark", "3", db=seeded).stdout.startswith("bookmarked 3: روسيا تضغط")
    bookmarks = json.loads(run_reader("bookmarks", "--json", db=seeded).stdout)
    assert [b["id"] for b in bookmarks] == [3] and bookmarks[0]["bookmarked"] is True
    assert [a["id"] for a in json.loads(run_reader("list", "--bookmarked", "--json", db=seeded).stdout)] == [
        3
    ]
    assert run_reader("unbookmark", "3", db=seeded).returncode == 0
    assert json.loads(run_reader("bookmarks", "--json", db=seeded).stdout) == []
    plain = run_reader("list", db=seeded).stdout.splitlines()
    assert plain[3].split("\t")[:3] == ["2", "بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا", "AP"]


def test_show(seeded: Path) -> None:
    shown = json.loads(run_reader("show", "1", "--json", db=seeded).stdout)
    assert shown["id"] == 1 and shown["dateline"] == "كراماتورسك"
    piped = run_reader("show", "2", db=seeded).stdout
    assert piped.startswith(
        "بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا\n\nكييف، أوكرانيا · AP\n\n"
    )
    raw = run_reader("show", "4", "--raw", db=seeded).stdout
    assert raw == (SEEDS / "003_00a9a085779754f5.txt").read_text(encoding="utf-8")


def test_search(seeded: Path) -> None:
    hits = json.loads(run_reader("search", "بوتين وشي", "--json", db=seeded).stdout)
    assert [hit["id"] for hit in hits] == [2]
    assert set(hits[0]) >= {"id", "title", "score", "snippet"}
    unquoted = json.loads(run_reader("search", "بوتين", "وشي", "--json", db=seeded).stdout)
    assert unquoted == hits
    assert len(json.loads(run_reader("search", "روسيا", "--limit", "2", "--json", db=seeded).stdout)) == 2
    piped = run_reader("search", "كورسك", db=seeded).stdout
    assert piped.startswith("3\t")


def test_search_with_and_without_hamza(seeded: Path) -> None:
    with_hamza = json.loads(run_reader("search", "إيزيوم", "--json", db=seeded).stdout)
    without = json.loads(run_reader("search", "ايزيوم", "--json", db=seeded).stdout)
    assert [h["id"] for h in with_hamza] == [h["id"] for h in without] == [5]


@pytest.mark.parametrize("query", ['"', "(", "AND", "*", "NEAR(", "-", "OR", ")"])
def test_malformed_queries_exit_cleanly(seeded: Path, query: str) -> None:
    result = run_reader("search", "--", query, db=seeded)
    no_traceback(result)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: error: nothing to search for")


def test_repaired_query_prints_a_note(seeded: Path) -> None:
    result = run_reader("search", '"مجلس الأمن', "--json", db=seeded)
    assert result.returncode == 0
    assert "note: added the missing closing quote" in result.stderr
    assert [h["id"] for h in json.loads(result.stdout)] == [1]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("show", "99"), 1, "reader: error: no article with ID 99"),
        (("bookmark", "99"), 1, "reader: error: no article with ID 99"),
        (("unbookmark", "0"), 1, "reader: error: no article with ID 0"),
        (("show", "abc"), 2, "an article ID is a number"),
        (("search", "x", "--limit", "0"), 2, "must be 1 or more"),
        (("--frobnicate",), 2, "unrecognized arguments: --frobnicate"),
        (("export", "--format", "pdf"), 2, "invalid choice: 'pdf'"),
        (("nonsense",), 2, "invalid choice: 'nonsense'"),
        (("show",), 2, "the following arguments are required: ID"),
    ],
)
def test_bad_ids_and_options(seeded: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run_reader(*args, db=seeded)
    no_traceback(result)
    assert result.returncode == code
    assert message in result.stderr


def test_db_option_after_the_command_and_env_variable(tmp_path: Path) -> None:
    path = tmp_path / "env.db"
    assert run_reader("import", "seeds/", "--db", str(path)).returncode == 0
    listed = run_reader("list", "--json", env={"READER_DB": str(path)})
    assert len(json.loads(listed.stdout)) == 5


def test_default_library_in_user_data_folder(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    result = run_reader("info", env=env)
    assert f"library: {tmp_path / 'data' / 'qari' / 'library.db'}" in result.stdout
    # First use of an empty library brings the seeds.
    assert len(json.loads(run_reader("list", "--json", env=env).stdout)) == 5


def test_analyze(tmp_path: Path) -> None:
    result = run_reader("analyze", "--json", "والكرملين لأوكرانيا ١٧٨ iskander-m")
    tokens = json.loads(result.stdout)
    assert [(t["surface"], t["stem"]) for t in tokens] == [
        ("والكرملين", "كرمل"),
        ("لاوكرانيا", "لاوكرانيا"),
        ("178", "178"),
        ("iskander", "iskander"),
        ("m", "m"),
    ]
    table = run_reader("analyze", "الحسن").stdout
    assert "الحسن → حسن" in table


def test_unusable_library_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_text("not a database")
    result = run_reader("list", db=bad)
    no_traceback(result)
    assert result.returncode == 1
    assert "is not a reader library" in result.stderr


def test_check_and_reparse(seeded: Path) -> None:
    assert run_reader("check", db=seeded).stdout.startswith("ok: ")
    assert run_reader("reparse", db=seeded).stdout == "re-parsed 5 articles, 0 changed\n"


def test_info_tells_when_a_reparse_would_help(seeded: Path) -> None:
    assert "older version" not in run_reader("info", db=seeded).stdout
    with sqlite3.connect(seeded) as conn:
        conn.execute("UPDATE articles SET parser_version = 0 WHERE id <= 2")
    assert "parsed by an older version: 2 " in run_reader("info", db=seeded).stdout
    run_reader("reparse", db=seeded)
    assert "older version" not in run_reader("info", db=seeded).stdout


# -- rough edges a first-time user hit, and the commands they missed ----------------------------


def test_unbookmark_without_a_bookmark_says_it_had_none(seeded: Path) -> None:
    result = run_reader("unbookmark", "3", db=seeded)
    assert result.returncode == 0
    assert result.stdout.startswith("article 3 had no bookmark, so nothing was removed: روسيا تضغط")
    assert "removed the bookmark" not in result.stdout
    run_reader("bookmark", "3", db=seeded)
    again = run_reader("bookmark", "3", db=seeded)
    assert again.stdout.startswith("article 3 was already bookmarked: ")
    assert run_reader("unbookmark", "3", db=seeded).stdout.startswith("removed the bookmark of 3: ")


def test_bookmark_several_ids_each_in_turn(seeded: Path) -> None:
    result = run_reader("bookmark", "1", "2", db=seeded)
    assert result.returncode == 0
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["bookmarked 1", "bookmarked 2"]
    mixed = run_reader("unbookmark", "2", "99", "1", db=seeded)
    no_traceback(mixed)
    assert mixed.returncode == 1
    assert "reader: error: no article with ID 99" in mixed.stderr
    assert json.loads(run_reader("bookmarks", "--json", db=seeded).stdout) == []


@pytest.mark.parametrize(
    ("args", "usage"),
    [
        (("show", "1", "2"), "usage: reader show"),
        (("info", "extra"), "usage: reader info"),
        (("list", "--bookmarked", "x"), "usage: reader list"),
        (("feed", "remove", "1", "2"), "usage: reader feed remove"),
    ],
)
def test_extra_arguments_print_the_commands_usage(seeded: Path, args: tuple[str, ...], usage: str) -> None:
    result = run_reader(*args, db=seeded)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.startswith(usage)
    assert "unrecognized arguments: " + args[-1] in result.stderr


def test_search_past_the_last_result_says_there_are_matches(seeded: Path) -> None:
    total = len(json.loads(run_reader("search", "روسيا", "--json", db=seeded).stdout))
    result = run_reader("search", "روسيا", "--offset", "100", db=seeded)
    assert result.returncode == 0
    assert result.stdout == ""
    assert f"“روسيا” matches {total} articles, none after the first 100" in result.stderr
    assert "no articles match" not in result.stderr
    assert "no articles match “زززز”" in run_reader("search", "زززز", db=seeded).stderr
    assert json.loads(run_reader("search", "روسيا", "--offset", "100", "--json", db=seeded).stdout) == []


@pytest.mark.parametrize(("option", "value"), [("--offset", "-1"), ("--limit", "0"), ("--offset", "x")])
def test_search_offset_and_limit_are_checked_alike(seeded: Path, option: str, value: str) -> None:
    result = run_reader("search", "روسيا", option, value, db=seeded)
    no_traceback(result)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: reader search")
    assert f"argument {option}: " in result.stderr
    assert run_reader("search", "روسيا", "--offset", "0", db=seeded).returncode == 0


def test_info_json(seeded: Path) -> None:
    run_reader("bookmark", "2", db=seeded)
    result = run_reader("info", "--json", db=seeded)
    assert result.returncode == 0
    info = json.loads(result.stdout)
    assert info["library"] == str(seeded)
    assert (info["articles"], info["bookmarked"], info["unread"], info["feeds"]) == (5, 1, 5, 0)
    assert info["size_bytes"] == seeded.stat().st_size
    assert info["parsed_by_older_parser"] == 0


def test_export_markdown_is_escaped_and_shows_no_local_path(tmp_path: Path, db_path: Path) -> None:
    text = (
        "خبر *مهم* عن <b>الطقس</b> # اليوم\n\nنص الخبر الأول عن الطقس في المدينة.\n\n"
        "# ليس عنوانا\n\n- ولا بندا في قائمة\n\n1. ولا رقما _مائلا_ [رابط](x)\n"
    )
    source = tmp_path / "marked.txt"
    source.write_text(text, encoding="utf-8")
    assert run_reader("import", str(source), db=db_path).returncode == 0
    markdown = run_reader("export", "--format", "markdown", db=db_path).stdout
    assert "خبر \\*مهم\\* عن \\<b\\>الطقس\\</b\\> \\# اليوم" in markdown
    assert "\n\\# ليس عنوانا\n" in markdown
    assert "\n\\- ولا بندا في قائمة\n" in markdown
    assert "\n1\\. ولا رقما \\_مائلا\\_ \\[رابط\\](x)\n" in markdown
    assert " *مهم*" not in markdown and "<b>" not in markdown
    assert str(tmp_path) not in markdown and "marked.txt" not in markdown
    # The JSON export keeps the text as it is.
    assert "*مهم* عن <b>الطقس</b>" in run_reader("export", db=db_path).stdout


def test_export_markdown_gives_a_web_articles_link(db_path: Path) -> None:
    from store.library import Library

    with Library(db_path) as library:
        library.import_paths([str(SEEDS / "001_803beaf37e5e33cc.txt")])
        with library.pool.write() as conn:
            conn.execute("UPDATE articles SET url = 'https://news.example/a?x=1&y=2', author = 'سارة'")
    markdown = run_reader("export", "--format", "markdown", db=db_path).stdout
    assert "\n<https://news.example/a?x=1&y=2>\n" in markdown
    assert "سارة" in markdown.split("\n")[2]
    assert "seeds/" not in markdown


def test_an_unknown_bidi_mode_in_the_environment_is_named(seeded: Path) -> None:
    result = run_reader("list", db=seeded, env={"READER_BIDI": "foo"})
    assert result.returncode == 0
    warnings = [line for line in result.stderr.splitlines() if "READER_BIDI" in line]
    assert warnings == [
        "reader: warning: READER_BIDI=“foo” is not a rendering mode, so it is ignored: "
        "use one of app, terminal, plain"
    ]
    assert len(result.stdout.splitlines()) == 5
    assert "READER_BIDI" not in run_reader("list", db=seeded, env={"READER_BIDI": "terminal"}).stderr
    assert (
        "READER_BIDI" not in run_reader("list", "--bidi", "plain", db=seeded, env={"READER_BIDI": "x"}).stderr
    )


def test_piped_show_has_the_site_and_the_reading_time(seeded: Path) -> None:
    piped = run_reader("show", "4", db=seeded).stdout
    title, byline, meta = piped.split("\n\n")[:3]
    assert title == "روسيا ترفض محادثات السلام مع أوكرانيا وتقول إنها لن تستسلم"
    assert byline.endswith(" · Qsarpress")
    assert meta == "#4 · 2 min read · 302 words"
    assert json.loads(run_reader("show", "4", "--json", db=seeded).stdout)["site"] == "Qsarpress"


def test_terminal_list_shows_the_read_state(seeded: Path) -> None:
    from reader.layout import RenderMode
    from reader.output import Printer
    from store.library import Library

    run_reader("read", "2", db=seeded)
    with Library(seeded) as library:
        rows = library.summaries_page()
    out = io.StringIO()
    Printer(out, mode=RenderMode.TERMINAL, tty=True).summaries(rows)
    lines = {line.split()[0].split("m")[-1]: line for line in out.getvalue().splitlines()}
    assert "●" not in lines["2"] and "\x1b[1m" not in lines["2"]
    for unread in ("1", "3", "4", "5"):
        assert "●" in lines[unread] and "\x1b[1m" in lines[unread]  # bold, as in the app


def test_read_and_unread(seeded: Path) -> None:
    def read_state() -> list[bool]:
        return [
            a["read"]
            for a in json.loads(run_reader("export", db=seeded).stdout.join("[]").replace("}\n{", "},{"))
        ]

    result = run_reader("read", "1", "3", db=seeded)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0].startswith("marked 1 read: ")
    assert read_state() == [True, False, True, False, False]
    assert run_reader("read", "1", db=seeded).stdout.startswith("article 1 was already read: ")
    assert run_reader("unread", "1", db=seeded).stdout.startswith("marked 1 unread: ")
    assert run_reader("unread", "1", db=seeded).stdout.startswith("article 1 was already unread: ")
    assert read_state() == [False, False, True, False, False]
    bad = run_reader("unread", "7", db=seeded)
    no_traceback(bad)
    assert (bad.returncode, bad.stderr) == (1, "reader: error: no article with ID 7\n")
    assert run_reader("read", "x", db=seeded).returncode == 2


def test_delete(seeded: Path) -> None:
    result = run_reader("delete", "3", db=seeded)
    assert result.returncode == 0
    assert result.stdout.startswith("deleted 3: روسيا تضغط")
    assert [a["id"] for a in json.loads(run_reader("list", "--json", db=seeded).stdout)] == [5, 4, 2, 1]
    assert json.loads(run_reader("search", "كورسك", "--json", db=seeded).stdout) == []
    gone = run_reader("delete", "3", db=seeded)
    no_traceback(gone)
    assert (gone.returncode, gone.stderr) == (1, "reader: error: no article with ID 3\n")
    assert run_reader("check", db=seeded).returncode == 0


def test_delete_keeps_bookmarked_articles_unless_asked(seeded: Path) -> None:
    run_reader("bookmark", "2", db=seeded)
    kept = run_reader("delete", "1", "2", db=seeded)
    no_traceback(kept)
    assert kept.returncode == 1
    assert kept.stdout.startswith("deleted 1: ")
    assert "article 2 is bookmarked, so it was kept: add --bookmarked-too to delete it" in kept.stderr
    assert [a["id"] for a in json.loads(run_reader("list", "--json", db=seeded).stdout)] == [5, 4, 3, 2]
    both = run_reader("delete", "2", "--bookmarked-too", db=seeded)
    assert both.returncode == 0 and both.stdout.startswith("deleted 2: ")
    assert json.loads(run_reader("bookmarks", "--json", db=seeded).stdout) == []
    assert run_reader("delete", db=seeded).returncode == 2


def run_on_terminal(*args: str, db: Path, lines: int, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run ``reader`` with its output on a pseudo-terminal ``lines`` rows tall."""
    master, slave = pty.openpty()
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80", "LINES": str(lines), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(db), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        cwd=ROOT,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", errors="replace")


def test_show_on_a_terminal_uses_a_pager_for_a_long_article(seeded: Path, tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    env = {"PAGER": f"{sys.executable} -c \"import sys; open({str(paged)!r}, 'w').write(sys.stdin.read())\""}
    code, screen = run_on_terminal("show", "4", db=seeded, lines=10, env=env)
    assert code == 0
    assert "302 words" in paged.read_text(encoding="utf-8")
    assert "302 words" not in screen
    paged.unlink()
    # Short enough for the screen, --no-pager, --json: no pager.
    for args, lines in (
        (("show", "4"), 200),
        (("show", "4", "--no-pager"), 10),
        (("show", "4", "--json"), 10),
    ):
        code, screen = run_on_terminal(*args, db=seeded, lines=lines, env=env)
        assert code == 0 and not paged.exists()
        assert "302" in screen
    # The article was read on the terminal.
    assert json.loads(run_reader("show", "4", "--json", db=seeded).stdout)["read"] is True
    # A pager that cannot be started: the article is printed.
    code, screen = run_on_terminal("show", "4", db=seeded, lines=10, env={"PAGER": "/nonexistent/pager"})
    assert code == 0 and "302 words" in screen
