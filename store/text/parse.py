"""Raw extracted news text to an article: title, dateline, site, credits, body.

Text extracted from news pages is messy in recurring ways: the site's name
and tagline above the headline, the headline printed twice, a dateline glued
to the first paragraph, "read more" link blocks, photo credits, captions that
repeat body sentences, an outlet's sign-off. The parser recognises these
patterns by shape, never by file, and keeps every other paragraph, in order,
with only its whitespace normalised. What it leaves out of the body is listed
in ``removed`` so nothing disappears silently.

Two entry points share one body parser. :func:`parse_article` takes a whole
text and first finds the headline (and a site name or tagline above it).
:func:`parse_page` takes an article whose title is already known (from a web
page's metadata) and whose body arrives as paragraphs; both then take the
dateline off the body's head and drop the same boilerplate, credits and
repeats, so a page and a pasted text of the same article parse alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from store.analysis.arabic import count_words
from store.text.sanitize import clean_line, clean_text

_ARABIC_LETTER_RE = re.compile("[\u0621-\u064a]")
_LATIN_LETTER_RE = re.compile("[A-Za-z]")

#: Bump when parsing changes: ``reader reparse`` re-parses older articles.
#: 3: datelines «القاهرة - رويترز:», «غزة- », «لندن: «صحيفة …»» and on a line of their
#: own; Latin places in capitals only; more agencies; «اقرأ أيضا: …» link lines and
#: headline lists under more read-more headings; «المصدر: …» credit lines.
PARSER_VERSION = 3

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
    "أسوشيتد برس": "AP",
    "فرانس برس": "AFP",
    "أ ش أ": "MENA",
    "ا ش ا": "MENA",
    "بترا": "Petra",
    "وفا": "WAFA",
    "واع": "INA",
    "واج": "APS",
    "و م ع": "MAP",
    "ومع": "MAP",
    "إرنا": "IRNA",
    "ارنا": "IRNA",
    "سبوتنيك": "Sputnik",
    "تاس": "TASS",
    "TASS": "TASS",
    "CNN": "CNN",
    "سي إن إن": "CNN",
    "BBC": "BBC",
}

_SENTENCE_END = ".!?؟…"
_CLOSING_QUOTES = "”\"»’'"
_DASHES = "-–—"
_BULLETS = ("*", "•", "-", "–", "—", "·", "▪", "►", "●", "◦")

_READ_MORE_RE = re.compile(
    r"^(?:قراءة المزيد|إقراء المزيد|اقرأ المزيد|إقرأ المزيد|اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|إقرأ أيضاً|"
    r"اقرأ ايضا|اقرأ ايضاً|للمزيد|ذات صلة|مواضيع ذات صلة|أخبار ذات صلة|"
    r"شاهد أيضا|شاهد أيضاً|طالع أيضا|طالع أيضاً|مقالات ذات صلة|أخبار متعلقة|مواضيع مقترحة|"
    r"قد يهمك أيضا|قد يهمك أيضاً|قد يهمك|اخترنا لك|اخترنا لكم|قصص مقترحة|قصص ذات صلة|موضوعات ذات صلة|"
    r"مقالات مقترحة|الأكثر قراءة|الأكثر مشاهدة|"
    r"read more|read also|also read|related|related articles|related coverage|see also|more on this)"
    r"\s*[:：]?",
    re.IGNORECASE,
)
# A whole paragraph that is a link to another story: «اقرأ أيضا: عنوان خبر آخر».
_READ_MORE_LINK_RE = re.compile(
    r"^(?:(?:اقرأ|إقرأ|اقرا|إقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً|المزيد)|قراءة المزيد|"
    r"(?:شاهد|طالع)\s+(?:أيضا|أيضاً|ايضا|ايضاً)|read (?:more|also)|also read|see also)\s*[:：\-–—]",
    re.IGNORECASE,
)
# «المصدر: وكالات», «Source: Reuters»: the outlet the article credits.
_SOURCE_LINE_RE = re.compile(r"^\(?(?:المصدر|المصادر|Source|Sources)\s*[:：]\s*([^.!?؟:]{2,60}?)\s*\)?$")
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
# «القاهرة - …», «غزة- …»
_PLACE_DASH_RE = re.compile(r"^([^\s,،.()\-–—:]+(?:[ ،,]+[^\s,،.()\-–—:]+){0,2})\s*[-–—]+\s+")
# «لندن: «الشرق الأوسط»» (a newspaper credits itself in guillemets).
_PLACE_COLON_QUOTED_RE = re.compile(
    r"^([^\s,،.()\-–—:«»]+(?:[ ،,]+[^\s,،.()\-–—:«»]+){0,2})\s*[:：]\s*«([^«»\n]{2,40})»\s*(?:[-–—:：]\s*)?"
)
_OUTLET_WORDS = ("وكالة", "صحيفة", "جريدة", "موقع", "مجلة", "قناة", "مراسل", "مكتب")
# What may follow an agency's name after a place and a dash: «القاهرة - رويترز: …».
_AGENCY_END_RE = re.compile(r"\s*(?:[:：]|[-–—]+)\s*|\s+")


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


def _is_squashed(line: str) -> bool:
    """Whether a printable line's only blanks are single spaces between words already.

    Every whitespace character but the space is unprintable, so a printable
    line with no double space and none at its ends needs nothing done: ten
    times quicker to find out than to split it into words and join them.
    """
    return "  " not in line and line[:1] != " " and line[-1:] != " "


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSING_QUOTES + ")] ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END + ":"


def clean_paragraphs(text: str) -> list[str]:
    """:func:`split_paragraphs` of :func:`clean_text`: the text's lines are
    looked at once, and a text whose every line is printable (there is then
    nothing to clean: everything the sanitiser removes is unprintable) is not
    searched a second time."""
    lines = text.split("\n")
    printable = list(map(str.isprintable, lines))
    if all(printable):
        return _paragraphs(lines, printable)
    return split_paragraphs(clean_text(text))


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of extracted text, whitespace normalised.

    Blank lines separate blocks. Inside a block, each line is a paragraph
    (the seeds and most extractors put one paragraph per line) unless the
    block looks hard-wrapped: short lines of similar length that do not end
    sentences, which are joined back together.
    """
    lines = text.split("\n")
    return _paragraphs(lines, list(map(str.isprintable, lines)))


