"""The bundled seed articles: the library a new user starts with.

``seeds`` is a namespace package holding only the raw article files (no
``__init__.py``), so that ``reader import seeds/`` imports exactly the five
articles. Its files are found through the package's search path, which works
for a source checkout, an editable install and a regular install alike.
"""

from __future__ import annotations

from pathlib import Path

from store.sources.files import SourceFile


def seeds_folder() -> Path | None:
    """The folder the bundled seeds are in, if it can be found."""
    try:
        import seeds

        search_path = list(getattr(seeds, "__path__", []))
    except ImportError:  # pragma: no cover - broken installation
        search_path = []
    candidates = [Path(entry) for entry in search_path]
    candidates.append(Path(__file__).resolve().parent.parent / "seeds")
    for folder in candidates:
        if folder.is_dir() and any(folder.glob("*.txt")):
            return folder
    return None


def bundled_sources() -> list[SourceFile]:
    """The seed files, in name order (empty if the installation lacks them)."""
    folder = seeds_folder()
    if folder is None:
        return []
    return [
        SourceFile(
            origin=f"seeds/{path.name}",
            source_key=f"bundled:seeds/{path.name}",
            data=path.read_bytes(),
        )
        for path in sorted(folder.glob("*.txt"))
    ]
