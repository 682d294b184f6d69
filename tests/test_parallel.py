"""Preparing files in worker processes: order, a dying worker, stopping early,
and workers that hold nothing of the library and end with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import store.importing.parallel
from bench.corpus import generate
from store.errors import LibraryError
from store.importing.prepare import PreparedArticle, PrepareFailure
from store.library import Library
from store.sources.files import SourceFile, walk

from conftest import ROOT

FAULTY = str(Path(__file__).with_name("faulty_worker.py"))


def _sources(folder: Path) -> list[SourceFile]:
    return [item for item in walk([str(folder)]) if isinstance(item, SourceFile)]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_chunks_come_back_in_order_whichever_worker_sends_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path / "corpus", 200, seed=5)
    sources = _sources(corpus)
    monkeypatch.setattr(store.importing.parallel, "WORKER_COMMAND", (sys.executable, FAULTY, "reversed"))
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{ROOT / 'tests'}")
    results = list(store.importing.parallel.prepare_in_parallel(sources, 2, 1 << 20, frozenset()))
    assert [item.origin for item in results] == [source.origin for source in sources]


def test_results_match_preparing_in_process(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 90, seed=3)
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    sources = _sources(corpus)
    parallel = list(store.importing.parallel.prepare_in_parallel(sources, 3, 1 << 20, frozenset()))
    assert [item.origin for item in parallel] == [source.origin for source in sources]
    failures = [item for item in parallel if isinstance(item, PrepareFailure)]
    assert [(Path(item.origin).name, item.reason) for item in failures] == [
        ("broken.txt", "binary file (a PNG image), not text")
    ]
    prepared = [item for item in parallel if isinstance(item, PreparedArticle)]
    assert len(prepared) == 90 and all(item.body for item in prepared)


def test_stopping_early_leaves_no_worker_behind(tmp_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 200, seed=4)
    results = store.importing.parallel.prepare_in_parallel(_sources(corpus), 2, 1 << 20, frozenset())
    assert isinstance(next(results), PreparedArticle)
    workers = _children(os.getpid())
    assert len(workers) == 2
    results.close()
    assert not [pid for pid in workers if _alive(pid)]


def test_an_import_whose_worker_dies_fails_cleanly_and_can_be_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = generate(tmp_path / "corpus", 150, seed=6)
    with Library(tmp_path / "lib.db") as library:
        with monkeypatch.context() as patched:
            patched.setattr(
                store.importing.parallel, "WORKER_COMMAND", (sys.executable, FAULTY, "die-on-0100")
            )
            patched.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{ROOT / 'tests'}")
            with pytest.raises(LibraryError, match="import worker stopped unexpectedly"):
                library.import_paths([str(corpus)], workers=2)
        assert not [pid for pid in _children(os.getpid()) if _alive(pid)]
        kept = library.count()
        assert kept < 150
        report = library.import_paths([str(corpus)], workers=2)
        assert (report.count("added"), report.count("unchanged")) == (150 - kept, kept)
        assert library.count() == 150
        assert library.check() == []


def _import_in_background(corpus: Path, db_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--db", str(db_path), "import", str(corpus)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _is_worker(pid: int) -> bool:
    try:
        return b"store.importing.worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _workers_of(importer: subprocess.Popen[bytes], db_path: Path) -> set[int]:
    """The import's worker processes, once it has started them and written something."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = _children(importer.pid)
        # Started: past the moment between fork and exec, when a child still
        # has copies of every descriptor of its parent's until it closes them.
        if len(workers) == 2 and all(_is_worker(pid) for pid in workers) and Path(f"{db_path}-wal").exists():
            return workers
        time.sleep(0.05)
    raise AssertionError("the import never started its workers")


@pytest.mark.slow
def test_workers_hold_nothing_of_the_library(tmp_path: Path, db_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 3000, seed=8)
    importer = _import_in_background(corpus, db_path)
    try:
        for pid in _workers_of(importer, db_path):
            targets = []
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    targets.append(os.readlink(fd))
                except OSError:
                    continue  # closed meanwhile
            assert not [t for t in targets if t.startswith(str(db_path))], targets
            maps = Path(f"/proc/{pid}/maps").read_text()
            assert str(db_path) not in maps
    finally:
        importer.kill()
        importer.wait()


@pytest.mark.slow
def test_workers_end_when_the_import_is_killed(tmp_path: Path, db_path: Path) -> None:
    corpus = generate(tmp_path / "corpus", 3000, seed=9)
    importer = _import_in_background(corpus, db_path)
    workers = _workers_of(importer, db_path)
    os.kill(importer.pid, signal.SIGKILL)  # only the importer, as the OOM killer would
    importer.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)]
    with Library(db_path) as library:
        assert library.check() == []
