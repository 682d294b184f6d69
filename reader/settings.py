"""Where the library and the settings live, and the remembered rendering mode."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import platformdirs

from reader.layout import RenderMode

APP_NAME = "qari"
DB_ENV = "READER_DB"
BIDI_ENV = "READER_BIDI"
CONFIG_ENV = "READER_CONFIG"


def default_db_path() -> Path:
    """``$READER_DB``, else ``library.db`` in the user data folder."""
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "library.db"


def config_path() -> Path:
    from_env = os.environ.get(CONFIG_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.json"


def load_config() -> dict[str, object]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_config(changes: dict[str, object]) -> None:
    """Merge ``changes`` into the config file, atomically; silent if unwritable."""
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
    for candidate in (option, os.environ.get(BIDI_ENV), load_config().get("bidi")):
        if isinstance(candidate, str) and candidate:
            try:
                return RenderMode.parse(candidate)
            except ValueError:
                continue
    return RenderMode.APP


def remember_mode(mode: RenderMode) -> None:
    save_config({"bidi": mode.value})
