"""Every command of the contract, through the real entry point, with bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import SEEDS, run_reader


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
    ):
        result = run_reader(command, "--help")
        assert result.returncode == 0
        assert "usage: reader " + command in result.stdout


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
