"""Search quality on the judged query sets (bench/judged), as the bench reports it."""

from __future__ import annotations

import pytest

from bench.relevance import evaluate


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return evaluate(["lucene", "ours"])


def test_every_judged_query_is_right(results) -> None:  # type: ignore[no-untyped-def]
    for set_name, variants in results.items():
        ours = variants["ours"]
        assert ours.misses == [], set_name
        assert ours.recall == 1.0


def test_ours_beats_lucene_on_our_set(results) -> None:  # type: ignore[no-untyped-def]
    ours_set = next(v for name, v in results.items() if name.startswith("ours"))
    assert ours_set["ours"].recall > ours_set["lucene"].recall
    assert ours_set["ours"].perfect > ours_set["lucene"].perfect
