"""Raw extracted news text to an article: title, dateline, site, credits, body.

Text extracted from news pages is messy in recurring ways: the site's name
and tagline above the headline, the headline printed twice, a dateline glued
to the first paragraph, "read more" link blocks, photo credits, captions that
repeat body sentences, an outlet's sign-off. The parser recognises these
patterns by shape, never by file, and keeps every other paragraph, in order,
with only its whitespace normalised. What it leaves out of the body is listed
in ``removed`` so nothing disappears silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from store.analysis.arabic import count_words
from store.text.sanitize import clean_text

_ARABIC_LETTER_RE = re.compile("[\u0621-\u064a]")
_LATIN_LETTER_RE = re.compile("[A-Za-z]")

#: Bump when parsing changes: ``reader reparse`` re-parses older articles.
PARSER_VERSION = 2

#: Titles made from a lead sentence are cut to about this many characters.
LEAD_TITLE_MAX = 90

# News agencies as they appear in datelines and credit lines, and the name
# the reader shows for them.
AGENCIES = {
    "أ ب": "AP",
    "ا ب": "AP",
    "أب": "AP",
    "AP": "AP",
    "أ ف ب": "AFP",
    "ا ف ب": "AFP",
    "AFP": "AFP",
    "رويترز": "Reuters",
    "Reuters": "Reuters",
    "REUTERS": "Reuters",
    "د ب أ": "dpa",
    "dpa": "dpa",
    "DPA": "dpa",
    "الأناضول": "Anadolu",
    "الاناضول": "Anadolu",
    "وام": "WAM",
    "واس": "SPA",
    "قنا": "QNA",
    "كونا": "KUNA",
    "سانا": "SANA",
    "شينخوا": "Xinhua",
    "Xinhua": "Xinhua",
    "يونهاب": "Yonhap",
}

_SENTENCE_END = ".!?؟…"
_CLOSING_QUOTES = "”\"»’'"
_DASHES = "-–—"
_BULLETS = ("*", "•", "-", "–", "—", "·", "▪", "►", "●", "◦")

_READ_MORE_RE = re.compile(
    r"^(?:قراءة المزيد|إقراء المزيد|اقرأ المزيد|إقرأ المزيد|اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|إقرأ أيضاً|"
    r"اقرأ ايضا|اقرأ ايضاً|للمزيد|ذات صلة|مواضيع ذات صلة|أخبار ذات صلة|"
    r"read more|read also|also read|related|related articles|see also|more on this)"
    r"\s*[:：]?",
    re.IGNORECASE,
)
# English cross-links inside Arabic text: «READ  Govt-19: …», «ALSO READ: …».
_CROSS_LINK_RE = re.compile(r"^(?:ALSO READ|READ MORE|READ|WATCH|LISTEN|SEE ALSO|MORE)(?:\s|:)")
# «Evgeniy Maloletka / AP», «Photo: Jane Doe/Reuters», «(AP Photo/Efrem Lukatsky)».
_PHOTO_CREDIT_RE = re.compile(
    r"^\(?(?:(?:photo|photograph|image|credit|picture|صورة|الصورة|تصوير)\s*[:：]\s*)?"
    r"[^/.!?؟:]{2,80}?\s*/\s*[^/.!?؟]{2,60}\)?$",
    re.IGNORECASE,
)
_AGENCY_PHOTO_RE = re.compile(r"^\(?(?:AP|AFP|Reuters|Getty Images|EPA)(?: Photo)?\b.*\)?$")
_COPYRIGHT_RE = re.compile(r"^(?:©|\(c\)|copyright\b|جميع الحقوق محفوظة|حقوق النشر)", re.IGNORECASE)

# Datelines at the start of the first paragraph.
# «(كراماتورسك) …»
_PAREN_DATELINE_RE = re.compile(r"^\(\s*([^()\d]{2,40}?)\s*\)\s*[-–—:]?\s*")
# «كييف، أوكرانيا (أ ب)- …», «موسكو، 12 مارس (رويترز) — …»
_PLACE_AGENCY_RE = re.compile(r"^([^()\n.!?؟]{2,60}?)\s*\(\s*([^()]{1,30}?)\s*\)\s*[-–—:]+\s*")
# «القاهرة - …»
_PLACE_DASH_RE = re.compile(r"^([^\s,،.()\-–—:]+(?:[ ،,]+[^\s,،.()\-–—:]+){0,2})\s+[-–—]+\s+")


@dataclass
class ParsedArticle:
    """The fields of an article made from raw text."""

    title: str
    paragraphs: list[str]
    dateline: str | None = None
    site: str | None = None
    credits: list[str] = field(default_factory=list)
    title_from_lead: bool = False
    #: Paragraphs left out of the body (boilerplate, repeats), for transparency.
    removed: list[str] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return sum(count_words(p) for p in self.paragraphs)


_IRREGULAR_SPACE_RE = re.compile(r"\s\s|[^\S ]|^\s|\s$")


def _words(text: str) -> int:
    """Words in whitespace-normalised text."""
    return text.count(" ") + 1 if text else 0


def _squash(text: str) -> str:
    """Whitespace normalised: single spaces, none at the ends."""
    return " ".join(text.split()) if _IRREGULAR_SPACE_RE.search(text) else text


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING_QUOTES + ")] ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END + ":"


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of extracted text, whitespace normalised.

    Blank lines separate blocks. Inside a block, each line is a paragraph
    (the seeds and most extractors put one paragraph per line) unless the
    block looks hard-wrapped: short lines of similar length that do not end
    sentences, which are joined back together.
    """
    paragraphs: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        if _is_hard_wrapped(block):
            paragraphs.append(" ".join(block))
        else:
            paragraphs.extend(block)
        block.clear()

    for line in text.split("\n"):
        line = " ".join(line.split())  # any run of blanks -> one space (fastest in CPython)
        if line:
            block.append(line)
        else:
            flush()
    flush()
    return paragraphs


