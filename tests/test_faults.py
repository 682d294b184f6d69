"""Hostile input and faults: a clear error, nothing lost.

Bad files in a batch, control and bidi characters, symlink loops, a locked,
read-only or damaged library, two processes at once, and an import killed
with SIGKILL half-way.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bench.corpus import generate
from store.library import Library

from conftest import ROOT, SEEDS, run_reader

ARABIC = "قال الرئيس إن المحادثات ستستمر في العاصمة الأسبوع المقبل بحضور الوزراء."
TITLE = "محادثات جديدة في العاصمة"
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def article(title: str = TITLE, body: str = ARABIC) -> str:
    return f"{title}\n\n{body}\n\nفقرة ثانية تكمل الخبر.\n"


def hostile_folder(folder: Path) -> dict[str, str | None]:
    """Write the files; return name -> expected failure reason fragment (None: imports)."""
    folder.mkdir(parents=True)
    text = article()
    files: dict[str, tuple[bytes, str | None]] = {
        "utf8.txt": (text.encode("utf-8"), None),
        "utf8_bom.txt": (codecs.BOM_UTF8 + article("عنوان مع علامة الترتيب").encode("utf-8"), None),
        "utf16le.txt": (codecs.BOM_UTF16_LE + article("عنوان بترميز ١٦ صغير").encode("utf-16-le"), None),
        "utf16be.txt": (codecs.BOM_UTF16_BE + article("عنوان بترميز ١٦ كبير").encode("utf-16-be"), None),
        "windows1256.txt": (article("عنوان بترميز ويندوز").encode("cp1256"), None),
        "iso8859_6.txt": (article("عنوان بترميز ايزو").encode("iso8859_6"), None),
        "escapes.txt": (
            article(
                "عنوان \x1b]0;pwned\x07فيه تسلسل", "نص \x1b[2J\x1b[31mملون\x07 وجرس \x9b31m آخر."
            ).encode(),
            None,
        ),
        "bidi_overrides.txt": (
            article(
                "عنوان \u202eمعكوس\u202c هنا", "نص \u2067فيه\u2069 عزل \u202dوتجاوز\u202c للاتجاه."
            ).encode(),
            None,
        ),
        "image.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file (a PNG image)"),
        "random.bin": (bytes((i * 151 + 7) % 256 for i in range(5000)), "binary file"),
        "nul_inside.txt": (text.encode("utf-8")[:50] + b"\x00\x00" + text.encode("utf-8")[50:], "NUL"),
        "empty.txt": (b"", "empty file"),
        "blank.txt": (b" \n\t\n  \n", "no text (only whitespace)"),
        "huge.txt": ((text * 400).encode("utf-8"), "file too large"),
        "damaged_utf8.txt": (
            text.encode("utf-8")[:40] + b"\xff\xfe" + text.encode("utf-8")[40:],
            "not valid UTF-8",
        ),
        "latin1_french.txt": (
            "Le président a déclaré à la télévision.".encode("latin-1"),
            "unknown text encoding",
        ),
    }
    archive = folder / "archive.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("inside.txt", text)
    expected: dict[str, str | None] = {"archive.zip": "binary file (a ZIP archive"}
    for name, (data, reason) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = reason
    return expected


def no_controls(value: object) -> bool:
    if isinstance(value, str):
        return not any(
            (unicodedata.category(c) == "Cc" and c not in "\n") or c in BIDI_CONTROLS or c in "\u200e\u200f"
            for c in value
        )
    if isinstance(value, list):
        return all(no_controls(v) for v in value)
    if isinstance(value, dict):
        return all(no_controls(v) for v in value.values())
    return True


def test_hostile_folder_imports_the_good_and_reports_the_bad(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "hostile"
    expected = hostile_folder(folder)
    result = run_reader("import", str(folder), db=db_path, env={"READER_MAX_BYTES": "50000"})
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 1
    good = [name for name, reason in expected.items() if reason is None]
    bad = {name: reason for name, reason in expected.items() if reason is not None}
    assert result.stdout.splitlines()[0] == f"added {len(good)}, unchanged 0, updated 0, failed {len(bad)}"
    failures = {
        Path(line.split(": ", 2)[1]).name: line.split(": ", 2)[2]
        for line in result.stdout.splitlines()
        if line.startswith("failed: ")
    }
    assert set(failures) == set(bad)
    for name, reason in bad.items():
        assert reason in failures[name], (name, failures[name])

    exported = [json.loads(line) for line in run_reader("export", db=db_path).stdout.splitlines()]
    assert len(exported) == len(good)
    for item in exported:
        assert no_controls(item), item
    titles = {item["title"] for item in exported}
    # Legacy encodings come out readable, not as mojibake.
    assert {
        "عنوان بترميز ويندوز",
        "عنوان بترميز ايزو",
        "عنوان بترميز ١٦ صغير",
        "عنوان بترميز ١٦ كبير",
    } <= titles
    assert "عنوان فيه تسلسل" in titles  # the escape sequence is gone, with its payload
    assert "عنوان معكوس هنا" in titles
    with Library(db_path) as library:
        assert library.check() == []
        raw, encoding = library.raw(next(i["id"] for i in exported if i["title"] == "عنوان بترميز ويندوز"))
        assert encoding == "cp1256" and raw == article("عنوان بترميز ويندوز").encode("cp1256")


def test_file_names_with_escape_sequences_are_shown_inert(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "news\x1b[2J.txt").write_text(article(), encoding="utf-8")
    (folder / "empty\x1b]0;x\x07.txt").write_bytes(b"")
    result = run_reader("import", str(folder), db=db_path)
    assert "\x1b" not in result.stdout and "\\x1b" in result.stdout
    exported = json.loads(run_reader("export", db=db_path).stdout.splitlines()[0])
    assert "\x1b" not in exported["origin"] and exported["origin"].endswith("news\\x1b[2J.txt")


def test_raw_text_on_a_terminal_shows_escapes_without_obeying_them(tmp_path: Path, db_path: Path) -> None:
    from reader.cli import main

    (tmp_path / "a.txt").write_text(article("عنوان \x1b[2J"), encoding="utf-8")
    with Library(db_path) as library:
        library.import_paths([str(tmp_path / "a.txt")])

    class Terminal:
        def __init__(self) -> None:
            self.chunks: list[str] = []

        def write(self, text: str) -> int:
            self.chunks.append(text)
            return len(text)

        def flush(self) -> None:
            pass

        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    original = sys.stdout
    sys.stdout = terminal  # type: ignore[assignment]
    try:
        assert main(["--db", str(db_path), "show", "1", "--raw"]) == 0
    finally:
        sys.stdout = original
    shown = "".join(terminal.chunks)
    assert "\x1b" not in shown and "\\x1b[2J" in shown


def test_symlink_loops_and_broken_links_are_reported(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "loop"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(article(), encoding="utf-8")
    (folder / "sub" / "back").symlink_to(folder, target_is_directory=True)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "self").symlink_to(folder / "self")
    start = time.monotonic()
    result = run_reader("import", str(folder), db=db_path)
    assert time.monotonic() - start < 30
    assert result.stdout.splitlines()[0].startswith("added 1, ")
    assert "symlink loop" in result.stdout
    assert "broken symlink" in result.stdout
    assert result.returncode == 1


def test_special_files_are_refused(tmp_path: Path, db_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run_reader("import", str(fifo), db=db_path)
    assert result.returncode == 1
    assert "not a regular file" in result.stdout


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_files_are_reported(tmp_path: Path, db_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(article(), encoding="utf-8")
    secret.chmod(0)
    result = run_reader("import", str(tmp_path), db=db_path)
    assert "permission denied" in result.stdout


def test_unreadable_file_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.sources.files
    from store.importing.prepare import prepare
    from store.sources.files import SourceFile

    path = tmp_path / "a.txt"
    path.write_text(article(), encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store.sources.files, "open", refuse, raising=False)
    failure = prepare(SourceFile(str(path), str(path), str(path)))
    assert failure.reason == "cannot read: permission denied"  # type: ignore[union-attr]


def test_a_file_longer_than_its_size_said_is_read_on_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads are sized by the file's stat; one that grew since (or a /proc file,
    which says 0) is read on, to one byte past the limit (then refused as too large)."""
    from store.sources.files import SourceFile, read_source

    path = tmp_path / "a.txt"
    data = article().encode("utf-8")
    path.write_bytes(data)
    real_stat = os.stat

    def stale(file: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        info = real_stat(file, *args, **kwargs)
        return os.stat_result((*info[:6], 10, *info[7:])) if file == str(path) else info

    monkeypatch.setattr(os, "stat", stale)
    source = SourceFile(str(path), str(path), str(path))
    assert read_source(source, 5_000_000) == data
    assert read_source(source, 100) == data[:101]


def test_a_locked_library_gives_one_clear_line(library: Library) -> None:
    holder = sqlite3.connect(library.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = run_reader("bookmark", "1", db=library.path, env={"READER_BUSY_TIMEOUT_MS": "300"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 1
    assert result.stderr.strip().startswith("reader: error: the library")
    assert "busy" in result.stderr and "Traceback" not in result.stderr


def _make_immutable(path: Path) -> bool:
    chattr = shutil.which("chattr")
    if chattr is None:
        return False
    return subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode == 0


def _make_mutable(path: Path) -> None:
    subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_read_only_library_file(library: Library) -> None:
    library.close()
    path = library.path
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if os.geteuid() != 0:
        path.chmod(0o444)
    elif not _make_immutable(path):
        pytest.skip("cannot make a file read-only for root here (no chattr +i)")
    try:
        before = path.read_bytes()
        listed = run_reader("list", "--json", db=path)
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) == 5
        written = run_reader("bookmark", "2", db=path)
        assert written.returncode == 1
        assert "read-only" in written.stderr and "Traceback" not in written.stderr
        assert path.read_bytes() == before
    finally:
        _make_mutable(path)
        path.chmod(0o644)


def test_read_only_library_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "library.db"
    with Library(path) as library:
        library.import_paths([str(SEEDS)])
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    if os.geteuid() != 0:
        folder.chmod(0o555)
    elif not _make_immutable(folder):
        pytest.skip("cannot make a folder read-only for root here (no chattr +i)")
    try:
        listed = run_reader("search", "كورسك", "--json", db=path)
        assert listed.returncode == 0, listed.stderr
        assert [hit["id"] for hit in json.loads(listed.stdout)] == [3]
        written = run_reader("bookmark", "2", db=path)
        assert written.returncode == 1
        assert "read-only" in written.stderr or "cannot" in written.stderr
        assert "Traceback" not in written.stderr
    finally:
        _make_mutable(folder)
        folder.chmod(0o755)


def test_garbage_inside_a_library_gives_one_clear_line(library: Library) -> None:
    library.close()
    path = library.path
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):
        data[offset + 8 : offset + 400] = bytes(range(256)) + bytes(136)  # trample every page
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    for command in (("list",), ("search", "روسيا"), ("show", "1"), ("check",), ("bookmark", "2")):
        result = run_reader(*command, db=path)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr
        assert result.stderr.count("\n") <= 2, result.stderr
        # What helps: not "run reader check" (which is what just failed), but recover.
        assert "recover NEW.db" in result.stderr and "reader check" not in result.stderr, result.stderr
    assert path.read_bytes() == before


def _trample(path: Path, pages: range) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    for page in pages:
        offset = page * 4096
        data[offset + 8 : offset + 400] = bytes(range(256)) + bytes(136)
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_recover_copies_what_can_be_read_and_never_writes_the_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    assert run_reader("import", str(_corpus(tmp_path, 300)), db=path).returncode == 0
    for article_id in (3, 150, 290):
        assert run_reader("bookmark", str(article_id), db=path).returncode == 0
    pages = path.stat().st_size // 4096
    _trample(path, range(pages // 3, pages // 3 + 8))
    before = path.read_bytes()
    checked = run_reader("check", db=path)
    assert checked.returncode == 1 and checked.stdout.startswith("problem: ")
    assert "recover NEW.db" in checked.stderr and "Traceback" not in checked.stderr
    target = tmp_path / "new.db"
    recovered = run_reader("recover", str(target), db=path)
    assert recovered.returncode == 0, recovered.stderr
    assert path.read_bytes() == before  # only ever read
    copied = int(recovered.stdout.split()[1])
    assert 200 < copied <= 300, recovered.stdout
    assert run_reader("check", db=target).returncode == 0
    with Library(target) as library:
        assert library.count() == copied
        kept = {a.id for a in library.articles(bookmarked=True)}
        assert kept <= {3, 150, 290} and len(kept) >= 2
        # The new index answers: an article is found by the words of its title.
        article = library.articles(limit=1)[0]
        assert article.id in {hit.id for hit in library.search(f'"{article.title}"').hits}
    again = run_reader("recover", str(target), db=path)
    assert again.returncode == 1 and "already exists" in again.stderr


def _corpus(tmp_path: Path, count: int) -> Path:
    return generate(tmp_path / f"corpus-{count}", count, seed=99)


def _python(args: list[str], env: dict[str, str], **options: Any) -> subprocess.Popen[str]:
    """This Python, in the project folder, with its output captured as text."""
    return subprocess.Popen(
        [sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        **options,
    )


def _integrity(path: Path) -> list[str]:
    with Library(path) as library:
        return library.check()


@pytest.mark.slow
def test_import_and_bookmarks_in_two_processes_at_once(tmp_path: Path, db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
    corpus = _corpus(tmp_path, 2500)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_BUSY_TIMEOUT_MS": "10000"}
    importer = _python(["-m", "reader", "--db", str(db_path), "import", str(corpus)], env)
    toggler = _python(
        [
            "-c",
            "import sys\n"
            "from store.library import Library\n"
            "lib = Library(sys.argv[1])\n"
            "for round in range(40):\n"
            "    for article_id in (1, 2, 3, 4, 5):\n"
            "        lib.toggle_bookmark(article_id)\n"
            "lib.set_bookmark(2, True)\n"
            "print('done')\n",
            str(db_path),
        ],
        env,
    )
    # Meanwhile, this process bookmarks through the command line, as a person would.
    for _ in range(5):
        assert run_reader("bookmark", "4", db=db_path).returncode == 0
        assert run_reader("unbookmark", "4", db=db_path).returncode == 0
    cli = run_reader("bookmark", "5", db=db_path)
    importer_out, importer_err = importer.communicate(timeout=300)
    toggler_out, toggler_err = toggler.communicate(timeout=300)
    assert importer.returncode == 0, importer_err
    assert toggler.returncode == 0 and toggler_out.strip() == "done", toggler_err
    assert cli.returncode == 0
    assert "locked" not in importer_err + toggler_err + cli.stderr
    assert importer_out.splitlines()[0] == "added 2500, unchanged 0, updated 0, failed 0"
    with Library(db_path) as library:
        assert library.count() == 2505
        # 40 toggles leave 1, 3 as they were; 2 set on; 5 set on last by the CLI;
        # 4 toggled an even number of times by the toggler and left off by the CLI.
        states = {a.id for a in library.articles(bookmarked=True)}
        assert {2, 5} <= states and 1 not in states and 3 not in states
        assert library.check() == []


@pytest.mark.slow
def test_an_import_killed_half_way_leaves_a_sound_library(tmp_path: Path, db_path: Path) -> None:
    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
        library.set_bookmark(3, True)
    corpus = _corpus(tmp_path, 6000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    importer = _python(
        ["-m", "reader", "--db", str(db_path), "import", str(corpus)], env, start_new_session=True
    )
    deadline = time.monotonic() + 120
    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    while time.monotonic() < deadline:
        count = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
        if count >= 1000 or importer.poll() is not None:
            break
        time.sleep(0.05)
    reader.close()
    os.killpg(importer.pid, signal.SIGKILL)  # the writer and its worker processes
    importer.communicate(timeout=30)
    assert importer.returncode == -signal.SIGKILL
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        partial = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert 5 < partial < 6005
    assert _integrity(db_path) == []
    again = run_reader("import", str(corpus), db=db_path)
    assert again.returncode == 0, again.stderr
    added = int(again.stdout.split(",")[0].split()[1])
    assert added == 6005 - partial
    with Library(db_path) as library:
        assert library.count() == 6005
        assert library.get(3).bookmarked
        assert library.check() == []
    with sqlite3.connect(db_path) as conn:
        hashes = conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0]
    assert hashes == 6005


@pytest.mark.slow
async def test_the_app_keeps_working_while_another_process_imports(tmp_path: Path, db_path: Path) -> None:
    from test_app import make_app, settle

    with Library(db_path) as library:
        library.import_paths([str(SEEDS)])
    corpus = _corpus(tmp_path, 800)
    library = Library(db_path)
    app = make_app(library, watch_changes=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert app.article_list.total == 5
        importer = _python(["-m", "reader", "--db", str(db_path), "import", str(corpus)], env)
        # Bookmark and browse while the import writes (new articles may move the rows meanwhile:
        # what counts is that every bookmark the app made is kept).
        bookmarked: set[int] = set()
        for key in ("j", "b", "enter", "escape", "j", "b"):
            if key == "b":
                current = app.article_list.current
                assert current is not None
                bookmarked.add(current.id)
            await pilot.press(key)
            await pilot.pause(0.1)
        _out, err = importer.communicate(timeout=300)
        assert importer.returncode == 0, err
        await pilot.pause(3)  # the app notices the new articles by itself
        await settle(app, pilot)
        assert app.article_list.total == 805
        assert not [n for n in app._notifications if n.severity == "error"]
    library.close()
    with Library(db_path) as check:
        assert len(bookmarked) == 2
        assert {a.id for a in check.articles(bookmarked=True)} == bookmarked
        assert check.check() == []
