"""The Unicode Bidirectional Algorithm (UAX #9) for one paragraph.

python-bidi reorders a whole string at once and skips rules L3 and L4, so
brackets come out unmirrored and combining marks land before their letter;
it also offers no way to reorder one wrapped line with the levels of its
paragraph. This module resolves embedding levels per paragraph (rules P, W,
N0-N2, I) and reorders any slice of it as a line (L1-L4).

Explicit embeddings and isolates are not supported: article text is
sanitised of those controls before it is laid out, so every paragraph is a
single isolating run sequence at the paragraph level.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from bidi.mirror import MIRRORED

_STRONG_RTL = frozenset(("R", "AL"))
_NEUTRAL = frozenset(("B", "S", "WS", "ON"))
_REMOVED_BY_X9 = frozenset(("BN",))
_EXPLICIT = frozenset(("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"))

# Paired brackets (BidiBrackets.txt): opening punctuation with a mirror.
_OPENING = {c: m for c, m in MIRRORED.items() if unicodedata.category(c) == "Ps"}
_CLOSING = {m: c for c, m in _OPENING.items()}
# Canonical equivalents that pair with each other (U+2329/U+232A ≡ U+3008/U+3009).
_CANONICAL = {"\u2329": "\u3008", "\u232a": "\u3009"}


def bidi_class(char: str) -> str:
    kind = unicodedata.bidirectional(char)
    if kind in _EXPLICIT:
        return "BN"  # treated as removed (X9); the sanitiser strips them anyway
    return kind or "L"


def is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in _STRONG_RTL


def first_strong_level(text: str) -> int | None:
    """Rules P2-P3: 1 if the first strong character is right-to-left, 0 if left-to-right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return 0
        if kind in _STRONG_RTL:
            return 1
    return None


# Arabic letters, spaces and the punctuation news uses, nothing left-to-right
# and no digits: in a right-to-left paragraph every such character is at level 1
# (neutrals between right-to-left letters, or the paragraph's edges, resolve so).
_PURE_RTL_RE = re.compile(
    "[\u0621-\u064a\u066e-\u06d3\u06d5\ufb50-\ufdff\ufe70-\ufefe .,:;!?()\\[\\]{}\"'«»“”‘’…\\-–—/*%،؛؟ـ]*"
)


@lru_cache(maxsize=4096)
def resolve_levels(text: str, base: int) -> tuple[int, ...]:
    """Embedding level of every character of a paragraph at base level 0 or 1."""
    n_all = len(text)
    if n_all == 0:
        return ()
    if base == 1 and _PURE_RTL_RE.fullmatch(text):
        return (1,) * n_all
    original = [bidi_class(c) for c in text]
    index = [i for i, kind in enumerate(original) if kind not in _REMOVED_BY_X9]
    types = [original[i] for i in index]
    n = len(types)
    embedding = "R" if base % 2 else "L"
    sos = eos = embedding

    # W1: non-spacing marks take the type of what they follow.
    previous = sos
    for k in range(n):
        if types[k] == "NSM":
            types[k] = previous
        else:
            previous = types[k]
    # W2: European numbers after Arabic letters are Arabic numbers.
    last_strong = sos
    for k in range(n):
        kind = types[k]
        if kind in ("L", "R", "AL"):
            last_strong = kind
        elif kind == "EN" and last_strong == "AL":
            types[k] = "AN"
    # W3
    for k in range(n):
        if types[k] == "AL":
            types[k] = "R"
    # W4: one separator between two numbers of a type joins them.
    for k in range(1, n - 1):
        kind = types[k]
        if kind == "ES" and types[k - 1] == "EN" and types[k + 1] == "EN":
            types[k] = "EN"
        elif kind == "CS" and types[k - 1] == types[k + 1] and types[k - 1] in ("EN", "AN"):
            types[k] = types[k - 1]
    # W5: terminators next to European numbers (12%, $5).
    k = 0
    while k < n:
        if types[k] == "ET":
            end = k
            while end < n and types[end] == "ET":
                end += 1
            if (k > 0 and types[k - 1] == "EN") or (end < n and types[end] == "EN"):
                for m in range(k, end):
                    types[m] = "EN"
            k = end
        else:
            k += 1
    # W6
    for k in range(n):
        if types[k] in ("ES", "ET", "CS"):
            types[k] = "ON"
    # W7: European numbers in left-to-right context are left-to-right.
    last_strong = sos
    for k in range(n):
        kind = types[k]
        if kind in ("L", "R"):
            last_strong = kind
        elif kind == "EN" and last_strong == "L":
            types[k] = "L"

    _resolve_brackets(text, index, original, types, embedding, sos)

    # N1/N2: neutrals between strong types of one direction take it; else the embedding's.
    k = 0
    while k < n:
        if types[k] in _NEUTRAL:
            end = k
            while end < n and types[end] in _NEUTRAL:
                end += 1
            before = sos if k == 0 else _n_direction(types[k - 1])
            after = eos if end == n else _n_direction(types[end])
            fill = before if before == after else embedding
            for m in range(k, end):
                types[m] = fill
            k = end
        else:
            k += 1

    # I1/I2
    levels = [base] * n_all
    for k, i in enumerate(index):
        kind = types[k]
        if base % 2 == 0:
            levels[i] = base + (1 if kind == "R" else 2 if kind in ("AN", "EN") else 0)
        else:
            levels[i] = base + (1 if kind in ("L", "EN", "AN") else 0)
    # Removed characters (ZWJ, soft hyphen…) take the level of what precedes them.
    previous_level = base
    for i in range(n_all):
        if original[i] in _REMOVED_BY_X9:
            levels[i] = previous_level
        else:
            previous_level = levels[i]
    return tuple(levels)


