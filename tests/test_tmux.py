"""The real app in a real terminal (tmux): what a person sees on the screen."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.layout import layout_paragraph
from store.library import Library

from conftest import ROOT, fribidi, needs_fribidi, run_reader

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


class Terminal:
    def __init__(self, socket: str, width: int, height: int, command: str, env: dict[str, str]) -> None:
        self.socket = socket
        self.base = [TMUX or "tmux", "-L", socket]
        environment = " ".join(f"{k}={v}" for k, v in env.items())
        subprocess.run(
            [
                *self.base,
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                str(width),
                "-y",
                str(height),
                # COLUMNS/LINES from the test runner would override the real window size.
                f"env -u COLUMNS -u LINES {environment} {command}",
            ],
            check=True,
        )

    def keys(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "t", *keys], check=True)

    def text(self, *keys: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "t", "-l", *keys], check=True)

    def screen(self) -> list[str]:
        out = subprocess.run([*self.base, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True)
        return out.stdout.split("\n")

    def wait_for(self, predicate, timeout: float = 10.0) -> list[str]:  # type: ignore[no-untyped-def]
        """The screen once ``predicate`` holds and it has stopped changing (a
        capture in the middle of a repaint would show half of each state)."""
        deadline = time.monotonic() + timeout
        previous: list[str] | None = None
        while True:
            screen = self.screen()
            if predicate(screen) and screen == previous:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError("timed out; the screen shows:\n" + "\n".join(screen))
            previous = screen
            time.sleep(0.15)

    def resize(self, width: int, height: int) -> None:
        subprocess.run(
            [*self.base, "resize-window", "-t", "t", "-x", str(width), "-y", str(height)], check=True
        )

    def alive(self) -> bool:
        return subprocess.run([*self.base, "has-session", "-t", "t"], capture_output=True).returncode == 0

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminals: list[Terminal] = []

    def start(db: Path, width: int = 100, height: int = 30) -> Terminal:
        env = {
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
        }
        command = f"{sys.executable} -m reader --db {db}"
        term = Terminal(f"qari-test-{os.getpid()}-{len(terminals)}", width, height, command, env)
        terminals.append(term)
        return term

    yield start
    for term in terminals:
        term.close()


def reader_pane(screen: list[str]) -> list[str]:
    """The lines inside the reader pane (right of the sidebar)."""
    lines = []
    for line in screen:
        parts = line.split("│")
        if len(parts) >= 5:
            lines.append(parts[3])
    return lines


def article_lines(article, width: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(logical text, visual text) of each wrapped line of the title and body."""
    pairs = []
    for paragraph in (article.title, *article.paragraphs):
        for line in layout_paragraph(paragraph, width, rtl=True):
            pairs.append((paragraph[line.start : line.end], line.text))
    return pairs


def assert_right_aligned(pane: list[str]) -> None:
    """Arabic lines end at the pane's right edge (then 1 cell of padding, 1 of scrollbar)."""
    arabic = [line for line in pane if any("\ufe70" <= c <= "\ufeff" for c in line)]
    assert arabic
    for line in arabic:
        content = line[:-2]
        assert content == content.rstrip() and content.strip(), line


@needs_fribidi
def test_open_search_read_resize_bookmark_quit(terminal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "tmux.db"
    started = time.monotonic()
    term = terminal(db)
    screen = term.wait_for(lambda s: any("Articles · 5/5" in line for line in s))
    assert time.monotonic() - started < 8
    # Search for «بوتين وشي» and open the result.
    term.keys("/")
    term.wait_for(lambda s: any("Leave search" in line for line in s))
    term.text("بوتين وشي")
    screen = term.wait_for(lambda s: any("1 result, best first" in line for line in s))
    field = next(line for line in screen if "ﻲﺷﻭ ﻦﻴﺗﻮﺑ" in line)
    assert "بوتين" not in field  # joined and right-to-left, not logical letters
    term.keys("Enter")
    screen = term.wait_for(lambda s: any("Reader · #2" in line for line in s))

    with Library(db) as library:
        article = library.get(2)
    pane = reader_pane(screen)
    width = len(pane[0]) - 3  # the pane's padding: 2 left, 1 right
    expected = article_lines(article, width)
    visual_on_screen = [line.strip() for line in pane if line.strip()]
    # The title's lines are at the top, exactly as laid out, and as FriBidi orders them.
    title_lines = [v for logical, v in expected[:2] if logical in article.title]
    assert visual_on_screen[: len(title_lines)] == title_lines
    logical_on_screen = [logical for logical, visual in expected if visual in visual_on_screen]
    assert logical_on_screen
    assert [v for _, v in expected if v in visual_on_screen] == fribidi(logical_on_screen)
    assert_right_aligned(pane[:2])

    # Narrower window: the text re-wraps, and still agrees.
    term.resize(84, 30)
    screen = term.wait_for(lambda s: len(reader_pane(s)[0]) < len(pane[0]) if reader_pane(s) else False)
    pane = reader_pane(screen)
    width = len(pane[0]) - 3
    expected = article_lines(article, width)
    visual_on_screen = [line.strip() for line in pane if line.strip()]
    logical_on_screen = [logical for logical, visual in expected if visual in visual_on_screen]
    assert len(logical_on_screen) >= 5
    assert [v for _, v in expected if v in visual_on_screen] == fribidi(logical_on_screen)
    assert_right_aligned(pane[:2])

    term.keys("b")
    term.wait_for(lambda s: any("Bookmarked" in line for line in s))
    term.keys("q")
    deadline = time.monotonic() + 5
    while term.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    bookmarks = json.loads(run_reader("bookmarks", "--json", db=db).stdout)
    assert [b["id"] for b in bookmarks] == [2]