def _paragraphs(lines: list[str], printable: list[bool]) -> list[str]:
    """:func:`split_paragraphs` of these lines, knowing which are printable."""
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

    for line, plain in zip(lines, printable, strict=True):
        if not (plain and _is_squashed(line)):
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
    # The length first: most paragraphs are too long, and it costs least to find out.
    if not (2 <= _words(text) <= 25 and len(text) <= 200):
        return False
    if _PAREN_DATELINE_RE.match(text) or _PLACE_AGENCY_RE.match(text):
        return False
    if _is_credit(text) or _is_boilerplate(text):
        return False
    return not _ends_sentence(text.rstrip("!?؟"))


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
    found = AGENCIES.get(key)
    if found is None and "." in key:  # «أ.ف.ب», «د.ب.أ»
        found = AGENCIES.get(_squash(key.replace(".", " ")))
    return found


# Agency names longest first, so «أ ف ب» is tried before «أب».
_AGENCY_NAMES = sorted(AGENCIES, key=len, reverse=True)


def _leading_agency(text: str, extra: Sequence[str] = ()) -> tuple[str, int] | None:
    """(agency, where the text after it starts) for text that opens with a known
    agency's name (or one of ``extra``, e.g. the site's own) and a separator."""
    for name in (*extra, *_AGENCY_NAMES):
        if name and text.startswith(name):
            end = _AGENCY_END_RE.match(text, len(name))
            if end:
                return AGENCIES.get(name, name), end.end()
    return None


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


#: Where any of the patterns below can match: one search of a paragraph, not four.
_BOILERPLATE_START_RE = re.compile(
    "|".join(
        f"(?i:{pattern.pattern})" if pattern.flags & re.IGNORECASE else f"(?:{pattern.pattern})"
        for pattern in (_CROSS_LINK_RE, _COPYRIGHT_RE, _READ_MORE_LINK_RE, _READ_MORE_RE)
    )
)


def _is_boilerplate(text: str) -> bool:
    if not _BOILERPLATE_START_RE.match(text):
        return False
    if _CROSS_LINK_RE.match(text):
        return True
    if _COPYRIGHT_RE.match(text) and _words(text) <= 12:
        return True
    if _READ_MORE_LINK_RE.match(text) and _words(text) <= 30:
        return True
    return _is_read_more_heading(text)


def _is_read_more_heading(text: str) -> bool:
    """«اقرأ أيضا:», «ذات صلة»: a heading over a list of links to other stories."""
    return bool(_READ_MORE_RE.match(text)) and (_words(text) <= 3 or text.rstrip().endswith((":", "：")))


#: Most link headlines (lines that are not bullets) dropped under one read-more heading.
_READ_MORE_HEADLINES = 8


def _headline_run(paragraphs: list[str], start: int) -> int:
    """How many link headlines (not bullets) follow at ``start``: 0 unless two or more."""
    run = 0
    while start + run < len(paragraphs) and run < _READ_MORE_HEADLINES:
        candidate = paragraphs[start + run]
        if _is_bullet(candidate) or not _is_link_headline(candidate):
            break
        run += 1
    return run if run >= 2 else 0