def _n_direction(kind: str) -> str:
    return "L" if kind == "L" else "R"  # R, EN and AN count as right-to-left (N1)


def _strong(kind: str) -> str | None:
    if kind == "L":
        return "L"
    if kind in ("R", "EN", "AN"):
        return "R"
    return None


def _resolve_brackets(
    text: str,
    index: list[int],
    original: list[str],
    types: list[str],
    embedding: str,
    sos: str,
) -> None:
    """Rule N0: a bracket pair takes the direction of what it encloses."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for k, i in enumerate(index):
        if types[k] != "ON":
            continue
        char = _CANONICAL.get(text[i], text[i])
        if char in _OPENING:
            if len(stack) == 63:
                break
            stack.append((_CANONICAL.get(_OPENING[char], _OPENING[char]), k))
        elif char in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], k))
                    del stack[depth:]
                    break
    if not pairs:
        return
    pairs.sort()
    opposite = "L" if embedding == "R" else "R"
    n = len(types)
    for opening, closing in pairs:
        found_embedding = found_opposite = False
        for k in range(opening + 1, closing):
            strong = _strong(types[k])
            if strong == embedding:
                found_embedding = True
                break
            if strong is not None:
                found_opposite = True
        if found_embedding:
            direction = embedding
        elif found_opposite:
            context = sos
            for k in range(opening - 1, -1, -1):
                strong = _strong(types[k])
                if strong is not None:
                    context = strong
                    break
            direction = opposite if context == opposite else embedding
        else:
            continue
        for position in (opening, closing):
            types[position] = direction
            following = position + 1
            while following < n and original[index[following]] == "NSM":
                types[following] = direction
                following += 1


def line_levels(text: str, levels: tuple[int, ...], start: int, end: int, base: int) -> list[int]:
    """Levels of text[start:end] after rule L1 (trailing whitespace to base level)."""
    line = list(levels[start:end])
    trailing = True
    for offset in range(end - start - 1, -1, -1):
        kind = unicodedata.bidirectional(text[start + offset])
        if kind in ("S", "B"):
            line[offset] = base
            trailing = True
        elif trailing and kind in ("WS", "BN", "LRI", "RLI", "FSI", "PDI"):
            line[offset] = base
        else:
            trailing = False
    return line


def reorder(levels: list[int]) -> list[int]:
    """Rule L2: visual order of positions, given their levels."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    odd_levels = [level for level in levels if level % 2]
    lowest_odd = min(odd_levels) if odd_levels else None
    if lowest_odd is None and highest % 2 == 0 and highest == min(levels):
        return order
    floor = lowest_odd if lowest_odd is not None else highest + 1
    for level in range(highest, floor - 1, -1):
        k = 0
        while k < len(order):
            if levels[order[k]] >= level:
                end = k
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[k:end] = reversed(order[k:end])
                k = end
            else:
                k += 1
    return order


#: Every character with a mirrored glyph, for str.maketrans.
MIRRORED_CHARS: dict[str, str] = dict(MIRRORED)


def mirror(char: str) -> str:
    """Rule L4: the mirrored glyph of a character shown right-to-left."""
    return MIRRORED.get(char, char)
