"""The real app in a real terminal (tmux): what a person sees on the screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.layout import layout_paragraph
from store.library import Library

from conftest import FRIBIDI, ROOT, fribidi, needs_fribidi, run_reader
from terminal import TMUX, Terminal

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


@pytest.fixture
def terminal(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminals: list[Terminal] = []

    def start(db: Path, width: int = 100, height: int = 30, lang: str = "C.UTF-8") -> Terminal:
        env = {
            "PYTHONPATH": str(ROOT),
            "HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "TERM": "xterm-256color",
            "LANG": lang,
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
    term = terminal(db, 140, 30)  # wide enough for the panes side by side
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
    term.resize(124, 30)
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


def fribidi_ltr(line: str) -> str:
    """GNU FriBidi's visual order of one line in a left-to-right paragraph."""
    assert FRIBIDI is not None
    output = subprocess.run(
        [FRIBIDI, "--ltr", "--nobreak", "--nopad"],
        input=line + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return output.split("\n")[0].replace("\ufeff", "")


@needs_fribidi
def test_reading_at_80_by_24(terminal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "tmux.db"
    term = terminal(db, 80, 24)
    screen = term.wait_for(
        lambda s: any("Articles · 5/5" in line for line in s) and sum("′" in line for line in s) >= 5
    )
    with Library(db) as library:
        titles = [summary.title for summary in library.summaries_page(limit=5)]
    rows = [line for line in screen if "′" in line][:5]
    for row, title in zip(rows, titles, strict=True):
        shown = row.split("′", 1)[1].rstrip(" │●★").strip()
        assert len(shown) >= 40, row  # at least 40 cells of title (one cell per shaped letter)
        words = shown.removeprefix("…").split()
        logical = " ".join(title.split()[: len(words)])
        if shown.startswith("…"):
            assert len(words) < len(title.split())  # cut between words
            logical += "…"
        assert fribidi([logical]) == [shown], row

    # enter: the article fills the window; escape: the list again.
    term.keys("Enter")
    screen = term.wait_for(lambda s: any("Reader · #5" in line for line in s))
    assert not any("Articles" in line for line in screen)
    pane = [line.split("│")[1] for line in screen if line.count("│") == 2]
    width = len(pane[0]) - 3
    assert width >= 70
    with Library(db) as library:
        article = library.get(5)
    expected = article_lines(article, width)
    visual_on_screen = [line.strip() for line in pane if line.strip()]
    logical_on_screen = [logical for logical, visual in expected if visual in visual_on_screen]
    assert len(logical_on_screen) >= 8
    assert [v for _, v in expected if v in visual_on_screen] == fribidi(logical_on_screen)
    term.keys("Escape")
    screen = term.wait_for(lambda s: any("Articles · 5/5" in line for line in s))

    # The help's Arabic examples are joined and in order, as FriBidi orders them.
    term.keys("?")
    term.wait_for(lambda s: any("Moving" in line for line in s))
    term.keys("End")
    screen = term.wait_for(lambda s: any("words starting with" in line for line in s))
    line = next(line for line in screen if "words starting with" in line)
    described = line[line.index("words starting with") :].split("│")[0].rstrip()
    assert described == fribidi_ltr("words starting with زيلين")
    assert not any("\u0621" <= char <= "\u064a" for char in "".join(screen))  # nothing left unjoined


@needs_fribidi
def test_arabic_interface_reads_right_in_the_terminal(terminal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """LANG=ar_EG: the app opens in Arabic, mirrored; its labels are what FriBidi makes of them."""
    from reader import i18n

    db = tmp_path / "tmux-ar.db"
    term = terminal(db, 120, 30, lang="ar_EG.UTF-8")
    i18n.set_language("ar")
    try:
        articles_title = fribidi([i18n._("Articles · {shown}/{total}").format(shown=5, total=5)])[0]
        status = fribidi(["  ·  ".join([
            i18n._("{shown}/{total} articles").format(shown=5, total=5),
            i18n._("bidi: {mode} ({note})").format(mode=i18n._("app"), note=i18n._("shaped here")),
            i18n._("? help"),
        ])])[0]  # fmt: skip
        footer_words = [fribidi([i18n._(word)])[0] for word in ("Quit", "Search", "Feeds", "Refresh")]
    finally:
        i18n.set_language("en")
    screen = term.wait_for(lambda s: any(articles_title in line for line in s))
    # The list is on the right: its title is in the right half, the reader's in the left.
    top = screen[0]
    assert top.index(articles_title) > len(top) // 2
    # The status line is right-aligned and reads as FriBidi orders it.
    status_line = next(line for line in screen if status in line)
    assert status_line.rstrip().endswith(status)
    footer = [line for line in screen if line.strip()][-1]
    for word in footer_words:
        assert word in footer, word
    # The footer starts from the right: "Quit" (first in reading order) right of "Refresh".
    assert footer.index(footer_words[0]) > footer.index(footer_words[3])
    # No English word in the chrome, key names aside.
    chrome = " ".join([top, status_line, footer])
    english = set(re.findall(r"[A-Za-z]{2,}", chrome))
    assert english <= {"esc", "space", "pagedown"}, english
