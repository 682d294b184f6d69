"""Laying out Arabic (and mixed) text for a terminal: the one place it happens.

Most terminals neither join Arabic letters nor order right-to-left text, so
in the default ``app`` mode the reader hands them finished, visual-order
cells. Per paragraph:

1. decide the base direction once (never per wrapped line);
2. resolve bidi embedding levels for the whole paragraph (:mod:`reader.bidi`);
3. wrap in *logical* order by terminal cells, breaking at spaces, and only
   inside a word when it is wider than the line, never between a letter and
   its harakat or between lam and alef;
4. shape each line (:mod:`reader.shaping`), reorder it with the paragraph's
   levels (UAX #9 L1-L4: trailing spaces, reversal, marks kept after their
   letter, brackets mirrored) and right-align it.

The ``terminal`` mode keeps logical order for terminals that do bidi
themselves, and ``plain`` shows text as stored. Results are cached per
paragraph and width, so re-laying out on resize or scroll is cheap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from reader import bidi
from reader.shaping import shape, shape_words


class RenderMode(StrEnum):
    """How Arabic reaches the terminal."""

    APP = "app"  #: the reader shapes and reorders (for terminals that do not)
    TERMINAL = "terminal"  #: logical order, for terminals that do bidi themselves
    PLAIN = "plain"  #: logical order, no shaping, left as stored

    @classmethod
    def parse(cls, value: str | None, default: RenderMode | None = None) -> RenderMode:
        try:
            return cls((value or "").strip().lower())
        except ValueError:
            if default is None:
                raise
            return default


ELLIPSIS = "…"
HIGHLIGHT_STYLE = Style(bold=True, reverse=True)

# Display guard: nothing that moves the cursor or reorders text reaches the
# screen, even if the store let it through.
_INVISIBLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]")
_LAM = "\u0644"
_ALEFS = frozenset("\u0627\u0623\u0625\u0622")
# Marks and joiners attach to the character before them (not the fast path), and
# characters beyond the BMP take the slow path too.
_ATTACHING_RE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u08d3-\u08ff\u200c\u200d\u20d0-\u20ff\ufe20-\ufe2f\U00010000-\U0010ffff]"
)
# Anything not one cell wide (CJK, emoji, combining marks, controls).
_WIDE_OR_ZERO_RE = re.compile(
    "[^\x20-\x7e\u00a0-\u02ff\u0600-\u06ff\u0750-\u077f\u2000-\u200b\u2010-\u2027"
    "\u2030-\u205e\ufb50-\ufdff\ufe70-\ufefe]"
)
_MIRROR_TABLE = str.maketrans(bidi.MIRRORED_CHARS)
_LAM_ALEF_RE = re.compile("\u0644[\u0627\u0623\u0625\u0622]")


def guard(text: str) -> str:
    """One paragraph of displayable text: controls gone, tabs/newlines as spaces."""
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _INVISIBLE_RE.sub("", text)


def _guarded(text: str, highlights: Sequence[tuple[int, int]]) -> tuple[str, Sequence[tuple[int, int]]]:
    """Guard the text and move highlight ranges past what the guard removed."""
    clean = guard(text)
    if len(clean) == len(text) or not highlights:
        return clean, highlights
    new_index = []
    kept = 0
    for char in text:
        new_index.append(kept)
        if not _INVISIBLE_RE.match(char):
            kept += 1
    new_index.append(kept)
    return clean, [(new_index[s], new_index[e]) for s, e in highlights if new_index[s] < new_index[e]]


def has_rtl(text: str) -> bool:
    return any(bidi.is_rtl_char(c) for c in text)


def is_rtl_text(texts: Iterable[str]) -> bool:
    """Whether right-to-left letters outnumber left-to-right ones."""
    rtl = ltr = 0
    for text in texts:
        for char in text:
            kind = unicodedata.bidirectional(char)
            if kind in ("R", "AL"):
                rtl += 1
            elif kind == "L":
                ltr += 1
    return rtl > 0 and rtl >= ltr


def paragraph_is_rtl(text: str, default_rtl: bool) -> bool:
    """Base direction of a paragraph in a document whose direction is ``default_rtl``.

    In an Arabic document, a paragraph with any Arabic in it is right-to-left
    even if it opens with a Latin word or a number («Telegram قال…»);
    otherwise the first strong character decides (UAX #9 P2-P3).
    """
    if default_rtl and has_rtl(text):
        return True
    level = bidi.first_strong_level(text)
    return default_rtl if level is None else level == 1


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: its characters left to right, without padding."""

    text: str
    cells: int
    rtl: bool
    #: Highlighted (start, end) character ranges of ``text``.
    highlights: tuple[tuple[int, int], ...] = ()
    #: Screen column (from the left of ``text``) of each logical index, for cursors.
    columns: tuple[int, ...] = ()
    #: Logical index range [start, end) this line shows.
    start: int = 0
    end: int = 0
    #: For each logical index of the line: shown right-to-left?
    reversed_chars: tuple[bool, ...] = ()

    def render(
        self,
        width: int,
        *,
        style: Style | str = "",
        highlight_style: Style | str = HIGHLIGHT_STYLE,
        align: bool = True,
    ) -> Text:
        """A Rich Text of the line, right-aligned in ``width`` cells when RTL."""
        pad = max(0, width - self.cells) if (align and self.rtl) else 0
        text = Text(" " * pad + self.text, style=style, no_wrap=True, overflow="crop", end="")
        for start, end in self.highlights:
            text.stylize(highlight_style, pad + start, pad + end)
        return text

    def padding(self, width: int) -> int:
        return max(0, width - self.cells) if self.rtl else 0


def clusters(text: str) -> list[tuple[int, int]]:
    """Unbreakable units: a character with its marks; lam with its alef."""
    result: list[tuple[int, int]] = []
    index = 0
    length = len(text)
    while index < length:
        end = index + 1
        while end < length and _attaches(text[end]):
            end += 1
        if text[index] == _LAM and end == index + 1 and end < length and text[end] in _ALEFS:
            # Lam directly followed by alef: shaped as one ligature cell.
            end += 1
            while end < length and _attaches(text[end]):
                end += 1
        result.append((index, end))
        index = end
    return result


def _attaches(char: str) -> bool:
    return unicodedata.category(char) in ("Mn", "Me", "Mc") or char in "\u200c\u200d"


def _cluster_width(text: str, start: int, end: int, mode: RenderMode) -> int:
    if mode is RenderMode.APP:
        # Shaped: a letter (or a lam-alef ligature) is one cell, marks none.
        base = text[start]
        return cell_len(base) if not _attaches(base) else 0
    return cell_len(text[start:end])


def wrap(text: str, width: int, mode: RenderMode = RenderMode.APP) -> list[tuple[int, int]]:
    """Logical [start, end) ranges of the lines of a paragraph ``width`` cells wide.

    Lines break at spaces; the breaking space belongs to no line. A word
    wider than the line is cut between clusters.
    """
    width = max(1, width)
    if not _ATTACHING_RE.search(text) and not _WIDE_OR_ZERO_RE.search(text):
        return _wrap_plain(text, width, mode)
    units = clusters(text)
    lines: list[tuple[int, int]] = []
    line_start: int | None = None
    line_end = 0
    line_cells = 0
    word: list[tuple[int, int, int]] = []  # (start, end, cells) of the current word

    def place_word() -> None:
        nonlocal line_start, line_end, line_cells
        if not word:
            return
        cells = sum(w for _, _, w in word)
        needed = cells + (1 if line_start is not None else 0)
        if line_start is not None and line_cells + needed <= width:
            line_end, line_cells = word[-1][1], line_cells + needed
        else:
            if line_start is not None:
                lines.append((line_start, line_end))
                line_start = None
            if cells <= width:
                line_start, line_end, line_cells = word[0][0], word[-1][1], cells
            else:
                chunk_start, chunk_cells = word[0][0], 0
                for start, end, w in word:
                    if chunk_cells + w > width and chunk_cells > 0:
                        lines.append((chunk_start, start))
                        chunk_start, chunk_cells = start, 0
                    chunk_cells += w
                    chunk_end = end
                line_start, line_end, line_cells = chunk_start, chunk_end, chunk_cells
        word.clear()

    for start, end in units:
        if text[start] == " " and end == start + 1:
            place_word()
            continue
        word.append((start, end, _cluster_width(text, start, end, mode)))
    place_word()
    if line_start is not None:
        lines.append((line_start, line_end))
    return lines


def _wrap_plain(text: str, width: int, mode: RenderMode) -> list[tuple[int, int]]:
    """:func:`wrap` for text of one-cell characters with no marks, word by word."""
    lines: list[tuple[int, int]] = []
    line_start = line_end = -1
    line_cells = 0
    position = 0
    for word in text.split(" "):
        start, end = position, position + len(word)
        position = end + 1
        if not word:
            continue
        cells = len(word)
        if mode is RenderMode.APP and _LAM in word:
            cells -= len(_LAM_ALEF_RE.findall(word))  # each lam-alef is one glyph
        if line_start >= 0 and line_cells + 1 + cells <= width:
            line_end, line_cells = end, line_cells + 1 + cells
            continue
        if line_start >= 0:
            lines.append((line_start, line_end))
            line_start = -1
        if cells <= width:
            line_start, line_end, line_cells = start, end, cells
            continue
        # A word wider than the line: cut it between clusters.
        for piece_start, piece_end in _cut_word(text, start, end, width, mode):
            if line_start >= 0:
                lines.append((line_start, line_end))
            line_start, line_end = piece_start, piece_end
            line_cells = sum(
                _cluster_width(text, s, e, mode) for s, e in clusters(text[piece_start:piece_end])
            )
    if line_start >= 0:
        lines.append((line_start, line_end))
    return lines


def _cut_word(text: str, start: int, end: int, width: int, mode: RenderMode) -> list[tuple[int, int]]:
    pieces = []
    chunk_start, chunk_cells = start, 0
    for unit_start, unit_end in clusters(text[start:end]):
        cells = _cluster_width(text, start + unit_start, start + unit_end, mode)
        if chunk_cells + cells > width and chunk_cells > 0:
            pieces.append((chunk_start, start + unit_start))
            chunk_start, chunk_cells = start + unit_start, 0
        chunk_cells += cells
    pieces.append((chunk_start, end))
    return pieces


def _levels(text: str, rtl: bool) -> tuple[int, ...]:
    return bidi.resolve_levels(text, 1 if rtl else 0)


def _visual_line(
    text: str,
    start: int,
    end: int,
    rtl: bool,
    mode: RenderMode,
    marked: frozenset[int],
    columns_needed: bool = False,
) -> Line:
    """One line of a paragraph as the terminal should receive it.

    ``columns_needed``: fill in where each character went (for a cursor).
    """
    segment = text[start:end]
    if mode is not RenderMode.APP or (not has_rtl(segment) and not rtl):
        # Logical order as it stands (also the fast path for LTR-only lines).
        columns = []
        cells = 0
        for char in segment:
            columns.append(cells)
            cells += cell_len(char)
        spans = _spans_from_flags([start + i in marked for i in range(len(segment))])
        return Line(segment, cells, rtl, spans, tuple(columns), start, end, (False,) * len(segment))

    base = 1 if rtl else 0
    levels = bidi.line_levels(text, _levels(text, rtl), start, end, base)
    if (
        not marked
        and not columns_needed
        and min(levels) == max(levels) == 1
        and not _ATTACHING_RE.search(segment)
    ):
        # The common case, a line of Arabic with no Latin, digits or marks: it is
        # shown reversed, brackets mirrored. Built from word-cached shaping.
        shaped = shape_words(segment)
        visual = shaped[::-1].translate(_MIRROR_TABLE)
        cells = len(visual) if not _WIDE_OR_ZERO_RE.search(visual) else cell_len(visual)
        return Line(visual, cells, rtl, (), (), start, end, ())
    shaped, sources = shape(segment)
    glyphs: list[list[str]] = [[] for _ in segment]
    for glyph, source in zip(shaped, sources, strict=True):
        glyphs[source].append(glyph)

    units = clusters(segment)
    unit_levels = [levels[s] for s, _ in units]
    pieces: list[str] = []
    flags: list[bool] = []
    columns = [0] * len(segment)
    reversed_chars = [False] * len(segment)
    cells = 0
    for unit_index in bidi.reorder(unit_levels):
        unit_start, unit_end = units[unit_index]
        odd = unit_levels[unit_index] % 2 == 1
        is_marked = any(start + k in marked for k in range(unit_start, unit_end))
        for k in range(unit_start, unit_end):
            columns[k] = cells
            reversed_chars[k] = odd
            for glyph in glyphs[k]:
                if odd:
                    glyph = bidi.mirror(glyph)
                pieces.append(glyph)
                flags.append(is_marked)
                cells += cell_len(glyph)
    visual = "".join(pieces)
    return Line(
        visual,
        cells,
        rtl,
        _spans_from_flags(flags),
        tuple(columns),
        start,
        end,
        tuple(reversed_chars),
    )


def _spans_from_flags(flags: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    spans = []
    index = 0
    while index < len(flags):
        if flags[index]:
            end = index
            while end < len(flags) and flags[end]:
                end += 1
            spans.append((index, end))
            index = end
        else:
            index += 1
    return tuple(spans)


def _marked(highlights: Iterable[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for start, end in highlights for i in range(start, end))


@lru_cache(maxsize=8192)
def _layout_cached(
    text: str,
    width: int,
    mode: RenderMode,
    rtl: bool,
    highlights: tuple[tuple[int, int], ...],
) -> tuple[Line, ...]:
    marked = _marked(highlights)
    return tuple(_visual_line(text, start, end, rtl, mode, marked) for start, end in wrap(text, width, mode))


def layout_paragraph(
    text: str,
    width: int,
    *,
    mode: RenderMode = RenderMode.APP,
    rtl: bool | None = None,
    highlights: Sequence[tuple[int, int]] = (),
) -> tuple[Line, ...]:
    """The screen lines of one paragraph.

    ``highlights`` are (start, end) ranges of the *logical* text (as stored),
    e.g. search matches; they come back as ranges of each line's text.
    Characters that cannot be shown (controls) are dropped first, and
    highlight ranges are expected to refer to the guarded text.
    """
    text, highlights = _guarded(text, highlights)
    if rtl is None:
        rtl = paragraph_is_rtl(text, default_rtl=has_rtl(text))
    rtl_for_layout = False if mode is RenderMode.PLAIN else rtl
    return _layout_cached(text, max(1, width), mode, rtl_for_layout, tuple(highlights))


def layout_line(
    text: str,
    width: int,
    *,
    mode: RenderMode = RenderMode.APP,
    rtl: bool | None = None,
    highlights: Sequence[tuple[int, int]] = (),
    columns: bool = False,
) -> Line:
    """One line, cut with an ellipsis at the end of the reading direction.

    A cut falls between words (a word cut short can read as another word:
    «بينما» → «بين…»), unless the first word alone is wider than the line.

    ``columns``: record where each character went, for drawing a cursor.
    """
    text, highlights = _guarded(text, highlights)
    width = max(1, width)
    if rtl is None:
        rtl = paragraph_is_rtl(text, default_rtl=has_rtl(text))
    if mode is RenderMode.PLAIN:
        rtl = False
    if _fits(text, width, mode):
        return _layout_line_cached(text, mode, rtl, tuple(highlights), columns)
    kept = _cut_at_word(text, width - 1, mode)
    text = text[:kept].rstrip() + ELLIPSIS
    highlights = [(s, min(e, kept)) for s, e in highlights if s < kept]
    return _layout_line_cached(text, mode, rtl, tuple(highlights), columns)


def _fits(text: str, width: int, mode: RenderMode) -> bool:
    if len(text) <= width and not _WIDE_OR_ZERO_RE.search(text):
        return True  # one cell per character at most (lam-alef only makes it shorter)
    return sum(_cluster_width(text, s, e, mode) for s, e in clusters(text)) <= width


@lru_cache(maxsize=8192)
def _cut_at_word(text: str, room: int, mode: RenderMode) -> int:
    """How many characters of ``text`` to keep in ``room`` cells, ending at a word's end."""
    kept, cells = 0, 0
    for start, end in clusters(text):
        cells += _cluster_width(text, start, end, mode)
        if cells > room:
            break
        kept = end
    if kept < len(text) and not text[kept].isspace():
        space = text.rfind(" ", 0, kept + 1)
        if space > 0 and text[:space].strip():
            kept = space
    return kept


@lru_cache(maxsize=8192)
def _layout_line_cached(
    text: str, mode: RenderMode, rtl: bool, highlights: tuple[tuple[int, int], ...], columns: bool
) -> Line:
    return _visual_line(text, 0, len(text), rtl, mode, _marked(highlights), columns)


def render_paragraph(
    text: str,
    width: int,
    *,
    mode: RenderMode = RenderMode.APP,
    rtl: bool | None = None,
    highlights: Sequence[tuple[int, int]] = (),
    style: Style | str = "",
    highlight_style: Style | str = HIGHLIGHT_STYLE,
) -> list[Text]:
    """Rich Text lines of a paragraph, aligned in ``width`` cells."""
    align = mode is RenderMode.APP
    return [
        line.render(width, style=style, highlight_style=highlight_style, align=align)
        for line in layout_paragraph(text, width, mode=mode, rtl=rtl, highlights=highlights)
    ]


def visual(text: str, *, rtl: bool | None = None, mode: RenderMode = RenderMode.APP) -> str:
    """One line of text in display order, unwrapped (for short labels)."""
    lines = layout_paragraph(text, 1_000_000, mode=mode, rtl=rtl)
    return lines[0].text if lines else ""


def cursor_column(line: Line, cursor: int) -> int:
    """Screen column (from the line's left edge) of an insertion cursor.

    The cursor stands after the character before it *in reading order*: on
    its left when that character is shown right-to-left (so -1 is possible:
    one cell left of the text), on its right otherwise.
    """
    length = len(line.columns)
    if length == 0:
        return -1 if line.rtl else 0
    if cursor <= 0:
        # Before everything: at the paragraph's start edge.
        return line.cells if line.rtl else 0
    index = min(cursor, length) - 1
    column = line.columns[index]
    if line.reversed_chars[index]:
        return column - 1
    following = [c for c in line.columns[index + 1 :] if c > column]
    return min(following) if following else line.cells
