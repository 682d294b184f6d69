"""Screenshots of the main screen, compared with the approved ones (SVG).

Update them after an intended change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from store.library import Library

from test_app import make_app, settle, type_text


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
