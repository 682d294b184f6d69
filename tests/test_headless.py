"""The core (``store``) never imports the UI: enforced, not hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FORBIDDEN = ("textual", "reader", "rich")


def test_store_modules_import_no_ui_package() -> None:
    modules = sorted((ROOT / "store").rglob("*.py"))
    assert len(modules) > 15
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_the_store_loads_no_ui_at_runtime() -> None:
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in (ROOT / "store").rglob("*.py")
        if path.name != "__init__.py"
    )
    code = (
        f"import sys, {', '.join(modules)};"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'reader')];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_cli_commands_other_than_the_app_do_not_load_textual() -> None:
    code = "import sys; from reader.cli import build_parser; build_parser();print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


def test_seeds_ship_without_python_files() -> None:
    assert sorted(p.suffix for p in Path(ROOT / "seeds").iterdir() if p.is_file()) == [".txt"] * 5
