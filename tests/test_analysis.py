"""The analyzer: Lucene's published normalisation and stemming cases, and ours."""

from __future__ import annotations

import pytest

from store.analysis.arabic import (
    analyse_word,
    index_terms,
    normalise,
    proclitic_forms,
    stem,
    tokens,
)

# Lucene's TestArabicNormalizationFilter.
LUCENE_NORMALISATION = [
    ("آجن", "اجن"),
    ("أحمد", "احمد"),
    ("إعاذ", "اعاذ"),
    ("بنى", "بني"),
    ("فاطمة", "فاطمه"),
    ("روبرـــــت", "روبرت"),
    ("مَبنا", "مبنا"),
    ("علِي", "علي"),
    ("بُوات", "بوات"),
    ("ولداً", "ولدا"),
    ("ولدٍ", "ولد"),
    ("ولدٌ", "ولد"),
    ("نلْسون", "نلسون"),
    ("هتميّ", "هتمي"),
]

# Lucene's TestArabicStemFilter and TestArabicAnalyzer (normalisation then stem).
LUCENE_STEMMING = [
    ("الحسن", "حسن"),
    ("والحسن", "حسن"),
    ("بالحسن", "حسن"),
    ("كالحسن", "حسن"),
    ("فالحسن", "حسن"),
    ("للاخر", "اخر"),
    ("وحسن", "حسن"),
    ("زوجها", "زوج"),
    ("ساهدان", "ساهد"),
    ("ساهدات", "ساهد"),
    ("ساهدون", "ساهد"),
    ("ساهدين", "ساهد"),
    ("ساهديه", "ساهد"),
    ("ساهدية", "ساهد"),
    ("ساهده", "ساهد"),
    ("ساهدة", "ساهد"),
    ("ساهدي", "ساهد"),
    ("وساهدون", "ساهد"),
    ("ساهدهات", "ساهد"),
    ("الو", "الو"),
    ("كبير", "كبير"),
    ("كبيرة", "كبير"),
    ("مشروب", "مشروب"),
    ("مشروبات", "مشروب"),
    ("أمريكيين", "امريك"),
    ("امريكي", "امريك"),
    ("كتاب", "كتاب"),
    ("الكتاب", "كتاب"),
]


@pytest.mark.parametrize(("word", "expected"), LUCENE_NORMALISATION)
def test_lucene_normalisation_cases(word: str, expected: str) -> None:
    assert normalise(word) == expected


@pytest.mark.parametrize(("word", "expected"), LUCENE_STEMMING)
def test_lucene_stemming_cases(word: str, expected: str) -> None:
    assert analyse_word(word)[1] == expected


def test_english_is_lowercased_not_stemmed() -> None:
    assert [t.stem for t in tokens("English text.")] == ["english", "text"]


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("١٧٨ و۱۷۸ و178", ["178", "و178", "و178"]),
        ("iskander-m", ["iskander", "m"]),
        ("Telegram", ["telegram"]),
        ("Café", ["cafe"]),
        ("كَتَبَ", ["كتب"]),
        ("ﺑﻮﺗﻴﻦ", ["بوتين"]),  # presentation forms copied from shaped text
        ("ﻻ", ["لا"]),
        ("ی ک", ["ي", "ك"]),  # Persian yeh and keheh
        ("مسؤول مسئول", ["مسءول", "مسءول"]),  # hamza seats spelled either way
        ("بو\u200fتين", ["بوتين"]),  # a bidi mark pasted into a word
        ("كو\u200dفيد", ["كوفيد"]),  # ZWJ inside a word
        ("131/136", ["131", "136"]),
        ("ـــ", []),  # tatweel alone is no word
    ],
)
def test_tokens_and_surfaces(text: str, surfaces: list[str]) -> None:
    assert [t.surface for t in tokens(text)] == surfaces


def test_token_offsets_point_into_the_original_text() -> None:
    text = "قال «والكرملين» أمس"
    found = tokens(text)
    assert [text[t.start : t.end] for t in found] == ["قال", "والكرملين", "أمس"]
    assert found[1].stem == "كرمل"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("وبالكرملين", "كرمل"),  # conjunction + preposition + article: Lucene leaves «بالكرمل»
        ("فبالحسن", "حسن"),
        ("وللاخر", "اخر"),
        ("والكرملين", "كرمل"),
    ],
)
def test_our_prefix_combinations(word: str, expected: str) -> None:
    assert analyse_word(word)[1] == expected


def test_index_terms_and_the_stems_of_their_forms() -> None:
    stems: dict[str, str] = {}
    surfaces = index_terms("قال الرئيس الروسي فلاديمير بوتين", stems)
    assert surfaces.split() == ["قال", "الرءيس", "الروسي", "فلاديمير", "بوتين"]
    # Words whose stem differs are recorded with it, for the query side to expand;
    # the others with an empty stem (new words all the same: their name keys).
    assert stems == {"الرءيس": "رءيس", "الروسي": "روس", "بوتين": "بوت", "قال": "", "فلاديمير": ""}


@pytest.mark.parametrize("text", ["بوتين", "قال الرئيس الروسي في موسكو فلاديمير بوتين قال"])
def test_index_terms_survive_the_word_cache_filling_up(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.analysis.arabic

    expected_stems: dict[str, str] = {}
    expected = index_terms(text, expected_stems)
    # A cache so small it is emptied while the text's own new words go in.
    store.analysis.arabic.reset_cache()
    monkeypatch.setattr(store.analysis.arabic, "_CACHE_LIMIT", 2)
    stems: dict[str, str] = {}
    assert index_terms(text, stems) == expected
    assert stems == expected_stems
    store.analysis.arabic.reset_cache()


def test_proclitic_forms_cover_conjunction_preposition_article() -> None:
    forms = proclitic_forms("بوتين")
    for form in (
        "بوتين",
        "وبوتين",
        "فبوتين",
        "لبوتين",
        "ببوتين",
        "كبوتين",
        "وببوتين",
        "البوتين",
        "وبالبوتين",
    ):
        assert form in forms
    assert forms[0] == "بوتين"
    assert proclitic_forms("iskander") == ["iskander"]
    assert all(not f.startswith("الال") for f in proclitic_forms("الكرملين"))


def test_stem_of_non_arabic_is_itself() -> None:
    assert stem("zelensky") == "zelensky"
    assert stem("2014") == "2014"
