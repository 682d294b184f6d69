"""Shared fixtures: seed files, fresh libraries, and running the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.library import Library

# Fixtures every test file can use.
from webserver import web_server  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
FRIBIDI = shutil.which("fribidi")
needs_fribidi = pytest.mark.skipif(FRIBIDI is None, reason="GNU FriBidi's CLI is not installed")


def fribidi(lines: list[str]) -> list[str]:
    """GNU FriBidi's visual order for each line (RTL base, marks after letters):
    an independent reference for one line of Arabic."""
    assert FRIBIDI is not None
    output = subprocess.run(
        [FRIBIDI, "--rtl", "--nobreak", "--nopad", "--reordernsm"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # FriBidi keeps a ZERO WIDTH NO-BREAK SPACE where lam and alef became one glyph.
    return [line.replace("\ufeff", "") for line in output.split("\n")[: len(lines)]]


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the real user folders or inherits a library from the shell."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("READER_DB", "READER_BIDI", "READER_CONFIG", "READER_MAX_BYTES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seed_texts() -> dict[str, str]:
    """Seed prefix ("000") -> decoded text."""
    return {path.name[:3]: path.read_text(encoding="utf-8") for path in SEED_FILES}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


@pytest.fixture
def library(db_path: Path) -> Iterator[Library]:
    """A library with the five seeds imported (IDs 1-5 in file order)."""
    lib = Library(db_path)
    report = lib.import_paths([str(SEEDS)])
    assert report.count("added") == 5
    yield lib
    lib.close()


@pytest.fixture
def empty_library(db_path: Path) -> Iterator[Library]:
    lib = Library(db_path)
    yield lib
    lib.close()


def library_of(tmp_path: Path, articles: dict[str, str]) -> Library:
    """A library of ``articles`` (file name without ``.txt`` -> text), imported from files."""
    folder = tmp_path / "articles"
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    library = Library(tmp_path / "library.db")
    library.import_paths([str(folder)], workers=1)
    return library


def hit_names(library: Library, query: str) -> list[str]:
    """The file names (without ``.txt``) of the articles ``query`` finds, best first."""
    return [Path(library.get(hit.id).origin).stem for hit in library.search(query).hits]


def seed_prefix(library: Library, article_id: int) -> str:
    return Path(library.get(article_id).origin).name[:3]


def run_reader(
    *args: str,
    db: Path | None = None,
    env: dict[str, str] | None = None,
    input: str | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real ``reader`` entry point in a subprocess (as a user would)."""
    command = [sys.executable, "-m", "reader"]
    if db is not None:
        command += ["--db", str(db)]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        cwd=cwd or ROOT,
        timeout=120,
    )
