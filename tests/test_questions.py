"""Questions and long queries: best matches when no article holds every word."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from store.library import Library

ARTICLES = {
    "nile": (
        "نهر النيل",
        "نهر النيل هو أطول أنهار العالم، إذ يبلغ طوله نحو 6650 كيلومترا، ويصب في البحر الأبيض المتوسط.",
    ),
    "dam": (
        "السد العالي",
        "بنت مصر السد العالي قرب مدينة أسوان بين عامي 1960 و1970، وتكونت خلفه بحيرة ناصر.",
    ),
    "cairo": (
        "القاهرة",
        "القاهرة هي عاصمة مصر وأكبر مدنها، أسسها الفاطميون عام 969 على يد القائد جوهر الصقلي.",
    ),
    "mars": (
        "المريخ",
        "المريخ هو الكوكب الرابع بعدا عن الشمس، ويلقب بالكوكب الأحمر لأن تربته غنية بأكسيد الحديد.",
    ),
    "printing": (
        "الطباعة",
        "اخترع الألماني يوهان غوتنبرغ آلة الطباعة بالحروف المتحركة نحو عام 1440 في مدينة ماينتس.",
    ),
}


@pytest.fixture
def questions_library(tmp_path: Path) -> Iterator[Library]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (title, text) in ARTICLES.items():
        (folder / f"{name}.txt").write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    library = Library(tmp_path / "library.db")
    library.import_paths([str(folder)], workers=1)
    yield library
    library.close()


def names(library: Library, query: str) -> list[str]:
    return [Path(library.get(hit.id).origin).stem for hit in library.search(query).hits]


def test_a_question_finds_the_paragraph_that_lacks_some_of_its_words(questions_library: Library) -> None:
    # No article holds «أطول», «نهر», «العالم» and «القارة»: the best match comes first.
    results = questions_library.search("ما هو أطول نهر في القارة والعالم؟")
    assert results.hits
    assert Path(questions_library.get(results.hits[0].id).origin).stem == "nile"
    assert any("best matches" in note for note in results.notes)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("متى بني السد العالي في أسوان؟", "dam"),
        ("ما هي عاصمة جمهورية مصر؟", "cairo"),
        ("من أسس مدينة القاهرة؟", "cairo"),
        ("لماذا يسمى المريخ بالكوكب الأحمر؟", "mars"),
        ("من اخترع آلة الطباعة؟", "printing"),
        ("كم يبلغ طول نهر النيل بالكيلومتر؟", "nile"),
    ],
)
def test_questions_rank_their_paragraph_first(questions_library: Library, question: str, answer: str) -> None:
    assert names(questions_library, question)[0] == answer


def test_question_words_carry_no_weight(questions_library: Library) -> None:
    # «من» «هو» «متى» «كيف»… are not searched for beside other words.
    results = questions_library.search("كيف المريخ")
    assert names(questions_library, "كيف المريخ") == ["mars"]
    assert any("كيف" in note for note in results.notes)
    # Alone, a question word is still a word to search for.
    assert questions_library.search("كيف").hits == ()


def test_short_keyword_queries_keep_every_word(questions_library: Library) -> None:
    # Two plain words: both must be there, as before (no best matches).
    assert names(questions_library, "المريخ القاهرة") == []
    results = questions_library.search("المريخ الشمس")
    assert names(questions_library, "المريخ الشمس") == ["mars"]
    assert not any("best matches" in note for note in results.notes)


def test_a_long_query_no_article_holds_answers_with_best_matches(questions_library: Library) -> None:
    results = questions_library.search("السد العالي بحيرة ناصر الكهرباء الفيضان")
    assert results.hits
    assert Path(questions_library.get(results.hits[0].id).origin).stem == "dam"
    assert results.notes and "no article holds all the words" in results.notes[-1]
    # The best matches rank below any article that holds every word.
    assert all(hit.score < 1 for hit in results.hits)


def test_best_matches_respect_exclusions_and_filters(questions_library: Library) -> None:
    got = names(questions_library, "السد العالي بحيرة ناصر الكهرباء -أسوان")
    assert "dam" not in got
    assert names(questions_library, "ما عاصمة مصر؟ is:bookmarked") == []


def test_the_question_set_beats_bare_fts5() -> None:
    from bench.relevance import evaluate_questions

    results = evaluate_questions()
    ours, bare = results["ours"], results["bare FTS5, words ORed"]
    assert ours.total >= 60
    assert ours.recall_at_10 >= 0.9
    assert ours.mrr_at_10 >= 0.72
    assert ours.mrr_at_10 >= bare.mrr_at_10
