"""Screenshots of the main screen, compared with the approved ones (SVG).

Update them after an intended change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from reader import dates
from store.library import Library

from test_app import make_app, settle, type_text

FIXED_NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(library: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Dates on screen do not depend on when the test runs: a fixed clock, UTC, fixed import times."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    monkeypatch.setattr(dates, "now", lambda: FIXED_NOW)
    with library.pool.write() as conn:
        conn.execute("UPDATE articles SET imported_at = '2026-12-01T09:' || printf('%02d', id) || ':00Z'")
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_main_screen_80_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_article_open_80_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("j", "j", "j", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_search_and_article_120_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "كورسك")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("slash")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 36), run_before=before)


def test_narrow_terminal_reads_full_width(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(64, 30), run_before=before)


def test_search_80_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    """Two levels: the search under the list, snippets centred on their match."""
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("slash")
        await type_text(pilot, "زيلين*")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_help_80_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        await pilot.press("end")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


def test_delete_question_80_columns(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("j", "d")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=before)


# -- the Arabic interface (mirrored) --------------------------------------------------------------


@pytest.fixture
def arabic_interface() -> Iterator[None]:
    from reader import i18n

    i18n.set_language("ar")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
def test_arabic_main_screen(snap_compare, library: Library, arabic_interface: None, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
def test_arabic_article(snap_compare, library: Library, arabic_interface: None, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("j", "enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", [(80, 24), (120, 30)])
def test_arabic_help(snap_compare, library: Library, arabic_interface: None, size) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=before)
