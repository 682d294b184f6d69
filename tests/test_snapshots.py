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


def test_narrow_terminal_stacks_panes(snap_compare, library: Library) -> None:  # type: ignore[no-untyped-def]
    app = make_app(library)

    async def before(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(64, 30), run_before=before)
