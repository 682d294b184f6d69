"""An installed (non-editable) copy must carry its seeds and its stylesheet."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_wheel_ships_seeds_and_styles(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {result.stderr.strip()[-200:]}")
    (wheel,) = tmp_path.glob("qari-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"seeds/{p.name}" for p in (ROOT / "seeds").glob("*.txt")} <= names
    assert "reader/app.tcss" in names
    assert "reader/widgets/article_list.py" in names
    assert "store/web/refresh.py" in names
    assert {f"store/analysis/data/{p.name}" for p in (ROOT / "store/analysis/data").glob("*.tsv")} <= names
    assert not any(name.startswith(("tests/", "bench/")) for name in names)
    assert not any(name.startswith("seeds/") and not name.endswith(".txt") for name in names)