def _is_hard_wrapped(lines: list[str]) -> bool:
    if len(lines) < 2:
        return False
    body = lines[:-1]
    if max(len(line) for line in lines) > 100:
        return False
    return all(len(line) >= 30 and not _ends_sentence(line) for line in body)


def _is_title_like(text: str) -> bool:
    if _PAREN_DATELINE_RE.match(text) or _PLACE_AGENCY_RE.match(text):
        return False
    if _is_credit(text) or _is_boilerplate(text):
        return False
    words = _words(text)
    return 2 <= words <= 25 and len(text) <= 200 and not _ends_sentence(text.rstrip("!?؟"))


def _mostly_arabic(text: str) -> bool:
    """More Arabic letters than Latin ones (a Latin line above Arabic text is a
    site's name; above English text it is the headline)."""
    arabic = len(_ARABIC_LETTER_RE.findall(text))
    return arabic > len(_LATIN_LETTER_RE.findall(text))


def _is_tagline(text: str) -> bool:
    """One short sentence, as sites print under their name."""
    if _is_credit(text) or _PAREN_DATELINE_RE.match(text) or _PLACE_AGENCY_RE.match(text):
        return False
    return _words(text) <= 15 and len(text) <= 120 and _ends_sentence(text)


def _is_site_like(text: str, *, strict: bool) -> bool:
    if _words(text) > 4 or len(text) > 40 or _ends_sentence(text):
        return False
    if not strict:
        return True
    # Without a repeated headline to anchor on, only a Latin name or a domain
    # is taken for a site: a short Arabic line is more likely a headline.
    return bool(re.search(r"[A-Za-z]", text)) and not re.search("[\u0600-\u06ff]", text)


def _agency(text: str) -> str | None:
    if len(text) > 40:
        return None
    key = _squash(text.strip(" .:-–—()[]"))
    return AGENCIES.get(key)


def _is_credit(text: str) -> bool:
    if _words(text) > 8:
        return False  # credits are short; most paragraphs are not
    if _agency(text):
        return True
    if _words(text) <= 8 and "/" in text and _PHOTO_CREDIT_RE.match(text):
        return True
    return _words(text) <= 8 and bool(_AGENCY_PHOTO_RE.match(text))


def _credit_name(text: str) -> str:
    return _agency(text) or text.strip("() ")


def _is_boilerplate(text: str) -> bool:
    if _CROSS_LINK_RE.match(text):
        return True
    if _COPYRIGHT_RE.match(text) and _words(text) <= 12:
        return True
    return bool(_READ_MORE_RE.match(text)) and (_words(text) <= 3 or text.rstrip().endswith((":", "：")))


def _is_bullet(text: str) -> bool:
    return text.startswith(_BULLETS)


def take_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """(dateline, agency, rest of paragraph) for a paragraph that opens with one."""
    match = _PAREN_DATELINE_RE.match(paragraph)
    if match and _words(match.group(1)) <= 4 and len(paragraph) > match.end() + 10:
        inside = match.group(1)
        if _agency(inside):
            return None, _agency(inside), paragraph[match.end() :]
        return inside.strip(" ،,"), None, paragraph[match.end() :]

    match = _PLACE_AGENCY_RE.match(paragraph)
    if (
        match
        and _words(match.group(1)) <= 6
        and _words(match.group(2)) <= 4
        and len(paragraph) > match.end() + 10
    ):
        agency = _agency(match.group(2)) or match.group(2).strip()
        return match.group(1).strip(" ،,"), agency, paragraph[match.end() :]

    match = _PLACE_DASH_RE.match(paragraph)
    if match and _words(paragraph[match.end() :]) >= 5:
        return match.group(1).strip(" ،,"), None, paragraph[match.end() :]
    return None, None, paragraph


