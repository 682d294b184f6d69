"""Arabic letter joining (contextual forms and lam-alef) with a character map.

The joining forms come from arabic-reshaper's letter tables. Its own
``reshape()`` is not used because the layout needs to know which logical
character each shaped character came from (for highlights and reordering),
it deletes harakat by default, and it raises on some text with ZWJ.

Like GNU FriBidi, only the lam-alef ligatures are formed: no «الله» glyph,
so every letter stays one terminal cell and searchable text stays legible.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from arabic_reshaper.letters import FINAL, INITIAL, ISOLATED, LETTERS_ARABIC, MEDIAL

_ZWJ = "\u200d"
_ZWNJ = "\u200c"
_LAM = "\u0644"
# Alef variant -> (isolated, final) lam-alef ligature.
_LAM_ALEF = {
    "\u0627": ("\ufefb", "\ufefc"),
    "\u0623": ("\ufef7", "\ufef8"),
    "\u0625": ("\ufef9", "\ufefa"),
    "\u0622": ("\ufef5", "\ufef6"),
}


# Letter properties as sets: set membership is what the per-character loop
# below can afford (the first article opened shapes every word it has).
_LETTERS = frozenset(LETTERS_ARABIC) - {_ZWJ, _ZWNJ}
_JOINS_BEFORE = frozenset(c for c, forms in LETTERS_ARABIC.items() if forms[FINAL] or forms[MEDIAL])
_JOINS_AFTER = frozenset(c for c, forms in LETTERS_ARABIC.items() if forms[INITIAL] or forms[MEDIAL])
_JOINING = _JOINS_BEFORE | _JOINS_AFTER


def _joins_after(char: str) -> bool:
    return char in _JOINS_AFTER


def _is_transparent(char: str) -> bool:
    """Marks do not interrupt joining (harakat between two letters).

    As in GNU FriBidi, a mark between lam and alef does prevent the ligature.
    """
    return unicodedata.category(char) == "Mn"


def shape(text: str) -> tuple[str, list[int]]:
    """Shaped text and, for each shaped character, the logical index it shows.

    ZWJ and ZWNJ affect joining and produce no character. A lam-alef ligature
    is mapped to the lam; the alef then has no shaped character of its own.
    """
    chars: list[str] = []
    forms: list[int | None] = []
    sources: list[int] = []
    previous: int | None = None  # position in `chars` of a letter that may join onward
    for index, char in enumerate(text):
        if char in _LETTERS:
            joined = previous is not None and chars[previous] in _JOINS_AFTER and char in _JOINS_BEFORE
            lam_alef = char in _LAM_ALEF and previous is not None and chars[previous] == _LAM
            if joined and lam_alef and previous is not None and sources[previous] == index - 1:
                # Lam-alef: the ligature replaces the lam; it does not join onward.
                isolated, final = _LAM_ALEF[char]
                chars[previous] = final if forms[previous] in (FINAL, MEDIAL) else isolated
                forms[previous] = None
                previous = None
                continue
            if joined and previous is not None:
                forms[previous] = _connect_forward(forms[previous])
            chars.append(char)
            forms.append(FINAL if joined else ISOLATED)
            sources.append(index)
            previous = len(chars) - 1
            continue
        if _is_transparent(char):
            chars.append(char)
            forms.append(None)
            sources.append(index)
            continue
        if char == _ZWJ:
            if previous is not None and _joins_after(chars[previous]):
                forms[previous] = _connect_forward(forms[previous])
            continue
        if char == _ZWNJ:
            previous = None
            continue
        chars.append(char)
        forms.append(None)
        sources.append(index)
        previous = None
    shaped = []
    for char, form in zip(chars, forms, strict=True):
        if form is None or char not in _JOINING:
            # Non-joining letters (hamza) keep their own code point, as in FriBidi.
            shaped.append(char)
        else:
            glyph = LETTERS_ARABIC[char][form]
            shaped.append(glyph or char)
    return "".join(shaped), sources


@lru_cache(maxsize=65536)
def _shape_word(word: str) -> str:
    return shape(word)[0]


def shape_words(text: str) -> str:
    """Shaped text, word by word (joining never crosses a space), cached per word.

    For the layout's fast path, which needs no character map.
    """
    return " ".join([_shape_word(word) for word in text.split(" ")])


def _connect_forward(form: int | None) -> int | None:
    if form == ISOLATED:
        return INITIAL
    if form == FINAL:
        return MEDIAL
    return form


def unshape(text: str) -> str:
    """Presentation forms back to letters (what was shaped, for comparisons)."""
    return "".join(unicodedata.normalize("NFKC", c) if "\ufb50" <= c <= "\ufefe" else c for c in text)
