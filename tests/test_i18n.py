"""The Arabic interface: catalogs complete, language chosen as documented, the app mirrored and Arabic."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reader import dates, i18n, settings
from reader.layout import visual
from reader.shaping import unshape
from store.library import Library

from conftest import ROOT, run_reader
from test_app import make_app, settle

ARABIC = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
#: Words allowed in the Arabic chrome: key names and the names of things.
KEY_WORDS = {"q", "ctrl", "p", "enter", "escape", "tab", "app", "terminal", "plain", "b", "B", "n", "f", "R"}


def _catalog_tool():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "dev" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def arabic() -> Iterator[None]:
    i18n.set_language("ar")
    yield
    i18n.set_language("en")
    i18n.set_arabic_digits(False)
    dates.configure(months="standard", hijri=False)


def test_every_message_of_the_interface_has_its_arabic() -> None:
    tool = _catalog_tool()
    catalog = tool.merged("ar")
    assert len(catalog) > 100
    assert tool.untranslated(catalog) == [], "run dev/i18n.py and translate the new messages"
    compiled = (ROOT / "reader/locale/ar/LC_MESSAGES/qari.mo").read_bytes()
    assert compiled == tool.mo_bytes(tool.read("ar")), "the .mo is not compiled from the .po: run dev/i18n.py"


def test_translations_keep_their_placeholders() -> None:
    tool = _catalog_tool()
    for message in tool.read("ar"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(re.findall(r"\{\w*\}", ids[-1]))
        for string in strings:
            found = set(re.findall(r"\{\w*\}", string))
            # A plural form may say "one" or "two" in words instead of {n}.
            assert found <= wanted, (ids[0], string)
            if len(strings) == 1:
                assert found == wanted, (ids[0], string)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "ar_SA.UTF-8", "LANG": "en_US.UTF-8"}, "ar"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ar_EG.UTF-8"}, "en"),
        ({"READER_LANG": "ar", "LANG": "en_US.UTF-8"}, "ar"),
        ({}, None),
    ],
)
def test_language_from_the_environment(environ: dict[str, str], expected: str | None) -> None:
    assert i18n.language_from_environment(environ) == expected


def test_language_option_beats_environment_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ar_EG.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "READER_LANG"):
        monkeypatch.delenv(name, raising=False)
    assert settings.resolve_language(None) == "ar"
    settings.remember_language("en")
    assert settings.resolve_language(None) == "en"
    monkeypatch.setenv("READER_LANG", "ar")
    assert settings.resolve_language(None) == "ar"
    assert settings.resolve_language("en") == "en"


def test_cli_speaks_arabic_but_json_does_not_change(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    english = run_reader("list", "--json", db=db, env={"LANG": "en_US.UTF-8"})
    arabic_json = run_reader("list", "--json", db=db, env={"LANG": "ar_EG.UTF-8"})
    assert english.returncode == arabic_json.returncode == 0
    assert json.loads(english.stdout) == json.loads(arabic_json.stdout)
    missing = run_reader("show", "999", db=db, env={"LANG": "ar_EG.UTF-8"})
    assert missing.returncode == 1
    assert "999" in missing.stderr and ARABIC.search(missing.stderr)
    bad = run_reader("--lang", "fr", "list", db=db)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    help_ar = run_reader("--lang", "ar", "list", "--help", db=db)
    assert help_ar.returncode == 0


def test_arabic_dates(arabic: None) -> None:
    at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert dates.short("2026-12-03T11:59:30Z", at) == "الآن"
    assert dates.short("2026-12-03T11:59:00Z", at) == "منذ دقيقة"
    assert dates.short("2026-12-03T11:58:00Z", at) == "منذ دقيقتين"
    assert dates.short("2026-12-03T11:55:00Z", at) == "منذ 5 دقائق"
    assert dates.short("2026-12-03T11:35:00Z", at) == "منذ 25 دقيقة"
    assert dates.short("2026-12-03T09:00:00Z", at) == "منذ 3 ساعات"
    assert dates.short("2026-12-02T09:00:00Z", at) == "أمس"
    assert dates.short("2026-01-05T09:00:00Z", at) == "5 يناير"
    dates.configure(months="levant")
    assert dates.short("2026-01-05T09:00:00Z", at) == "5 كانون الثاني"
    assert dates.short("2025-11-05T09:00:00Z", at) == "تشرين الثاني 2025"
    i18n.set_arabic_digits(True)
    assert dates.short("2026-12-03T09:00:00Z", at) == "منذ ٣ ساعات"
    i18n.set_arabic_digits(False)
    dates.configure(months="standard", hijri=True)
    header = dates.full("2026-12-03T14:05:00Z")
    assert header.startswith("الخميس 3 ديسمبر 2026")
    assert "جمادى الآخرة 1448 هـ" in header


def test_counts_have_their_thousands_grouped(arabic: None) -> None:
    assert i18n.grouped(7) == "7" and i18n.grouped(52899) == "52,899"
    i18n.set_arabic_digits(True)
    assert i18n.digits(i18n.grouped(100005)) == "١٠٠٬٠٠٥"
    i18n.set_language("en")
    assert i18n.digits(i18n.grouped(100005)) == "100,005"  # Arabic-Indic digits are for the Arabic interface


async def test_the_status_line_groups_large_counts(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        status = app.status
        status.shown, status.total = 1250, 100005
        status.search, status.search_found = "روسيا", 52899
        await pilot.pause()
        line = status.render()
        assert "1,250/100,005 articles" in line and "search: 52,899 found" in line


def _chrome(app) -> list[str]:  # type: ignore[no-untyped-def]
    """The app's own labels: pane titles, status line, footer (unshaped, in display order)."""
    from textual.widgets._footer import FooterKey

    labels = [str(app.article_list.border_title), str(app.article_view.border_title), app.status.render()]
    labels += [f"{key.description}" for key in app.query(FooterKey)]
    return [unshape(label) for label in labels]


async def test_the_app_in_arabic_is_mirrored_and_arabic(library: Library, arabic: None) -> None:
    app = make_app(library)
    async with app.run_test(size=(160, 36)) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("-rtl")
        # The list is on the right, the reader on the left.
        assert app.article_list.region.x > app.article_view.region.x
        labels = _chrome(app)
        assert labels[0] == unshape(visual("المقالات · 5/5", rtl=True))
        for label in labels:
            latin = {word for word in re.findall(r"[A-Za-z]+", label)}
            assert latin <= KEY_WORDS, (label, latin - KEY_WORDS)
            assert ARABIC.search(label) or not label.strip(), label
        # The footer starts from the right: its first key (in reading order) is the rightmost.
        from textual.widgets._footer import FooterKey

        keys = list(app.query(FooterKey))
        shown = [k for k in keys if "-command-palette" not in k.classes]
        assert shown[-1].region.x > shown[0].region.x
        assert unshape(shown[-1].description).strip()


async def test_switching_language_from_the_palette(library: Library) -> None:
    app = make_app(library)
    try:
        async with app.run_test(size=(160, 36)) as pilot:
            await settle(app, pilot)
            assert "Articles" in str(app.article_list.border_title)
            app.set_language("ar")
            await settle(app, pilot)
            assert app.screen.has_class("-rtl")
            assert "Articles" not in str(app.article_list.border_title)
            assert settings.load_config()["lang"] == "ar"
            app.set_language("en")
            await settle(app, pilot)
            assert not app.screen.has_class("-rtl")
            assert str(app.article_list.border_title).startswith("Articles")
    finally:
        i18n.set_language("en")
