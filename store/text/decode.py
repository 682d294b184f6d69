"""Bytes of an article file to text, or a clear reason why not.

Arabic news arrives as UTF-8 (with or without BOM), UTF-16 with BOM, or in
the legacy Windows-1256 and ISO-8859-6 code pages. The choice among the
legacy pages is made by which decoding reads as Arabic text; bytes that read
as none of them are refused rather than guessed into mojibake.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from store.errors import InputError

#: Default largest article file accepted, in bytes (a long article is ~100 KB).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

# Magic numbers of common binary formats people drop into news folders.
_BINARY_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x1f\x8b": "a gzip archive",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "an executable program",
    b"MZ": "a Windows executable",
    b"SQLite format 3\x00": "a SQLite database",
    b"RIFF": "a RIFF media file",
    b"ID3": "an MP3 file",
    b"OggS": "an Ogg media file",
    b"\x00\x00\x00\x18ftyp": "an MP4 video",
    b"\x00\x00\x00\x1cftyp": "an MP4 video",
    b"\x00\x00\x00 ftyp": "an MP4 video",
}

_ARABIC_LETTERS = re.compile("[\u0621-\u064a]")
# Windows-1256 maps a handful of bytes to Latin letters with accents that
# French text uses; ISO-8859-6 leaves most of 0x80-0x9f and many others
# undefined. Either way, real Arabic text decodes to mostly Arabic letters.
_LEGACY_CODECS = ("cp1256", "iso8859_6")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def _binary_reason(data: bytes) -> str | None:
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    return None


def decode_bytes(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode an article file's bytes.

    Raises :class:`InputError` with a one-line reason for empty, huge, binary
    or undecodable input.
    """
    if len(data) > max_bytes:
        raise InputError(
            "file too large ({size:,} bytes; the limit is {limit:,}, set READER_MAX_BYTES to change it)",
            size=len(data),
            limit=max_bytes,
        )
    reason = _binary_reason(data)
    if reason:
        raise InputError(reason)

    utf8: bytes | None = data
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = _strict(data[3:], "utf-8"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        text, encoding, utf8 = _strict(data[2:], codec), codec, None
    else:
        if b"\x00" in data:
            raise InputError("binary file (contains NUL bytes), not text")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            _refuse_damaged_utf8(data, error)
            text, encoding = _legacy(data)
            utf8 = None

    if "\x00" in text:
        raise InputError("binary file (contains NUL characters), not text")
    if not text.strip():
        if not text:
            raise InputError("empty file (no text)")
        raise InputError("no text (only whitespace)")
    if _looks_binary(text, utf8):
        raise InputError("binary file (mostly control characters), not text")
    return Decoded(text, encoding)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as error:
        raise InputError(
            f"not valid {codec.upper()} although it starts with a {codec.upper()} byte-order mark "
            f"(bad byte at offset {error.start})"
        ) from None


def _refuse_damaged_utf8(data: bytes, error: UnicodeDecodeError) -> None:
    """UTF-8 with a few bad bytes is damaged UTF-8, not a legacy code page.

    Read as Windows-1256 it would "decode" into mojibake («ط¨ظˆطھ»), so it is
    refused with the offset of the first bad byte instead.
    """
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = sum(1 for c in replaced if c > "\x7f" and c != "\ufffd")
    if multibyte and bad <= max(4, multibyte // 20):
        plural = "s" if bad != 1 else ""
        raise InputError(
            f"not valid UTF-8: {bad} damaged byte sequence{plural}, the first at byte {error.start}"
        )


_ARABIC_PUNCTUATION = frozenset("،؛؟ـ«»“”")


def _is_arabic_word(word: str) -> bool:
    """Arabic letters (and harakat, punctuation, ASCII symbols), nothing else."""
    if not _ARABIC_LETTERS.search(word):
        return False
    for char in word:
        if char < "\x80" and not char.isalpha():
            continue
        if _ARABIC_LETTERS.match(char) or "\u064b" <= char <= "\u0652" or char in _ARABIC_PUNCTUATION:
            continue
        return False
    return True


def _plausibility(text: str) -> float:
    """Share of the words with letters that are written in Arabic letters only.

    The right code page gives whole Arabic words; a wrong one mixes in Latin
    letters with accents and symbols («بèتêو», «ط¨ظˆ»).
    """
    words = [word for word in text.split() if any(c.isalpha() for c in word)]
    if not words:
        return 0.0
    return sum(1 for word in words if _is_arabic_word(word)) / len(words)


def _legacy(data: bytes) -> tuple[str, str]:
    best: tuple[float, str, str] | None = None
    for codec in _LEGACY_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is None or best[0] < 0.6:
        raise InputError("unknown text encoding (not UTF-8, UTF-16 with BOM, Windows-1256 or ISO-8859-6)")
    return best[1], best[2]


_BINARY_CONTROLS_RE = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


#: Every byte but those of the characters above in UTF-8 (0xC2 leads C1 controls).
_NOT_CONTROL_BYTES = bytes(
    b for b in range(256) if not (b <= 0x08 or 0x0E <= b <= 0x1A or 0x1C <= b <= 0x1F or b in (0x7F, 0xC2))
)


def _looks_binary(text: str, utf8: bytes | None = None) -> bool:
    """True when control characters dominate: bytes that merely decode.

    ``utf8``, the bytes ``text`` was decoded from as UTF-8, settles the usual
    case faster than the search: in UTF-8 each of those characters is one of
    a few bytes (or 0xC2 and one more), and if the first 16 KB, which hold
    the sample, have no more of those bytes than the limit, the sample has no
    more such characters either.
    """
    sample = text[:4096]
    limit = max(8, len(sample) // 10)
    if utf8 is not None and len(utf8[:16384].translate(None, _NOT_CONTROL_BYTES)) <= limit:
        return False
    return len(_BINARY_CONTROLS_RE.findall(sample)) > limit
