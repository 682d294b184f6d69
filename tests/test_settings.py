"""Where the library and the settings live: the same folders platformdirs gives."""

from __future__ import annotations

import platformdirs
import pytest

from reader.settings import APP_NAME, user_dir


@pytest.mark.parametrize(
    ("home", "data_home", "config_home"),
    [
        ("/home/salma", None, None),
        ("/home/salma", "/srv/data", "/srv/config"),
        ("/home/salma", "", "   "),
        ("/home/salma", "relative/data", "relative/config"),
        ("/home/salma/", "/srv/data/", None),
    ],
)
def test_user_folders_are_platformdirs_own(
    monkeypatch: pytest.MonkeyPatch, home: str, data_home: str | None, config_home: str | None
) -> None:
    monkeypatch.setenv("HOME", home)
    for name, value in (("XDG_DATA_HOME", data_home), ("XDG_CONFIG_HOME", config_home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert str(user_dir("data")) == str(platformdirs.user_data_path(APP_NAME, appauthor=False))
    assert str(user_dir("config")) == str(platformdirs.user_config_path(APP_NAME, appauthor=False))