def _is_link_headline(text: str) -> bool:
    """A short line that ends no sentence, as the stories listed under a read-more
    heading are (an article's own paragraphs are longer or end with a stop)."""
    return _words(text) <= 15 and not _ends_sentence(text) and not _is_credit(text)


def _is_bullet(text: str) -> bool:
    return text.startswith(_BULLETS)


def _place_like(text: str) -> bool:
    """A Latin place name in a dateline is in capitals («KYIV, Ukraine», «LONDON»):
    «Dee Dee Myers — a press secretary…» opens no dateline."""
    first = text.split()[0] if text.split() else ""
    return not _LATIN_LETTER_RE.search(first) or first.upper() == first


def take_dateline(paragraph: str, extra_agencies: Sequence[str] = ()) -> tuple[str | None, str | None, str]:
    """(dateline, agency, rest of paragraph) for a paragraph that opens with one.

    ``extra_agencies`` are more names taken for an agency after a place and a
    dash (a site's own name: «أبوظبي - سكاي نيوز عربية»).
    """
    match = _PAREN_DATELINE_RE.match(paragraph)
    if match and _words(match.group(1)) <= 4 and len(paragraph) > match.end() + 10:
        inside = match.group(1)
        if _agency(inside):
            return None, _agency(inside), paragraph[match.end() :]
        return inside.strip(" ،,"), None, paragraph[match.end() :]

    match = _PLACE_AGENCY_RE.match(paragraph)
    if (
        match
        and _place_like(match.group(1))
        and _words(match.group(1)) <= 6
        and _words(match.group(2)) <= 4
        and len(paragraph) > match.end() + 10
    ):
        agency = _agency(match.group(2)) or match.group(2).strip()
        return match.group(1).strip(" ،,"), agency, paragraph[match.end() :]

    match = _PLACE_COLON_QUOTED_RE.match(paragraph)
    if match and _words(paragraph[match.end() :]) >= 5:
        # Only an outlet in the guillemets: «وقال: «لن نتراجع»» opens a quotation.
        name = _squash(match.group(2).strip())
        if _agency(name) or name in extra_agencies or name.startswith(_OUTLET_WORDS):
            return match.group(1).strip(" ،,"), _agency(name) or name, paragraph[match.end() :]

    match = _PLACE_DASH_RE.match(paragraph)
    if match and _place_like(match.group(1)) and _words(paragraph[match.end() :]) >= 5:
        rest = paragraph[match.end() :]
        agency = _leading_agency(rest, extra_agencies)
        if agency and _words(rest[agency[1] :]) >= 5:
            return match.group(1).strip(" ،,"), agency[0], rest[agency[1] :]
        return match.group(1).strip(" ،,"), None, rest
    return None, None, paragraph


# «أبوظبي - سكاي نيوز عربية», «سكاي نيوز عربية - أبوظبي», «لندن: «الشرق الأوسط»», «بيروت (رويترز)».
_DATELINE_LINE_RE = re.compile(
    r"^(?:(?P<a>[^:«»()\-–—\d]{2,40}?)\s*[-–—]+\s*(?P<b>[^:«»()\-–—\d]{2,40}?)"
    r"|(?P<place>[^:«»()\-–—\d]{2,30}?)\s*(?:[:：]\s*«(?P<quoted>[^«»]{2,40})»|\((?P<paren>[^()]{1,30})\)))"
    r"\s*[:：\-–—]?$"
)


def dateline_line(paragraph: str, extra_agencies: Sequence[str] = ()) -> tuple[str, str] | None:
    """(place, agency) for a paragraph that is only a dateline: a place and a
    known agency (or one of ``extra_agencies``, or an outlet in guillemets)."""
    if _words(paragraph) > 8:
        return None
    match = _DATELINE_LINE_RE.match(paragraph)
    if not match:
        return None

    def agency_of(name: str) -> str | None:
        name = _squash(name.strip())
        if _agency(name):
            return _agency(name)
        return name if name in extra_agencies or name.startswith(_OUTLET_WORDS) else None

    if match.group("place"):
        place = match.group("place").strip(" ،,")
        agency = agency_of(match.group("quoted") or match.group("paren"))
        return (place, agency) if agency and _words(place) <= 3 and _place_like(place) else None
    a, b = match.group("a").strip(" ،,"), match.group("b").strip(" ،,")
    for place, name in ((a, b), (b, a)):
        agency = agency_of(name)
        if agency and _words(place) <= 3 and _place_like(place) and not agency_of(place):
            return place, agency
    return None


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
    paragraphs = clean_paragraphs(text)
    removed: list[str] = []
    site: str | None = None
    title: str | None = None

    # 1. Headline, and whatever stands above it (site name, tagline).
    start = 0
    for index in range(min(6, len(paragraphs) - 1)):
        candidate = paragraphs[index]
        if candidate in paragraphs[index + 1 : index + 3] and _is_title_like(candidate):
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

    return _parse_body(title, paragraphs[start:], site=site, removed=removed)


