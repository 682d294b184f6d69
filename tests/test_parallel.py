"""Preparing files in worker processes: order, a dying worker, stopping early."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

import store.parallel
from store.errors import LibraryError
from store.ingest import PreparedArticle, PrepareFailure, SourceFile, walk
from store.library import Library
from store.parallel import _in_order, prepare_in_parallel


def failure(name: str) -> PrepareFailure:
    return PrepareFailure(name, "a reason")


def test_chunks_come_back_in_order_whichever_worker_sends_first() -> None:
    (first_in, first_out), (second_in, second_out) = multiprocessing.Pipe(False), multiprocessing.Pipe(False)
    second_out.send((1, [failure("c"), failure("d")]))
    second_out.send((2, [failure("e")]))
    first_out.send((0, [failure("a"), failure("b")]))
    first_out.close()
    second_out.close()
    results = list(_in_order([first_in, second_in], 3))
    assert [item.origin for item in results] == ["a", "b", "c", "d", "e"]


def test_a_worker_gone_before_its_chunk_is_a_clear_error() -> None:
    receiving, sending = multiprocessing.Pipe(False)
    sending.send((0, [failure("a")]))
    sending.close()  # the worker died before sending chunk 1
    results = _in_order([receiving], 2)
    assert next(results).origin == "a"
    with pytest.raises(LibraryError, match="import worker stopped unexpectedly"):
        next(results)


def test_results_match_preparing_in_process(tmp_path: Path) -> None:
    from bench.corpus import generate

    corpus = generate(tmp_path / "corpus", 90, seed=3)
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n")
    sources = [item for item in walk([str(corpus)]) if isinstance(item, SourceFile)]
    parallel = list(prepare_in_parallel(sources, 3, 1 << 20, frozenset()))
    assert [item.origin for item in parallel] == [source.origin for source in sources]
    failures = [item for item in parallel if isinstance(item, PrepareFailure)]
    assert [(Path(item.origin).name, item.reason) for item in failures] == [
        ("broken.txt", "binary file (a PNG image), not text")
    ]
    prepared = [item for item in parallel if isinstance(item, PreparedArticle)]
    assert len(prepared) == 90 and all(item.body for item in prepared)


def test_stopping_early_leaves_no_worker_behind(tmp_path: Path) -> None:
    from bench.corpus import generate

    corpus = generate(tmp_path / "corpus", 200, seed=4)
    sources = [item for item in walk([str(corpus)]) if isinstance(item, SourceFile)]
    results = prepare_in_parallel(sources, 2, 1 << 20, frozenset())
    assert isinstance(next(results), PreparedArticle)
    results.close()
    assert multiprocessing.active_children() == []


def test_an_import_whose_worker_dies_fails_cleanly_and_can_be_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.corpus import generate

    corpus = generate(tmp_path / "corpus", 150, seed=6)
    prepare_wire = store.parallel._prepare_wire

    def dies_on_one_file(source: SourceFile, max_bytes: int, known: frozenset[str]) -> object:
        if source.origin.endswith("0100.txt"):
            os._exit(3)  # as if the worker were killed
        return prepare_wire(source, max_bytes, known)

    # Forked workers inherit the patched function.
    monkeypatch.setattr(store.parallel, "_prepare_wire", dies_on_one_file)
    with Library(tmp_path / "lib.db") as library:
        with pytest.raises(LibraryError, match="import worker stopped unexpectedly"):
            library.import_paths([str(corpus)], workers=2)
        assert multiprocessing.active_children() == []
        kept = library.count()
        assert kept < 150
        monkeypatch.setattr(store.parallel, "_prepare_wire", prepare_wire)
        report = library.import_paths([str(corpus)], workers=2)
        assert (report.count("added"), report.count("unchanged")) == (150 - kept, kept)
        assert library.count() == 150
        assert library.check() == []
