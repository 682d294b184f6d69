"""The broken-plural table and its loader (store/analysis/plurals.py)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.analysis import plurals
from store.analysis.arabic import fold, normalise, stem
from store.analysis.plurals import is_sound_plural, plural_links, table_pairs
from store.library import Library

from conftest import hit_names, library_of

DATA = Path(plurals.__file__).with_name("data")
ROOT = Path(__file__).resolve().parent.parent

# The examples the feature was asked for, singular first.
EXAMPLES = [
    ("مدينة", "مدن"),
    ("صاروخ", "صواريخ"),
    ("خبر", "أخبار"),
    ("طالب", "طلاب"),
    ("برج", "أبراج"),
    ("دولة", "دول"),
    ("جندي", "جنود"),
    ("سلاح", "أسلحة"),
    ("قرية", "قرى"),
    ("شيخ", "شيوخ"),
    ("شيخ", "مشايخ"),
    ("كبير", "كبار"),
    ("صغير", "صغار"),
    ("جديد", "جدد"),
    ("قديم", "قدماء"),
    ("امرأة", "نساء"),
    ("رئيس", "رؤساء"),
    ("مسألة", "مسائل"),
    ("سؤال", "أسئلة"),
    ("أرض", "أراضي"),
    ("أرض", "أراض"),
]


def _false_friends() -> list[tuple[str, str]]:
    pairs = []
    for line in (DATA / "plurals-false-friends.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            first, second = line.split("\t")
            pairs.append((first, second))
    return pairs


@pytest.mark.parametrize(("singular", "plural"), EXAMPLES)
def test_examples_link_both_ways(singular: str, plural: str) -> None:
    s, p = normalise(singular), normalise(plural)
    assert p in plural_links(s)
    assert s in plural_links(p)


def test_results_are_normalised_surface_forms() -> None:
    assert normalise("مدن") in plural_links(normalise("مدينة"))
    assert plural_links(normalise("مدينة")) >= {"مدن"}
    assert "قريه" in plural_links("قري")  # ة and ى folded as the index folds them
    assert "اسلحه" in plural_links("سلاح")
    assert "رءساء" in plural_links("رءيس")  # hamza seats folded to ء
    for word in plural_links("مدينه") | plural_links("قري"):
        assert word == normalise(word)


def test_article_is_stripped_and_put_back() -> None:
    assert "المدن" in plural_links("المدينه")
    assert "المدينه" in plural_links("المدن")
    assert "الصواريخ" in plural_links("الصاروخ")
    assert "للدول" in plural_links("للدوله")
    assert "والاخبار" in plural_links("والخبر")
    # A word that is itself in the table is not taken for article + word.
    assert plural_links("الهه") == plural_links(normalise("آلهة"))


def test_unknown_words_and_the_word_itself() -> None:
    assert plural_links("") == frozenset()
    assert plural_links("بوتين") == frozenset()
    assert plural_links("ال") == frozenset()
    assert plural_links("zelensky") == frozenset()
    for word in ("مدينه", "صواريخ", "دول"):
        assert word not in plural_links(word)


def test_links_are_symmetric() -> None:
    for singular, plural in table_pairs():
        s, p = normalise(singular), normalise(plural)
        assert p in plural_links(s), (singular, plural)
        assert s in plural_links(p), (singular, plural)


def test_no_false_friend_is_joined() -> None:
    friends = _false_friends()
    assert len(friends) >= 50
    for first, second in friends:
        a, b = normalise(first), normalise(second)
        assert b not in plural_links(a), (first, second)
        assert a not in plural_links(b), (first, second)
        assert "ال" + b not in plural_links("ال" + a), (first, second)


def test_design_false_friends_are_listed() -> None:
    listed = {frozenset(pair) for pair in _false_friends()}
    for pair in [("قطر", "قطار"), ("كتاب", "كاتب"), ("شمال", "شامل"), ("جنوب", "جنب")]:
        assert frozenset(pair) in listed
    assert frozenset(("نظام", "ناظم")) in listed
    assert frozenset(("مدافع", "مدفع")) in listed
    assert frozenset(("سنة", "ألسنة")) in listed


def test_table_holds_no_sound_plural() -> None:
    for singular, plural in table_pairs():
        assert not is_sound_plural(normalise(singular), normalise(plural)), (singular, plural)


@pytest.mark.parametrize(
    ("singular", "plural", "sound"),
    [
        ("معلم", "معلمون", True),
        ("مهندس", "مهندسين", True),
        ("سيارة", "سيارات", True),
        ("مستشفى", "مستشفيات", True),
        ("حساب", "حسابات", True),
        ("فن", "فنون", False),  # فُنون, a broken plural of a doubled root
        ("سنة", "سنوات", False),
        ("بنت", "بنات", False),
        ("صاروخ", "صواريخ", False),
    ],
)
def test_is_sound_plural(singular: str, plural: str, sound: bool) -> None:
    assert is_sound_plural(normalise(singular), normalise(plural)) is sound


def test_table_format() -> None:
    lines = (DATA / "plurals.tsv").read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("MIT" in line for line in header)
    assert lines[: len(header)] == header  # the header comes first
    body = lines[len(header) :]
    assert all(line.count("\t") == 1 for line in body)
    pairs = [tuple(line.split("\t")) for line in body]
    assert len(pairs) == len(set(pairs))
    for singular, plural in pairs:
        for word in (singular, plural):
            assert word.strip() == word and word
            assert all("\u0621" <= char <= "\u064a" and char != "\u0640" for char in word), word
        assert normalise(singular) != normalise(plural)


def test_whole_file_fold_matches_word_normalisation() -> None:
    """The loader folds the file at once; that must equal normalising each word."""
    for singular, plural in table_pairs():
        for word in (singular, plural):
            assert fold(word) == normalise(word), word


def test_table_size() -> None:
    pairs = table_pairs()
    assert len(pairs) >= 2300
    assert len({s for s, _ in pairs}) >= 2000


def test_most_pairs_are_out_of_the_stemmer_reach() -> None:
    pairs = table_pairs()
    joined = sum(1 for s, p in pairs if stem(normalise(s)) == stem(normalise(p)))
    assert joined < len(pairs) * 0.15


def test_load_time() -> None:
    """Loading happens when a search first runs: a fresh interpreter, measured."""
    code = (
        "import time, store.analysis.arabic\n"
        "from store.analysis.plurals import plural_links\n"
        "t = time.perf_counter(); plural_links('مدينه'); print(time.perf_counter() - t)\n"
    )
    timings = []
    for _ in range(3):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        timings.append(float(result.stdout))
    assert min(timings) < 0.020, timings


def test_lookup_is_cheap_once_loaded() -> None:
    plural_links("مدينه")
    started = time.perf_counter()
    for _ in range(10_000):
        plural_links("الصواريخ")
    assert time.perf_counter() - started < 0.2


def test_store_does_not_import_ui() -> None:
    source = Path(plurals.__file__).read_text(encoding="utf-8")
    for name in ("textual", "rich", "reader"):
        assert f"import {name}" not in source and f"from {name}" not in source


# --------------------------------------------------------------------------
# In the search


@pytest.fixture
def plural_library(tmp_path: Path) -> Iterator[Library]:
    library = library_of(
        tmp_path,
        {
            "plural": "قصف ليلي\n\nأطلقت القوات الروسية عشرات الصواريخ على المدن الأوكرانية ليلا.\n",
            "singular": "صاروخ جديد\n\nأطلق الجيش صاروخا واحدا على مدينة في الشرق.\n",
            "neither": "قطار سريع\n\nوصل القطار إلى العاصمة في الموعد، وقال مدني إن الرحلة كانت هادئة.\n",
            "qatar": "قطر\n\nاستضافت قطر المؤتمر هذا الأسبوع.\n",
        },
    )
    yield library
    library.close()


def test_a_singular_finds_its_broken_plural_below_direct_matches(plural_library: Library) -> None:
    assert hit_names(plural_library, "صاروخ") == ["singular", "plural"]
    assert hit_names(plural_library, "صواريخ") == ["plural", "singular"]
    assert hit_names(plural_library, "الصواريخ")[0] == "plural"
    assert set(hit_names(plural_library, "مدينة")) == {"singular", "plural"}
    assert {"singular", "plural"} <= set(hit_names(plural_library, "مدن"))


def test_plural_links_join_surface_forms_not_stem_classes(plural_library: Library) -> None:
    # «مدينة» reaches «المدن», never «مدني» (civilian), which shares the stem of «مدن».
    assert "neither" not in hit_names(plural_library, "مدينة")
    # False friends of a raw table: قطر (Qatar) / قطار (train).
    assert hit_names(plural_library, "قطر") == ["qatar"]
    assert hit_names(plural_library, "قطار") == ["neither"]


def test_snippets_and_highlights_mark_the_plural_as_written(plural_library: Library) -> None:
    hit = next(h for h in plural_library.search("صاروخ").hits if h.title == "قصف ليلي")
    marked = {hit.snippet[s:e] for s, e in hit.highlights}
    assert "الصواريخ" in marked
    # In the open article: the paragraphs as stored.
    article = plural_library.get(hit.id)
    body = article.paragraphs[0]
    spans = plural_library.highlight_spans("صاروخ", body)
    assert [body[s:e] for s, e in spans] == ["الصواريخ"]
    spans = plural_library.highlight_spans("مدينة", body)
    assert [body[s:e] for s, e in spans] == ["المدن"]


def test_explain_says_the_match_came_through_the_table(plural_library: Library) -> None:
    hits = plural_library.search("صاروخ", explain=True).hits
    reasons = {hit.title: hit.why for hit in hits}
    assert reasons["صاروخ جديد"] == ("صاروخ: direct",)
    assert reasons["قصف ليلي"][0].startswith("صاروخ: plural ↔ صواريخ")
    assert "«الصواريخ»" in reasons["قصف ليلي"][0]