def lead_title(paragraph: str, limit: int = LEAD_TITLE_MAX) -> str:
    """A title made from the lead sentence, cut on a word boundary."""
    sentence = _first_sentence(paragraph)
    if len(sentence) <= limit:
        return sentence.rstrip(" .،,:;")
    cut = sentence[: limit + 1]
    # Prefer a clause boundary in the second half of the allowance.
    clause = max(cut.rfind("،"), cut.rfind(","), cut.rfind("؛"), cut.rfind(";"))
    if clause >= limit // 2:
        head = cut[:clause]
    else:
        space = cut.rfind(" ")
        head = cut[:space] if space > 0 else sentence[:limit]
    head = _drop_open_quote(head)
    return head.rstrip(" .،,:;-–—") + "…"


def _drop_open_quote(head: str) -> str:
    """Cut before a quotation the cut left open: «قال “في…» reads badly."""
    for opener, closer in (("“", "”"), ("«", "»"), ("(", ")")):
        position = head.rfind(opener)
        if position > 0 and head.find(closer, position) < 0:
            head = head[:position]
    return head


def _first_sentence(paragraph: str) -> str:
    """Up to the first sentence end that is not inside quotation marks."""
    depth = 0
    for index, char in enumerate(paragraph):
        if char in "“«(":
            depth += 1
        elif char in "”»)" and depth:
            depth -= 1
        elif char in _SENTENCE_END and depth == 0:
            after = paragraph[index + 1 : index + 2]
            if not after or after.isspace():
                return paragraph[: index + 1]
    return paragraph


def parse_article(text: str) -> ParsedArticle:
    """Parse decoded article text. Never raises for any string."""
    paragraphs = split_paragraphs(clean_text(text))
    removed: list[str] = []
    credits: list[str] = []
    site: str | None = None
    title: str | None = None

    # 1. Headline, and whatever stands above it (site name, tagline).
    start = 0
    for index in range(min(6, len(paragraphs) - 1)):
        candidate = paragraphs[index]
        if _is_title_like(candidate) and candidate in paragraphs[index + 1 : index + 3]:
            preamble = paragraphs[:index]
            if preamble and _is_site_like(preamble[0], strict=False):
                site = preamble[0]
                preamble = preamble[1:]
            removed.extend(preamble)
            title, start = candidate, index + 1
            break
    if (
        title is None
        and len(paragraphs) > 2
        and _is_site_like(paragraphs[0], strict=True)
        and _mostly_arabic(" ".join(paragraphs[1:4]))
    ):
        site, start = paragraphs[0], 1
        # A slogan under the name, then the headline: «Site», «Tagline.», «Headline».
        # Without a headline after it, a short sentence may be the lead: kept.
        if len(paragraphs) > 3 and _is_tagline(paragraphs[1]) and _is_title_like(paragraphs[2]):
            removed.append(paragraphs[1])
            start = 2
    if title is None and len(paragraphs) > start + 1 and _is_title_like(paragraphs[start]):
        title, start = paragraphs[start], start + 1

    body_source = paragraphs[start:]

    # 2. Dateline at the head of the first body paragraph.
    dateline = None
    if body_source:
        dateline, agency, rest = take_dateline(body_source[0])
        if agency:
            credits.append(agency)
        if dateline or agency:
            body_source = [rest, *body_source[1:]]

    # 3. Body: drop boilerplate and repeats, move credits aside.
    body: list[str] = []
    seen = {title} if title else set()
    in_read_more = False
    last = len(body_source) - 1
    for index, paragraph in enumerate(body_source):
        if in_read_more and _is_bullet(paragraph):
            removed.append(paragraph)
            continue
        in_read_more = False
        if _is_boilerplate(paragraph):
            removed.append(paragraph)
            in_read_more = bool(_READ_MORE_RE.match(paragraph))
            continue
        if _is_credit(paragraph) or (index == last and index > 0 and _is_sign_off(paragraph)):
            name = _credit_name(paragraph)
            if name not in credits:
                credits.append(name)
            continue
        if paragraph in seen:
            removed.append(paragraph)
            continue
        seen.add(paragraph)
        body.append(paragraph)

    title_from_lead = False
    if title is None:
        title = lead_title(body[0]) if body else ""
        title_from_lead = True
    return ParsedArticle(
        title=title,
        paragraphs=body,
        dateline=dateline or None,
        site=site,
        credits=credits,
        title_from_lead=title_from_lead,
        removed=removed,
    )


def _is_sign_off(text: str) -> bool:
    """An outlet's name closing the article: «بلومبرج نيوز», «رويترز»."""
    return _words(text) <= 3 and not _ends_sentence(text) and not any(c.isdigit() for c in text)
