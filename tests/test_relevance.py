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


def test_plurals_and_names_each_in_their_own_library() -> None:
    """A sample of the bench's pair tables (the whole of them: python -m bench.relevance --only links)."""
    from bench.relevance import HELD_OUT_NAMES, _linked_scores, name_cases, plural_cases

    plurals = _linked_scores(plural_cases()[::6])
    assert plurals.found >= 0.85 and plurals.precision >= 0.9, plurals.misses
    names = _linked_scores(name_cases(HELD_OUT_NAMES)[::5])
    assert names.found >= 0.7 and names.precision >= 0.8, names.misses
