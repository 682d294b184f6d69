"""The library stays whole while the app is open and other ``reader`` commands run.

A long-lived app (the real one in tmux, and the same app headless in a
process of its own) holds the library open while this test runs short
commands from other processes: list, search, info, import, bookmark,
unbookmark, twelve times, and the app bookmarks rows in between. The WAL and
shared-memory files must never disappear while the app lives, each side must
see the other's commits at once, and at the end both integrity checks pass
with every import and bookmark kept.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from bench.corpus import generate
from store.library import Library

from conftest import ROOT, SEEDS, run_reader
from terminal import TMUX, Terminal

ROUNDS = 12
PER_ROUND = 8


class SidecarWatch(threading.Thread):
    """Counts the moments the -wal or -shm file is missing (it must never be)."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.files = [Path(f"{db}-wal"), Path(f"{db}-shm")]
        self.missing = 0
        self.polls = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.polls += 1
            if not all(path.exists() for path in self.files):  # stat only: no descriptor opened
                self.missing += 1
            time.sleep(0.005)

    def stop(self) -> None:
        self.running = False
        self.join()


class AppSide(Protocol):
    def bookmark(self, row: int) -> tuple[int, bool]: ...
    def wait_for_total(self, total: int) -> None: ...
    def quit(self) -> None: ...