def parse_page(title: str | None, paragraphs: Sequence[str], *, site: str | None = None) -> ParsedArticle:
    """Parse an article whose title is known and whose body comes as paragraphs
    (the main text of a web page). Never raises.

    The body goes through the same rules as :func:`parse_article`'s: the
    dateline and agency at its head, boilerplate, credits and repeats (the
    headline printed again above the body is a repeat). A page often puts a
    summary above the lead, so an agency's dateline is also looked for in the
    next two paragraphs. ``site`` (the page's site name) is kept as the site
    and also taken for an agency after a place: «أبوظبي - سكاي نيوز عربية».
    An empty title is made from the lead sentence.
    """
    body = clean_paragraphs("\n\n".join(paragraphs))
    site = clean_line(site) if site else None
    extra = (site,) if site else ()
    return _parse_body(
        clean_line(title) if title else None, body, site=site, dateline_scan=3, extra_agencies=extra
    )


def _parse_body(
    title: str | None,
    body_source: list[str],
    *,
    site: str | None = None,
    removed: list[str] | None = None,
    dateline_scan: int = 1,
    extra_agencies: Sequence[str] = (),
) -> ParsedArticle:
    """Steps 2 and 3 of parsing, shared by texts and pages."""
    removed = [] if removed is None else removed
    credits: list[str] = []

    # 2. Dateline at the head of the first body paragraph. With ``dateline_scan``
    # > 1 (pages), the lead is the first paragraph past headings (the headline
    # printed again, a section name), and past the lead only a dateline that
    # names an agency counts (a summary may stand above it).
    dateline = None
    scan = min(dateline_scan, len(body_source))
    lead = 0
    while (
        lead < scan - 1
        and _is_heading(body_source[lead])
        and not dateline_line(body_source[lead], extra_agencies)
    ):
        lead += 1
    for index in range(scan):
        found, agency, rest = take_dateline(body_source[index], extra_agencies)
        if index != lead and not agency:
            continue
        if found or agency:
            dateline = found
            if agency:
                credits.append(agency)
            body_source = [*body_source[:index], rest, *body_source[index + 1 :]]
            break
        if index == lead and (line := dateline_line(body_source[index], extra_agencies)):
            # The dateline printed on a line of its own above the lead.
            dateline = line[0]
            credits.append(line[1])
            body_source = [*body_source[:index], *body_source[index + 1 :]]
            break

    # 3. Body: drop boilerplate and repeats, move credits aside.
    body: list[str] = []
    seen = {title} if title else set()
    in_read_more = False
    headlines = 0  # link headlines still to drop under a read-more heading
    last = len(body_source) - 1
    for index, paragraph in enumerate(body_source):
        # Under the heading: bullets, or (where the links are not a bulleted
        # list) a run of two or more lines that read as headlines; one such
        # line is more likely the article's own subheading.
        if in_read_more and (_is_bullet(paragraph) or headlines > 0):
            removed.append(paragraph)
            headlines -= not _is_bullet(paragraph)
            continue
        in_read_more = False
        if _is_boilerplate(paragraph):
            removed.append(paragraph)
            in_read_more = _is_read_more_heading(paragraph)
            headlines = _headline_run(body_source, index + 1) if in_read_more else 0
            continue
        # «المصدر: …» near the end.
        source = _SOURCE_LINE_RE.match(paragraph) if index >= last - 2 else None
        if source or _is_credit(paragraph) or (index == last and index > 0 and _is_sign_off(paragraph)):
            name = _credit_name(source.group(1) if source else paragraph)
            if name not in credits:
                credits.append(name)
            continue
        if paragraph in seen:
            removed.append(paragraph)
            continue
        seen.add(paragraph)
        body.append(paragraph)

    title_from_lead = False
    if not title:
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


def _is_heading(text: str) -> bool:
    """A short line that ends no sentence and opens with no dateline."""
    return _words(text) <= 25 and not _ends_sentence(text) and take_dateline(text)[0] is None


def _is_sign_off(text: str) -> bool:
    """An outlet's name closing the article: «بلومبرج نيوز», «رويترز»."""
    return _words(text) <= 3 and not _ends_sentence(text) and not any(c.isdigit() for c in text)
