"""The real app in a real terminal (tmux): what a person sees on the screen."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from reader.layout import layout_paragraph
from store.library import Library

from conftest import ROOT, fribidi, needs_fribidi, run_reader
from terminal import TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


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
