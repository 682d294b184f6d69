"""The layout module: bidi order, shaping, wrapping, alignment, no lost text."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from reader.bidi import mirror
from reader.layout import (
    ELLIPSIS,
    RenderMode,
    cursor_column,
    layout_line,
    layout_paragraph,
    paragraph_is_rtl,
    wrap,
)
from reader.shaping import shape, unshape
from store.text.parse import parse_article

from conftest import fribidi, needs_fribidi


def one_line(text: str, **kwargs: object) -> str:
    lines = layout_paragraph(text, 10_000, **kwargs)  # type: ignore[arg-type]
    assert len(lines) == 1
    return lines[0].text


def mirror_neutral(text: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for char in unshape(text):
        if char.isspace():
            continue
        counts[min(char, mirror(char))] += 1
    return counts


def test_mixed_latin_numbers_and_brackets() -> None:
    assert one_line("قال (abc) 12 لا الله «كلمة» Telegram ، إن") == (
        "ﻥﺇ ، Telegram «ﺔﻤﻠﻛ» ﻪﻠﻟﺍ ﻻ 12 (abc) ﻝﺎﻗ"
    )


def test_percentages_and_hyphenated_latin() -> None:
    assert one_line("أطلقت صواريخ iskander-m و 178 طائرة بنسبة 50%") == (
        "%50 ﺔﺒﺴﻨﺑ ﺓﺮﺋﺎﻃ 178 ﻭ iskander-m ﺦﻳﺭﺍﻮﺻ ﺖﻘﻠﻃﺃ"
    )


def test_parenthesised_arabic_word_looks_parenthesised() -> None:
    shown = one_line("(كراماتورسك) قال")
    assert shown == "ﻝﺎﻗ (ﻚﺳﺭﻮﺗﺎﻣﺍﺮﻛ)"
    assert not shown.endswith("(") and ")(" not in shown


def test_harakat_stay_on_their_letter() -> None:
    shown = one_line("كَتَبَ")
    assert shown == "ﺐَﺘَﻛَ"
    for index, char in enumerate(shown):
        if unicodedata.category(char) == "Mn":
            assert index > 0 and unicodedata.category(shown[index - 1]) != "Mn"


def test_zwj_and_zwnj_do_not_break_anything() -> None:
    assert one_line("كو\u200dفيد") == "ﺪﻴﻓﻮﻛ"
    assert one_line("می\u200cخواهم")  # Persian with ZWNJ
    shaped, sources = shape("ل\u200d")
    assert shaped == "\ufedf" and sources == [0]


def test_lam_alef_is_one_cell_and_maps_to_both_letters() -> None:
    shaped, sources = shape("لا")
    assert shaped == "\ufefb" and sources == [0]
    assert layout_paragraph("الاخلاء", 100)[0].cells == 5


def test_paragraph_direction_is_decided_once() -> None:
    # Starts with a Latin word, but it is an Arabic paragraph of an Arabic article.
    assert paragraph_is_rtl("Telegram قال إن", default_rtl=True)
    assert not paragraph_is_rtl("Telegram said", default_rtl=True)
    assert not paragraph_is_rtl("English قال", default_rtl=False)
    assert paragraph_is_rtl("123 ...", default_rtl=True)


def test_rtl_lines_are_right_aligned_and_ltr_left() -> None:
    line = layout_paragraph("مرحبا بالعالم", 20)[0]
    rendered = line.render(20)
    assert rendered.plain.startswith(" ") and rendered.cell_len == 20
    english = layout_paragraph("hello world", 20)[0].render(20)
    assert english.plain == "hello world"


def test_long_words_are_broken_and_nothing_is_lost() -> None:
    word = "ا" * 7 + "بتثجحخدذرزسشصض"
    lines = layout_paragraph(word, 5)
    assert all(line.cells <= 5 for line in lines)
    assert "".join(word[line.start : line.end] for line in lines) == word


def test_empty_and_blank_text() -> None:
    assert layout_paragraph("", 40) == ()
    assert layout_paragraph("   ", 40) == ()


def test_controls_never_reach_the_screen() -> None:
    shown = one_line("قال\u202e abc \x1b[2J\u2066 def")
    assert not any(c in shown for c in "\u202e\x1b\u2066")


def test_title_truncated_at_the_end_of_reading_direction() -> None:
    line = layout_line("بوتين وشي يجريان محادثات بينما تقصف روسيا أوكرانيا مجددا", 20)
    assert line.cells <= 20
    assert line.text.startswith(ELLIPSIS)  # RTL: the end of reading is on the left
    english = layout_line("Putin and Xi hold talks as Russia strikes Ukraine again", 20)
    assert english.text.endswith(ELLIPSIS) and english.cells <= 20


def test_highlights_follow_the_words_through_reordering() -> None:
    text = "قال المتحدث باسم الكرملين"
    start = text.index("الكرملين")
    line = layout_paragraph(text, 100, highlights=[(start, start + len("الكرملين"))])[0]
    (span,) = line.highlights
    assert unshape(line.text[span[0] : span[1]])[::-1] == "الكرملين"


def test_cursor_column_in_rtl_text() -> None:
    line = layout_line("بوتين", 40, rtl=True, columns=True)
    assert cursor_column(line, 5) == -1  # after the last letter: left of the word
    assert cursor_column(line, 0) == line.cells  # before the first: its right edge
    mixed = layout_line("ab", 40, rtl=True, columns=True)
    assert cursor_column(mixed, 2) == 2


def test_modes_terminal_and_plain_keep_logical_order() -> None:
    text = "قال بوتين"
    assert one_line(text, mode=RenderMode.TERMINAL) == text
    assert one_line(text, mode=RenderMode.PLAIN) == text


def test_cached_per_paragraph_and_width() -> None:
    text = "نص للاختبار " * 20
    assert layout_paragraph(text, 33) is layout_paragraph(text, 33)


def seed_paragraphs(seed_texts: dict[str, str]) -> list[str]:
    paragraphs = []
    for text in seed_texts.values():
        article = parse_article(text)
        paragraphs += [article.title, *article.paragraphs]
    return paragraphs


def test_every_width_from_10_to_200_loses_no_character(seed_texts: dict[str, str]) -> None:
    for paragraph in seed_paragraphs(seed_texts)[::3]:
        expected = Counter(c for c in paragraph if not c.isspace())
        for width in range(10, 201):
            lines = layout_paragraph(paragraph, width)
            logical = Counter(
                c for line in lines for c in paragraph[line.start : line.end] if not c.isspace()
            )
            assert logical == expected, width
            for line in lines:
                assert line.cells <= width
                segment = paragraph[line.start : line.end]
                assert mirror_neutral(line.text) == mirror_neutral(segment), (width, segment)


@needs_fribidi
@pytest.mark.parametrize("width", [30, 47, 64, 80, 120])
def test_every_line_agrees_with_gnu_fribidi(seed_texts: dict[str, str], width: int) -> None:
    logical: list[str] = []
    ours: list[str] = []
    for paragraph in seed_paragraphs(seed_texts):
        for line in layout_paragraph(paragraph, width, rtl=True):
            logical.append(paragraph[line.start : line.end])
            ours.append(line.text)
    assert ours == fribidi(logical)


@needs_fribidi
def test_random_mixtures_agree_with_gnu_fribidi() -> None:
    import random

    rng = random.Random(7)
    alphabet = (
        list("كتب الولد قال لا إن")
        + list("abc XYZ 0123456789")
        + list("()[]{}<>«»“”.,،:;!?-+%$#/")
        + [
            "\u064e",
            "\u0650",
            "\u0661",
            "\u0662",
            "\u05d0",
            "\u06f1",
            " ",
        ]
    )
    cases = []
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))).strip()
        if text:
            cases.append(text)
    ours = [layout_paragraph(text, 10_000, rtl=True)[0].text for text in cases]
    for text, mine, reference in zip(cases, ours, fribidi(cases), strict=True):
        assert mine == reference, text


def test_wrap_never_splits_a_letter_from_its_marks_or_lam_from_alef() -> None:
    text = "لاَ كَتَبَ " * 5
    for width in range(1, 15):
        for start, _end in wrap(text, width):
            assert not (start > 0 and unicodedata.category(text[start]) == "Mn")
            assert not (start > 0 and text[start - 1] == "ل" and text[start] == "ا")


def test_titles_are_cut_between_words() -> None:
    title = "قال الرئيس بينما كورسك تتجه"
    for width in range(6, 28):
        line = layout_line(title, width)
        assert line.cells <= width
        kept = unshape(line.text)[::-1]
        if kept.endswith(ELLIPSIS):
            words = kept[:-1].split()
            assert words == title.split()[: len(words)], (width, kept)  # whole words only: no «بين…»
    # One word wider than the line is still cut inside it, rather than shown empty.
    assert layout_line("abcdefghijklmnop", 6).text == "abcde" + ELLIPSIS
    assert layout_line("hello world again", 14, rtl=False).text == "hello world" + ELLIPSIS
