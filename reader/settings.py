"""Where the library and the settings live, and the remembered rendering mode."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.layout import RenderMode

APP_NAME = "qari"
DB_ENV = "READER_DB"
BIDI_ENV = "READER_BIDI"
CONFIG_ENV = "READER_CONFIG"


_XDG = {"data": ("XDG_DATA_HOME", ".local/share"), "config": ("XDG_CONFIG_HOME", ".config")}


def user_dir(kind: str) -> Path:
    """Qari's user folder of ``kind`` ("data" or "config"), as platformdirs
    gives it. On Linux with an absolute ``$HOME`` that is the XDG rule, worked
    out here: platformdirs takes longer to import than a search takes to run."""
    variable, fallback = _XDG[kind]
    home = os.environ.get("HOME", "")
    if sys.platform.startswith("linux") and os.path.isabs(home):
        base = os.environ.get(variable, "")
        return Path(base if os.path.isabs(base) else os.path.join(home, fallback), APP_NAME)
    import platformdirs

    found = platformdirs.user_data_dir if kind == "data" else platformdirs.user_config_dir
    return Path(found(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """``$READER_DB``, else ``library.db`` in the user data folder."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_dir("data") / "library.db"


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return user_dir("config") / "config.json"


def load_config() -> dict[str, object]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(changes: dict[str, object]) -> None:
    """Merge ``changes`` into the config file, atomically; silent if unwritable."""
    import tempfile  # only when something is saved (it costs ~10 ms to load)

    path = config_path()
    data = load_config()
    data.update(changes)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2)
            temporary = handle.name
        os.replace(temporary, path)
    except OSError:
        pass


def resolve_mode(option: str | None) -> RenderMode:
    """Rendering mode: ``--bidi``, else ``$READER_BIDI``, else the config, else ``app``."""
    from reader.layout import RenderMode  # the layout (and Rich) only when something is shown

    for candidate in (option, os.environ.get(BIDI_ENV), load_config().get("bidi")):
        if isinstance(candidate, str) and candidate:
            try:
                return RenderMode.parse(candidate)
            except ValueError:
                continue
    return RenderMode.APP


def remember_mode(mode: RenderMode) -> None:
    save_config({"bidi": mode.value})


def resolve_language(option: str | None) -> str:
    """Interface language: ``--lang``, else ``$READER_LANG``, else the remembered one, else the locale."""
    from reader import i18n

    if option:
        return i18n.check_language(option)
    from_env = os.environ.get(i18n.LANG_ENV, "").strip().lower()[:2]
    if from_env in i18n.LANGUAGES:
        return from_env
    remembered = load_config().get("lang")
    if isinstance(remembered, str) and remembered in i18n.LANGUAGES:
        return remembered
    return i18n.language_from_environment() or "en"


def remember_language(lang: str) -> None:
    save_config({"lang": lang})


def apply_language(option: str | None) -> str:
    """Choose the interface language (and its display settings) for this process."""
    from reader import i18n

    lang = resolve_language(option)
    i18n.set_language(lang)
    config = load_config()
    i18n.set_arabic_digits(config.get("arabic_digits") is True)
    months = config.get("arabic_months")
    hijri = config.get("hijri") is True
    if isinstance(months, str) or hijri or "reader.dates" in sys.modules:
        # Otherwise the defaults stand, and a command that shows no date never loads the module.
        from reader import dates

        dates.configure(months=months if isinstance(months, str) else None, hijri=hijri)
    return lang
