"""Make untrusted article text safe to show and to index.

Article text can carry terminal escape sequences (``ESC ]`` to retitle the
window, ``ESC [2J`` to clear the screen, bells) and explicit bidi controls
that reorder what the screen shows (a «Trojan Source» style spoof). Both are
removed from the text that is stored for display and indexed; the raw bytes
stay in the store untouched.
"""

from __future__ import annotations

import re

# Whole escape sequences go, not just the ESC byte, or their payload would
# show up as garbage: CSI (ESC [ … final), OSC/DCS/APC/PM/SOS (… BEL or ST),
# and two-byte escapes. C1 forms (U+009B CSI, U+009D OSC…) likewise.
_ESCAPE_SEQUENCE_RE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                 # CSI
    | (?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])        # OSC DCS PM APC SOS
      (?:[^\x07\x1b\x9c]*)(?:\x07|\x1b\\|\x9c)?      #   … up to BEL or ST
    | \x1b[ -/]*[0-~]                                 # other escapes
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Explicit bidi formatting (embeddings, overrides, isolates) and the implicit
# marks: the layout decides direction itself. Also BOM/ZWNBSP, which has no
# business inside text, and the Unicode tag characters.
_BIDI_CONTROL_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff\U000e0000-\U000e007f]")

_NEEDS_CLEANING_RE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff"
    "\U000e0000-\U000e007f]"
)

#: Characters the sanitiser removes, for tests and for the layout's own guard.
REMOVED_CATEGORIES = "C0/C1 controls, escape sequences, bidi controls"


def clean_text(text: str) -> str:
    """The text without escape sequences, control or bidi-control characters.

    Newlines and tabs stay (tabs become spaces), CR and form feeds become
    newlines, Unicode line/paragraph separators become newlines.
    """
    if not _NEEDS_CLEANING_RE.search(text):
        return text  # the usual case: nothing to do
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\f", "\n")
    text = text.replace("\v", "\n").replace("\t", " ")
    text = _ESCAPE_SEQUENCE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return _BIDI_CONTROL_RE.sub("", text)


def clean_markup(html: str) -> str:
    """:func:`clean_text` for a whole HTML page, where tabs and carriage returns
    are only whitespace: the page as it is when it holds nothing else to
    remove. That is known from ``str.isprintable`` line by line (every
    character the sanitiser removes is a control, a format character or a line
    or paragraph separator, none of them printable), several times quicker than
    the sanitiser's own search on a page of a few hundred KB."""
    if all(line.isprintable() for line in html.replace("\t", " ").replace("\r", "").split("\n")):
        return html
    return clean_text(html)


def visible_controls(text: str) -> str:
    """Control and bidi characters made visible (\\x1b, \\u202e) instead of removed.

    For file names and other strings that must stay recognisable but must not
    act on a terminal.
    """
    if not _NEEDS_CLEANING_RE.search(text) and "\n" not in text:
        return text
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if _CONTROL_RE.match(c) or _BIDI_CONTROL_RE.match(c) or c in "\t\n"
        else c
        for c in text
    )


def clean_line(text: str) -> str:
    """Like :func:`clean_text` for a one-line field: newlines become spaces."""
    return " ".join(clean_text(text).split())
