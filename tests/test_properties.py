"""Property tests: on arbitrary Unicode nothing raises and no text is dropped."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.bidi import mirror
from reader.layout import guard, layout_line, layout_paragraph
from reader.shaping import unshape
from store.analysis.arabic import _TOKEN_RE, _words_of, fold, tokens, word_list
from store.importing.prepare import content_hash
from store.search.engine import Matcher
from store.search.query import parse_query
from store.text.decode import _looks_binary
from store.text.parse import parse_article
from store.text.sanitize import clean_markup, clean_text

ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
MARKS = st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640", "\u200c", "\u200d"])
LATIN = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
CONTROLS = st.sampled_from(["\x1b[2J", "\x1b]0;title\x07", "\x07", "\x00", "\x9b", "\r", "\t", "\n"])
BIDI = st.sampled_from(
    [
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200e",
        "\u200f",
        "\u061c",
    ]
)
ANY = st.characters(blacklist_categories=["Cs"])
LATIN_1 = st.characters(max_codepoint=0xFF)  # C0 and C1 controls among letters

MIXED = st.lists(
    st.one_of(ARABIC, MARKS, LATIN, CONTROLS, BIDI, ANY, st.just(" "), st.just("لا"), st.just("(")),
    max_size=80,
).map("".join)

# More examples for a deep run: READER_HYPOTHESIS_EXAMPLES=5000 pytest tests/test_properties.py
EXAMPLES = int(os.environ.get("READER_HYPOTHESIS_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> Counter[str]:
    return Counter(_WORD.findall(text))


@SETTINGS
@given(MIXED)
def test_parser_never_raises_and_keeps_every_word(text: str) -> None:
    article = parse_article(text)
    kept = " ".join(
        [
            article.title,
            article.dateline or "",
            article.site or "",
            *article.credits,
            *article.paragraphs,
            *article.removed,
        ]
    )
    # Every word of the (sanitised) input is somewhere: body, title, credits, or the removed list.
    assert not words(clean_text(text)) - words(kept) - Counter(article.credits)


@SETTINGS
@given(MIXED)
def test_analyzer_never_raises_and_offsets_are_exact(text: str) -> None:
    for token in tokens(text):
        assert text[token.start : token.end] == token.text
        assert token.surface and " " not in token.surface and '"' not in token.surface


@SETTINGS
@given(MIXED, st.lists(st.sampled_from(list(range(12))), max_size=4))
def test_snippet_fast_path_finds_what_full_analysis_finds(text: str, picks: list[int]) -> None:
    # The query's terms come from the text's own words, so there is something to find.
    found = tokens(text)
    matcher = Matcher()
    for pick in picks:
        if found:
            token = found[pick % len(found)]
            (matcher.surfaces if pick % 3 else matcher.stems).add(token.surface if pick % 3 else token.stem)
            if pick % 5 == 0:
                matcher.prefixes.append(token.surface[:2])
    assert matcher.spans_in_folded(text, fold(text)) == matcher.spans(text, check=False)


@SETTINGS
@given(st.text(alphabet=st.sampled_from("ab \t\r\n\x0b\x1c\u00a0\u2003"), max_size=40))
def test_content_hash_ignores_line_ends_and_trailing_space(text: str) -> None:
    lines = text.replace("\r\n", "\n").split("\n")
    canonical = "\n".join(line.rstrip() for line in lines).strip()
    assert content_hash(text) == content_hash(canonical)
    assert content_hash(text) == "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


@SETTINGS
@given(st.text(max_size=60))
def test_query_parser_never_raises(text: str) -> None:
    parse_query(text)


@SETTINGS
@given(MIXED, st.integers(min_value=1, max_value=120))
def test_layout_never_raises_and_drops_no_character(text: str, width: int) -> None:
    shown = guard(text)

    def visible(chars: str) -> Counter[str]:
        # Joiners shape letters and take no cell; mirrored brackets count as one.
        return Counter(min(c, mirror(c)) for c in chars if not c.isspace() and c not in "\u200c\u200d")

    lines = layout_paragraph(text, width)
    assert visible("".join(shown[line.start : line.end] for line in lines)) == visible(shown)
    for line in lines:
        assert visible(unshape(line.text)) == visible(unshape(shown[line.start : line.end]))
        assert not any(unicodedata.category(c) == "Cc" for c in line.text)
        assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in line.text)
    layout_line(text, width)


@SETTINGS
@given(MIXED)
def test_sanitiser_removes_controls_and_keeps_the_rest(text: str) -> None:
    cleaned = clean_text(text)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n" for c in cleaned)
    assert not any(c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in cleaned)
    assert words(cleaned) == words(clean_text(cleaned))


@SETTINGS
@given(st.one_of(MIXED, st.text(ANY, max_size=300)))
def test_clean_markup_leaves_nothing_the_sanitiser_removes(text: str) -> None:
    # The quick check must never let through what clean_text removes; only tabs
    # and carriage returns (whitespace to an HTML parser) may stay.
    html = f"<html><body>\r\n\t<p>{text}</p></body></html>"
    left = clean_markup(html).replace("\t", " ").replace("\r", "")
    assert clean_text(left) == left


@SETTINGS
@given(MIXED)
def test_word_list_finds_the_words_the_token_pattern_finds(text: str) -> None:
    assert word_list(text) == _TOKEN_RE.findall(_words_of(text))
    spaced = f" {text}\u00a0{text}\u2003x"  # other whitespace between pieces
    assert word_list(spaced) == _TOKEN_RE.findall(_words_of(spaced))


def test_word_list_agrees_with_the_token_pattern_on_every_character() -> None:
    # Alone, between letters and after a space: whitespace, a word character, a mark, a separator.
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) == "Cs":
            continue
        for text in (f"ab{char}c d", f"ب {char}{char}ت"):
            assert word_list(text) == _TOKEN_RE.findall(_words_of(text)), hex(code)


@SETTINGS
@given(st.one_of(MIXED, st.text(LATIN_1, max_size=300), st.text(ANY, max_size=5000)))
def test_binary_check_from_utf8_bytes_agrees_with_the_search(text: str) -> None:

    assert _looks_binary(text, text.encode("utf-8", "surrogatepass")) == _looks_binary(text)


@SETTINGS
@given(st.one_of(MIXED, st.text(st.sampled_from("ab \t\u00a0\u2003\u200f\x1c\x85"), max_size=20)))
def test_a_line_taken_as_squashed_is_left_as_squashing_leaves_it(line: str) -> None:
    from store.text.parse import _is_squashed

    if line.isprintable() and _is_squashed(line):
        assert " ".join(line.split()) == line


@SETTINGS
@given(st.lists(st.one_of(MIXED, st.sampled_from(["", "  ", "a  b", " ب", "\tx", "ت\r"])), max_size=8))
def test_paragraphs_of_a_text_are_those_of_the_cleaned_text(lines: list[str]) -> None:
    from store.text.parse import clean_paragraphs, split_paragraphs

    text = "\n".join(lines)
    assert clean_paragraphs(text) == split_paragraphs(clean_text(text))