class HeadlessApp:
    """tests/app_driver.py: the app under Pilot, in a process of its own."""

    def __init__(self, db: Path) -> None:
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "app_driver.py"), str(db)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert self._answer() == {"ready": True}

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(f"the app ended: {self.process.communicate()[1]}")
        answer = json.loads(line)
        assert "errors" not in answer, answer["errors"]
        return answer  # type: ignore[no-any-return]

    def _ask(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._answer()

    def bookmark(self, row: int) -> tuple[int, bool]:
        answer = self._ask(f"bookmark {row}")
        return int(answer["id"]), bool(answer["bookmarked"])

    def wait_for_total(self, total: int) -> None:
        deadline = time.monotonic() + 8
        while (shown := self._ask("total")["total"]) != total:
            if time.monotonic() > deadline:  # not by itself: `r` must do it
                self._ask("reload")
                assert self._ask("total")["total"] == total, shown
                return
            time.sleep(0.2)

    def quit(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("quit\n")
        self.process.stdin.flush()
        _out, err = self.process.communicate(timeout=30)
        assert self.process.returncode == 0, err


TOAST = re.compile(r"(Bookmarked|Bookmark removed): #(\d+)")


class TmuxApp:
    """The real ``reader`` command in tmux, read off the screen."""

    def __init__(self, db: Path, home: Path) -> None:
        env = {
            "PYTHONPATH": str(ROOT),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / "config"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
        }
        command = f"{sys.executable} -m reader --db {db}"
        self.term = Terminal(f"qari-concurrency-{os.getpid()}", 100, 30, command, env)
        self.term.wait_for(lambda s: any("Articles · " in line for line in s))

    def bookmark(self, row: int) -> tuple[int, bool]:
        # The previous toast must be gone, so the one read now is this key's.
        self.term.wait_for(lambda s: not any(TOAST.search(line) for line in s), timeout=10)
        self.term.keys("g", *["j"] * row, "b")
        screen = self.term.wait_for(lambda s: any(TOAST.search(line) for line in s))
        found = next(m for line in screen if (m := TOAST.search(line)))
        return int(found.group(2)), found.group(1) == "Bookmarked"

    def wait_for_total(self, total: int) -> None:
        status = f"{total}/{total} articles"
        try:
            self.term.wait_for(lambda s: any(status in line for line in s), timeout=8)
        except AssertionError:
            self.term.keys("r")  # not by itself: `r` must do it
            self.term.wait_for(lambda s: any(status in line for line in s), timeout=5)

    def quit(self) -> None:
        self.term.keys("q")
        deadline = time.monotonic() + 10
        while self.term.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not self.term.alive()
        self.term.close()


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Twelve folders of eight new articles each."""
    base = tmp_path_factory.mktemp("batches")
    corpus = generate(base / "corpus", ROUNDS * PER_ROUND, seed=12)
    files = sorted(corpus.rglob("*.txt"))
    folders = []
    for number in range(ROUNDS):
        folder = base / f"batch-{number:02d}"
        folder.mkdir()
        for path in files[number * PER_ROUND : (number + 1) * PER_ROUND]:
            shutil.copy(path, folder / path.name)
        folders.append(folder)
    return folders


def _bookmarked(db: Path) -> set[int]:
    listed = run_reader("bookmarks", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    return {article["id"] for article in json.loads(listed.stdout)}


def _ok(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    result = run_reader(*args, db=db)
    assert result.returncode == 0, (args, result.stderr)
    assert "Traceback" not in result.stderr
    return result


def _no_reader_pins_the_log(db: Path) -> bool:
    """A passive checkpoint copies the whole log: nobody holds an old snapshot open."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        for _ in range(20):
            busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if busy == 0 and log == done:
                return True
            time.sleep(0.1)
        return False
    finally:
        conn.close()


def _run_scenario(app: AppSide, db: Path, batches: list[Path]) -> None:
    watch = SidecarWatch(db)
    watch.start()
    expected: dict[int, bool] = {}
    try:
        for number, batch in enumerate(batches):
            # The app bookmarks a row; the command line sees it at once.
            article_id, state = app.bookmark(number % 5)
            expected[article_id] = state
            assert (article_id in _bookmarked(db)) is state, (number, article_id, state)
            # Short commands from another process, as a person would type them.
            _ok("list", db=db)
            _ok("search", "روسيا", db=db)
            _ok("info", db=db)
            imported = _ok("import", str(batch), db=db)
            assert imported.stdout.startswith(f"added {PER_ROUND},"), imported.stdout
            first_new = 5 + number * PER_ROUND + 1
            _ok("bookmark", str(first_new), db=db)
            expected[first_new] = True
            if number:
                _ok("unbookmark", str(first_new - PER_ROUND), db=db)
                expected[first_new - PER_ROUND] = False
            # The app shows the new articles.
            app.wait_for_total(5 + (number + 1) * PER_ROUND)
        assert _no_reader_pins_the_log(db)
    finally:
        watch.stop()
    assert watch.polls > 100
    assert watch.missing == 0, f"the -wal/-shm files vanished {watch.missing} times while the app ran"
    app.quit()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    with Library(db) as library:
        assert library.check() == []
        assert library.count() == 5 + ROUNDS * PER_ROUND
    assert _bookmarked(db) == {article_id for article_id, state in expected.items() if state}


def _seeded(db: Path) -> None:
    _ok("import", str(SEEDS), db=db)


@pytest.mark.slow
def test_headless_app_and_many_commands_keep_the_library_whole(
    tmp_path: Path, db_path: Path, batches: list[Path]
) -> None:
    _seeded(db_path)
    _run_scenario(HeadlessApp(db_path), db_path, batches)


@pytest.mark.slow
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_app_in_a_terminal_and_many_commands_keep_the_library_whole(
    tmp_path: Path, db_path: Path, batches: list[Path]
) -> None:
    _seeded(db_path)
    app = TmuxApp(db_path, tmp_path)
    try:
        _run_scenario(app, db_path, batches)
    finally:
        app.term.close()


@pytest.mark.slow
def test_two_imports_at_once_while_the_app_is_open(tmp_path: Path, db_path: Path) -> None:
    _seeded(db_path)
    first = generate(tmp_path / "first", 300, seed=21)
    second = generate(tmp_path / "second", 300, seed=22)
    app = HeadlessApp(db_path)
    watch = SidecarWatch(db_path)
    watch.start()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    imports = [
        subprocess.Popen(
            [sys.executable, "-m", "reader", "--db", str(db_path), "import", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for folder in (first, second)
    ]
    marked = app.bookmark(2)
    for process in imports:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert out.startswith("added 300,"), out
    app.wait_for_total(605)
    watch.stop()
    assert watch.missing == 0
    app.quit()
    with Library(db_path) as library:
        assert library.check() == []
        assert library.count() == 605
        assert library.get(marked[0]).bookmarked is marked[1]


class OpenSpy:
    """Records every Python-level open of the library's files."""

    def __init__(self, db: Path) -> None:
        real = str(db.resolve())
        self.watched = {real + suffix for suffix in ("", "-wal", "-shm", "-journal")}
        self.calls: list[str] = []

    def wrap(self, original: Any) -> Any:
        def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | bytes | os.PathLike):
                name = os.fsdecode(file)
                if os.path.realpath(name) in self.watched:
                    self.calls.append(name)
            return original(file, *args, **kwargs)

        return spy


@pytest.fixture
def open_spy(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenSpy]:
    spy = OpenSpy(db_path)
    monkeypatch.setattr(builtins, "open", spy.wrap(builtins.open))
    monkeypatch.setattr(io, "open", spy.wrap(io.open))
    monkeypatch.setattr(os, "open", spy.wrap(os.open))
    yield spy


def test_no_code_path_opens_the_library_file_with_python(
    tmp_path: Path, db_path: Path, open_spy: OpenSpy, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    folder = db_path.parent
    for path in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(path, folder / path.name)
    with Library(db_path) as library:
        # A folder that holds the library itself: its files are never read.
        report = library.import_paths([str(folder)])
        assert report.count("added") == 3 and not report.failures
        refused = library.import_paths([str(db_path)])
        assert [f.reason for f in refused.failures] == ["this is the library file itself, not an article"]
        library.set_bookmark(1, True)
        library.search("روسيا")
        library.summaries_page()
        list(library.export())
        library.change_token()
        second = Library(db_path)  # a second library object while the first is open
        second.count()
        second.close()
    for command in (
        ["list"],
        ["show", "1", "--json"],
        ["search", "روسيا"],
        ["bookmark", "2"],
        ["bookmarks"],
        ["info"],
        ["check"],
        ["export"],
        ["import", str(folder)],
        ["reparse"],
        ["recover", str(tmp_path / "copy.db")],
    ):
        assert main(["--db", str(db_path), *command]) == 0, command
    capsys.readouterr()
    assert open_spy.calls == []


async def test_the_app_never_opens_the_library_file_with_python(db_path: Path, open_spy: OpenSpy) -> None:
    from test_app import make_app, settle

    _seeded(db_path)
    library = Library(db_path)
    app = make_app(library, watch_changes=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for key in ("j", "b", "enter", "escape", "slash", "ر", "escape", "r"):
            await pilot.press(key)
            await settle(app, pilot)
        await pilot.pause(2.5)  # a round of the change watcher
    library.close()
    assert open_spy.calls == []
