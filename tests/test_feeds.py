"""Feed bytes to entries: formats, charsets, hostile feeds, dates, links, HTML to paragraphs."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from unittest.mock import ANY

import pytest

from store.web.feeds import Entry, ParsedFeed, parse_arabic_date, parse_feed
from store.web.html_text import html_paragraphs, text_paragraphs

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT / "tests" / "fixtures" / "feeds"

# Nothing a terminal would act on: C0 controls (newlines and tabs included,
# every field is one line or a whitespace-normalised paragraph), DEL, C1
# controls, bidi embeddings, overrides and isolates.
FORBIDDEN_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def parse(name: str, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed((FEEDS / name).read_bytes(), url=url, headers=headers)


def entry(**fields: object) -> Entry:
    """An expected entry: unnamed fields are empty, the fingerprint is checked elsewhere."""
    values: dict[str, object] = {
        "url": None,
        "author": None,
        "published_at": None,
        "summary": [],
        "content": [],
        "categories": (),
        "fingerprint": ANY,
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


def strings(value: object) -> list[str]:
    """Every string inside a parsed feed or entry."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [s for f in dataclasses.fields(value) for s in strings(getattr(value, f.name))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return []


def assert_clean(feed: ParsedFeed) -> None:
    for text in strings(feed):
        assert not FORBIDDEN_RE.search(text), ascii(text)
    for item in feed.entries:
        assert all(p == " ".join(p.split()) and p for p in item.summary + item.content), item
        assert item.title == " ".join(item.title.split())


ALL_FIXTURES = sorted(path.name for path in FEEDS.iterdir() if path.suffix != ".opml")


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_comes_out_sanitised(name: str) -> None:
    assert_clean(parse(name, "https://feeds.example.com/feed.xml"))


# Formats -------------------------------------------------------------------


def test_rss2_with_teasers_only() -> None:
    feed = parse(
        "teasers.rss", "https://alwaha.example.com/rss/latest.xml", {"Content-Type": "application/rss+xml"}
    )
    assert (feed.title, feed.site_url, feed.warning, feed.error) == (
        "صحيفة الواحة - آخر الأخبار",
        "https://alwaha.example.com/",
        None,
        None,
    )
    assert feed.entries == [
        entry(
            key="alwaha-10231",
            url="https://alwaha.example.com/news/2026/12/library-opening",
            title="افتتاح مكتبة عامة جديدة في وسط المدينة",
            author="سلمى الحداد",
            published_at="2026-12-03T11:05:00Z",
            summary=[
                "افتتحت البلدية صباح اليوم مكتبة عامة تضم أكثر من أربعين ألف كتاب،"
                " وقاعات للمطالعة مفتوحة حتى منتصف الليل."
            ],
            categories=("ثقافة", "محليات"),
        ),
        entry(
            key="alwaha-10230",
            url="https://alwaha.example.com/news/2026/12/weather-warning",
            title="الأرصاد تتوقع أمطارا غزيرة على المناطق الساحلية",
            published_at="2026-12-03T09:30:00Z",
            summary=["حذرت هيئة الأرصاد من أمطار غزيرة مصحوبة بالرعد ابتداء من مساء الجمعة."],
            categories=("طقس",),
        ),
        entry(
            key="alwaha-10229",
            url="https://alwaha.example.com/sport/2026/12/cup-quarter-final",
            title="فريق النخيل يتأهل إلى نصف نهائي الكأس",
            author="قسم الرياضة",
            published_at="2026-12-02T20:45:00Z",
            summary=[
                "فاز فريق النخيل على ضيفه بهدفين مقابل هدف في مباراة مثيرة.",
                "ويلتقي في الدور المقبل بطل الموسم الماضي.",
            ],
            categories=("رياضة",),
        ),
        entry(
            key="alwaha-10228",
            url="https://alwaha.example.com/economy/2026/12/dates-prices",
            title="ارتفاع أسعار التمور مع بداية موسم الشتاء",
            published_at="2026-12-01T07:00:00Z",
            summary=["سجلت أسواق الجملة ارتفاعا في أسعار التمور بنسبة عشرة في المئة مقارنة بالشهر الماضي."],
            categories=("اقتصاد",),
        ),
    ]  # the fifth item repeats the first one's guid: the first is kept
    assert [(e.has_full_text, e.text == e.summary) for e in feed.entries] == [(False, True)] * 4


def test_rss2_with_full_content() -> None:
    feed = parse("full-content.rss", "https://nakheel.example.org/feed/")
    assert (feed.title, feed.site_url, feed.warning, feed.error) == (
        "وكالة النخيل للأنباء",
        "https://nakheel.example.org",
        None,
        None,
    )
    metro, art, water = feed.entries
    assert metro == entry(
        key="https://nakheel.example.org/?p=5512",
        url="https://nakheel.example.org/2026/12/03/metro-line-one/",
        title="تشغيل الخط الأول من مترو العاصمة بعد خمس سنوات من العمل",
        author="يوسف العمري",
        published_at="2026-12-03T06:15:00Z",
        summary=["بدأ الخط الأول من مترو العاصمة استقبال الركاب صباح اليوم…"],
        # The caption stays, the script, the video frame and the share buttons go.
        content=[
            "بدأ الخط الأول من مترو العاصمة استقبال الركاب صباح اليوم، بعد خمس سنوات من أعمال الحفر والبناء"
            " التي غيرت وجه الشوارع الرئيسية في المدينة.",
            "أول قطار يغادر محطة الساحة الكبرى",
            "ويمتد الخط على طول ثمانية عشر كيلومترا ويضم أربع عشرة محطة، ويتوقع المشغل أن ينقل نحو مئتي ألف"
            " راكب يوميا في عامه الأول.",
            "أسعار التذاكر",
            "وحددت الهيئة سعر التذكرة الواحدة بنصف دينار، مع اشتراك شهري مخفض للطلاب وكبار السن.",
            "«هذا يوم ينتظره سكان المدينة منذ عقود» قال رئيس البلدية في حفل الافتتاح.",
        ],
        categories=("نقل", "العاصمة"),
    )
    assert art == entry(
        key="https://nakheel.example.org/?p=5508",
        url="https://nakheel.example.org/2026/12/02/art-exhibition/",
        title="معرض للفنون التشكيلية يجمع خمسين فنانا شابا",
        author="ريم السقا",
        published_at="2026-12-02T17:40:00Z",
        summary=["يفتتح مساء الغد معرض للفنون التشكيلية في قاعة المدينة."],
        content=[
            "يفتتح مساء الغد معرض للفنون التشكيلية في قاعة المدينة، يشارك فيه خمسون فنانا شابا"
            " من مختلف المحافظات.",
            "ويضم المعرض لوحات زيتية ومنحوتات وأعمالا رقمية، ويستمر أسبوعين.",
            "وقالت اللجنة المنظمة إن الدخول مجاني وإن ريع المبيعات يذهب إلى صندوق لدعم المواهب.",
        ],
        categories=("ثقافة",),
    )
    assert water == entry(
        key="https://nakheel.example.org/?p=5507",
        url="https://nakheel.example.org/2026/12/02/water-cut/",
        title="انقطاع مؤقت للمياه في حي الزيتون",
        published_at="2026-12-02T08:00:00Z",
        summary=["تنقطع المياه غدا عن حي الزيتون لإجراء أعمال صيانة."],
        content=["تنقطع المياه غدا عن حي الزيتون لإجراء أعمال صيانة.", "اقرأ المزيد"],
    )
    assert [e.has_full_text for e in feed.entries] == [True, True, False]
    assert metro.text == metro.content


def test_atom() -> None:
    feed = parse("atom.xml", "https://sahil.example.net/ar/atom.xml")
    assert (feed.title, feed.site_url, feed.warning, feed.error) == (
        "مرصد الساحل",
        "https://sahil.example.net/ar/",
        None,
        None,
    )
    assert feed.entries == [
        entry(
            key="tag:sahil.example.net,2026:report-77",
            url="https://sahil.example.net/ar/reports/fishermen-return",  # relative to xml:base
            title="الصيادون يعودون إلى البحر بعد العاصفة",  # type="html": the <b> goes
            author="منى الخطيب",
            published_at="2026-12-03T05:20:00Z",  # published wins over updated
            summary=["عادت قوارب الصيد إلى الميناء بعد أسبوع من التوقف."],
            content=[
                "عادت قوارب الصيد إلى الميناء صباح الخميس بعد أسبوع من التوقف بسبب العاصفة التي ضربت الساحل.",
                "وقال رئيس نقابة الصيادين إن الخسائر كانت محدودة، وإن معظم القوارب لم تتضرر.",
                "وتوقع أن تعود الأسعار في سوق السمك إلى مستواها المعتاد خلال أيام.",
            ],
            categories=("بحر", "اقتصاد"),  # the label when there is one, else the term
        ),
        entry(
            key="tag:sahil.example.net,2026:report-76",
            url="https://sahil.example.net/ar/reports/beach-cleanup",
            title="شاطئ المدينة يستقبل حملة تنظيف تطوعية",
            author="فريق التحرير",
            published_at="2026-12-02T15:30:00Z",
            summary=[],  # not a copy of the content
            content=[
                "شارك أكثر من ثلاثمئة متطوع في حملة لتنظيف الشاطئ.",
                "وجمع المشاركون نحو طنين من النفايات البلاستيكية.",
            ],
        ),
        entry(
            key="tag:sahil.example.net,2026:event-12",
            url="https://sahil.example.net/ar/events/fish-festival",
            title="موعد مهرجان الأسماك السنوي",
            published_at="2026-12-01T09:00:00Z",
            summary=["يقام المهرجان في الأسبوع الأخير من الشهر."],
        ),
    ]
    assert [e.has_full_text for e in feed.entries] == [True, False, False]


def test_rss1_rdf() -> None:
    feed = parse("rdf.xml", "https://jabal.example.com/rss")
    assert (feed.title, feed.site_url, feed.warning, feed.error) == (
        "نشرة الجبل",
        "https://jabal.example.com/",
        None,
        None,
    )
    assert feed.entries == [
        entry(
            key="https://jabal.example.com/news/snow-roads",
            url="https://jabal.example.com/news/snow-roads",
            title="الثلوج تغلق الطريق إلى القرى العليا",
            author="عماد الشامي",
            published_at="2026-12-03T03:10:00Z",
            summary=["أغلقت الثلوج الطريق الجبلي منذ فجر اليوم، وتعمل الجرافات على فتحه."],
            categories=("طقس",),
        ),
        entry(
            key="https://jabal.example.com/news/olive-harvest",
            url="https://jabal.example.com/news/olive-harvest",
            title="موسم قطاف الزيتون يقترب من نهايته",
            published_at="2026-12-02T00:00:00Z",
            summary=["قال المزارعون إن إنتاج هذا العام أفضل من العام الماضي."],
            categories=("زراعة",),
        ),
        entry(
            key="https://jabal.example.com/news/school-heating",
            url="https://jabal.example.com/news/school-heating",
            title="توزيع وقود التدفئة على مدارس المنطقة",
            summary=["بدأت مديرية التربية توزيع مازوت التدفئة على المدارس."],
        ),
    ]


# Charsets ------------------------------------------------------------------

RAFIDAIN_TITLES = [
    "إعادة فتح الجسر القديم أمام السيارات",
    "مهرجان الشعر العربي يكرّم شاعرة من الجنوب",
    "تخفيض رسوم التسجيل في الجامعة",
]


def test_windows_1256_declared_in_the_xml_prolog_only() -> None:
    feed = parse("windows-1256.rss", "http://rafidain.example.com/rss.php", {"Content-Type": "text/xml"})
    assert (feed.title, feed.warning, feed.error) == ("جريدة الرافدين", None, None)
    assert [e.title for e in feed.entries] == RAFIDAIN_TITLES
    assert feed.entries[1] == entry(
        key="http://rafidain.example.com/news.php?id=900",
        url="http://rafidain.example.com/news.php?id=900",
        title="مهرجان الشعر العربي يكرّم شاعرة من الجنوب",
        published_at="2026-11-29T15:30:00Z",
        summary=["كرّم المهرجان في ختام دورته الشاعرة «ليلى» عن ديوانها الأول؛ وقرأت قصائد عن النهر والنخيل."],
    )


def test_windows_1256_with_a_server_that_says_utf8() -> None:
    feed = parse(
        "windows-1256.rss", "http://rafidain.example.com/rss.php", {"content-type": "text/xml; charset=UTF-8"}
    )
    assert [e.title for e in feed.entries] == RAFIDAIN_TITLES
    assert feed.warning == "declared as cp1256 and as utf-8; read as cp1256"


def test_windows_1256_declared_nowhere() -> None:
    body = (FEEDS / "windows-1256.rss").read_bytes().replace(b' encoding="windows-1256"', b"")
    feed = parse_feed(body, url="http://rafidain.example.com/rss.php")
    assert [e.title for e in feed.entries] == RAFIDAIN_TITLES
    assert feed.warning == "not valid UTF-8 and no other usable charset declared; read as windows-1256"


def test_utf8_with_a_few_bad_bytes_keeps_its_entries() -> None:
    feed = parse(
        "damaged-utf8.rss",
        "https://bawaba.example.com/feed",
        {"content-type": "application/rss+xml; charset=UTF-8"},
    )
    assert (feed.title, feed.error) == ("موقع البوابة", None)
    assert feed.warning == "3 damaged UTF-8 byte sequences replaced"
    assert [(e.title, e.summary) for e in feed.entries] == [
        (
            "السلطات تعلن عطلة رسمية يوم الأحد",
            ["أعلنت الحكومة أن يوم الأحد عطلة رسمية \ufffd في جميع الدوائر."],
        ),
        ("افتتاح سوق الميلاد\ufffd في الساحة", ["يفتتح السوق أبوابه مساء الجمعة ويستمر حتى نهاية الشهر."]),
        ("حملة للتبرع بالدم في المستشفى الجامعي", ["دعت إدارة المستشفى المواطنين إلى التبرع بالدم\ufffd"]),
    ]
    assert [e.published_at for e in feed.entries] == [
        "2026-12-03T14:00:00Z",
        "2026-12-03T10:00:00Z",
        "2026-12-02T08:00:00Z",
    ]


@pytest.mark.parametrize(
    ("prolog", "header", "warning"),
    [
        ("x-unknown", None, "unknown charset 'x-unknown' in the XML declaration"),
        (
            "rot13",
            "text/xml; charset=base64",
            "unknown charset 'rot13' in the XML declaration; unknown charset 'base64' in the HTTP header",
        ),
        ("utf-16", None, "charset utf-16 in the XML declaration does not fit the bytes"),
        ("iso-8859-1", None, "declared as iso8859-1 but it is UTF-8"),
        (None, "application/rss+xml; charset=windows-1252", "declared as cp1252 but it is UTF-8"),
    ],
)
def test_wrong_or_unknown_charsets_are_warnings(prolog: str | None, header: str | None, warning: str) -> None:
    text = (FEEDS / "teasers.rss").read_text("utf-8")
    text = text.replace('encoding="UTF-8"', f'encoding="{prolog}"' if prolog else "")
    feed = parse_feed(
        text.encode(),
        url="https://alwaha.example.com/rss",
        headers={"content-type": header} if header else None,
    )
    assert feed.title == "صحيفة الواحة - آخر الأخبار"
    assert len(feed.entries) == 4
    assert feed.warning == warning


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le"])
def test_byte_order_marks_and_wide_encodings(codec: str) -> None:
    text = (FEEDS / "teasers.rss").read_text("utf-8").replace('encoding="UTF-8"', f'encoding="{codec}"')
    if codec == "utf-16-le":
        text = text.replace(f'encoding="{codec}"', 'encoding="utf-16"')  # no BOM: sniffed from «<?»
    feed = parse_feed(text.encode(codec), url="https://alwaha.example.com/rss/latest.xml")
    assert feed.title == "صحيفة الواحة - آخر الأخبار"
    assert len(feed.entries) == 4
    assert feed.warning is None


# Not a feed ------------------------------------------------------------------


def test_html_page_is_not_a_feed() -> None:
    feed = parse(
        "not-a-feed.html", "https://alwaha.example.com/rss", {"Content-Type": "text/html; charset=utf-8"}
    )
    assert feed == ParsedFeed(None, None, [], None, "not a feed: the server sent an HTML page")
    # Recognised by its content too, whatever the server says.
    feed = parse("not-a-feed.html", "https://alwaha.example.com/rss", {"Content-Type": "application/rss+xml"})
    assert feed.error == "not a feed: the server sent an HTML page"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"", "not a feed: empty answer"),
        (b" \r\n\t ", "not a feed: empty answer"),
        (b"<?xml version='1.0'?>\n<note>\n<to>x</note>", "not a feed: XML error at line 3: mismatched tag"),
        (b"<note><to>x</to></note>", "not a feed: no RSS, Atom or RDF elements in the answer"),
        (b'{"version": "1.1"}', "not a feed: the server sent JSON, not RSS or Atom"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "not a feed: XML error at line 1: not well-formed (invalid token)",
        ),
    ],
)
def test_not_a_feed(body: bytes, error: str) -> None:
    assert parse_feed(body, url="https://example.com/feed") == ParsedFeed(None, None, [], None, error)


def test_a_body_that_names_a_local_file_is_not_read_as_a_path(tmp_path: Path) -> None:
    local = tmp_path / "local.xml"
    local.write_text('<rss version="2.0"><channel><title>LOCAL FILE</title></channel></rss>')
    feed = parse_feed(str(local).encode(), url="https://example.com/feed")
    assert feed.error is not None and feed.title is None
    assert "LOCAL FILE" not in repr(feed)


def test_never_raises_on_truncated_or_garbled_feeds() -> None:
    for name in ALL_FIXTURES:
        body = (FEEDS / name).read_bytes()
        for cut in range(1, len(body), max(1, len(body) // 25)):
            for variant in (body[:cut], body[cut:], body[:cut] + b"\x00\xff<![<!--" + body[cut:]):
                feed = parse_feed(variant, url="https://example.com/feed")
                assert isinstance(feed, ParsedFeed)
                assert (feed.error is None) or (feed.entries == [] and feed.title is None)
                assert_clean(feed)


# Hostile feeds ---------------------------------------------------------------


def test_entity_bomb_is_not_expanded() -> None:
    """Measured in a fresh interpreter, so that the peak resident memory is this parse's."""
    script = """
import json, sys, time
from pathlib import Path
from store.web.feeds import parse_feed

def peak_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

body = Path(sys.argv[1]).read_bytes()
one_line = body.replace(b"\\n", b"")
before = peak_kb()
start = time.perf_counter()
feeds = [parse_feed(b, url="https://bomb.example.com/rss") for b in (body, one_line)]
seconds = time.perf_counter() - start
print(json.dumps({
    "seconds": seconds,
    "growth_kb": peak_kb() - before,
    "longest": max(len(s) for f in feeds for s in [f.title or ""] + [e.title for e in f.entries]),
    "titles": [[f.title] + [e.title for e in f.entries] for f in feeds],
    "warnings": [f.warning for f in feeds],
}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(FEEDS / "entity-bomb.xml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["seconds"] < 1.0
    assert result["growth_kb"] < 10 * 1024  # a billion "lol"s would be gigabytes
    assert result["longest"] < 100
    assert result["titles"] == [["خلاصة مفخخة &lol9;", "عنوان &lol9;"]] * 2
    assert all(
        w.startswith("its DOCTYPE declares entities or other markup, which were ignored")
        for w in result["warnings"]
    )


def test_entities_hidden_before_the_root_are_not_expanded_by_the_lenient_parser() -> None:
    # feedparser keeps simple entity declarations it finds at the start of a
    # line before the root element, even in a comment, and expands them
    # without limit when the strict parse fails (here: text before the DOCTYPE).
    value = "x" * 10_000
    for head in (
        f'junk\n<!DOCTYPE rss [\n<!ENTITY a "{value}">\n]>\n',
        f'<!DOCTYPE rss>\n<!--\n<!ENTITY a "{value}">\n-->\njunk\n',
        f'< junk\n<!DOCTYPE rss [ <!ENTITY b "<i>"> \n<!ENTITY a "{value}">\n]>\n',
    ):
        body = (
            head
            + '<rss version="2.0"><channel><item><title>'
            + "&a;" * 20_000
            + "</title></item></channel></rss>"
        ).encode()
        start = time.perf_counter()
        feed = parse_feed(body, url="https://example.com/feed")
        assert time.perf_counter() - start < 1.0
        assert len(feed.entries[0].title) == len("&a;") * 20_000
        assert "xxxx" not in feed.entries[0].title


XXE_VARIANTS = {
    "internal subset": None,  # the fixture as written
    "one line": "one line",
    "parameter entity": '<!DOCTYPE rss [<!ENTITY % p SYSTEM "{uri}"> %p; ]>',
    "external DTD": '<!DOCTYPE rss SYSTEM "{uri}">',
    "entity in a comment": '<!DOCTYPE rss>\n<!--\n<!ENTITY secret SYSTEM "{uri}">\n-->',
}


@pytest.mark.parametrize("variant", XXE_VARIANTS)
def test_external_entities_bring_no_local_file_in(variant: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7f3a9c")
    text = (FEEDS / "xxe.xml").read_text("utf-8").replace("file:///etc/passwd", secret.as_uri())
    doctype = re.search(r"<!DOCTYPE.*?\]>", text, re.DOTALL)
    assert doctype
    replacement = XXE_VARIANTS[variant]
    if replacement == "one line":
        text = text.replace(doctype.group(), doctype.group().replace("\n", ""))
    elif replacement:
        text = text.replace(doctype.group(), replacement.format(uri=secret.as_uri()))
    feed = parse_feed(text.encode(), url="https://xxe.example.com/rss")
    assert "TOP-SECRET" not in repr(feed)
    assert [e.key for e in feed.entries] == ["xxe-1"]
    assert feed.entries[0].url == "https://xxe.example.com/1"
    assert feed.title is not None and feed.title.startswith("خلاصة تسرق الملفات")


def test_xxe_fixture_as_shipped_reads_nothing_from_etc_passwd() -> None:
    feed = parse("xxe.xml", "https://xxe.example.com/rss")
    assert "root:" not in repr(feed)
    assert (feed.title, feed.error) == ("خلاصة تسرق الملفات &secret;", None)
    assert feed.warning == (
        "its DOCTYPE declares entities or other markup, which were ignored; "
        "XML error at line 7: undefined entity; read leniently"
    )


def test_escape_sequences_bidi_overrides_and_markup_are_removed() -> None:
    feed = parse("hostile.rss", "https://hostile.example.com/feed")
    assert_clean(feed)
    assert feed.title == "خلاصة معادية"
    # Raw control characters are not XML: the lenient parser reads the rest.
    assert feed.warning == "XML error at line 4: not well-formed (invalid token); read leniently"
    assert feed.entries == [
        entry(
            key="hostile-1",
            url="https://hostile.example.com/a/1",
            title="عاجل: انفجار أنبوب مياه في الشارع الرئيسي",
            author="مراسل الموقع",
            published_at="2026-12-03T13:00:00Z",
            summary=["تدفقت المياه في الشارع لساعات.", "وأغلقت الشرطة الطريق."],
            categories=("حوادث",),
        ),
        entry(
            key="hostile-2",
            url=None,  # javascript:
            title="تحديث فيديو.exe للأخبار العاجلة",
            published_at="2026-12-03T12:00:00Z",
            # feedparser maps C1 controls to their Windows-1252 look-alikes (U+0085 «…», U+009B «›»).
            summary=["سطر أول…وسطر ›31mملون وصفر"],
            content=["نص مضمن كامل", "فقرة ثانية معكوسة", "فقرة ثالثة"],
        ),
        entry(
            key="hostile-3",
            url=None,  # ends in U+202E
            title="زيارة وزير الصحة",
            published_at="2026-12-03T11:00:00Z",
            summary=["زار الوزير المستشفى الجديد."],
        ),
    ]


def test_control_characters_in_a_well_formed_feed() -> None:
    # Characters XML allows (C1 controls, bidi controls) pass the strict parser.
    body = (
        '<rss version="2.0"><channel><title>\u202eعنوان\u202c\u0085</title><item>'
        "<title>خبر \u009b2J\u2067معزول\u2069 \u200fأول</title><guid>g\u202e1</guid>"
        "<author>\u0090كاتب\u009c</author><category>\u2066سياسة\u2069</category>"
        "<description>&lt;p&gt;\u202bفقرة&lt;/p&gt;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(body, url="https://example.com/feed")
    assert_clean(feed)
    assert feed.warning is None
    item = feed.entries[0]
    # U+0090 … U+009C is a C1 device control string: removed with what it encloses.
    assert (feed.title, item.title, item.key, item.author, item.categories, item.summary) == (
        "عنوان",
        "خبر ›2Jمعزول أول",
        "g1",
        None,
        ("سياسة",),
        ["فقرة"],
    )


# Dates -----------------------------------------------------------------------


def test_arabic_dates_in_a_feed() -> None:
    feed = parse("arabic-dates.rss", "https://mashriq.example.com/rss")
    assert feed.warning is None
    assert [(e.key, e.published_at) for e in feed.entries] == [
        ("mashriq-501", "2026-12-01T14:05:00Z"),  # الثلاثاء، ١ ديسمبر ٢٠٢٦ ١٤:٠٥ GMT
        ("mashriq-502", "2026-12-03T00:00:00Z"),  # 3 كانون الأول 2026
        ("mashriq-503", "2026-12-03T07:15:00Z"),  # … كانون الأول/ديسمبر 2026 - 09:15 +0200
        ("mashriq-504", "2027-01-02T22:30:00Z"),  # ٢ كانون الثاني ٢٠٢٧ - ١٠:٣٠ م
        ("mashriq-505", "2026-12-03T07:00:00Z"),  # RFC 822 in Arabic-Indic digits
        ("mashriq-506", "2026-12-03T08:00:00Z"),  # «منذ ساعتين»: dc:date instead
        ("mashriq-507", None),  # 31 February
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الثلاثاء، ٣ ديسمبر ٢٠٢٦ ١٤:٠٥ GMT", "2026-12-03T14:05:00Z"),
        ("3 كانون الأول 2026", "2026-12-03T00:00:00Z"),
        ("٣ كانون اول ٢٠٢٦", "2026-12-03T00:00:00Z"),
        ("1 كانون الثاني 2027", "2027-01-01T00:00:00Z"),
        ("١٥ شباط ٢٠٢٧", "2027-02-15T00:00:00Z"),
        ("10 آذار 2027 08:00", "2027-03-10T08:00:00Z"),
        ("10 مارس 2027", "2027-03-10T00:00:00Z"),
        ("٧ نيسان ٢٠٢٧", "2027-04-07T00:00:00Z"),
        ("7 إبريل 2027", "2027-04-07T00:00:00Z"),
        ("12 أيار 2027 12:30 ص", "2027-05-12T00:30:00Z"),
        ("12 ماي 2027", "2027-05-12T00:00:00Z"),
        ("12 مايو 2027", "2027-05-12T00:00:00Z"),
        ("1 حزيران 2027", "2027-06-01T00:00:00Z"),
        ("1 جوان 2027", "2027-06-01T00:00:00Z"),
        ("4 تموز 2027", "2027-07-04T00:00:00Z"),
        ("4 يوليوز 2027", "2027-07-04T00:00:00Z"),
        ("15 آب 2027", "2027-08-15T00:00:00Z"),
        ("15 غشت 2027", "2027-08-15T00:00:00Z"),
        ("20 أيلول 2027", "2027-09-20T00:00:00Z"),
        ("6 تشرين الأول 2027", "2027-10-06T00:00:00Z"),
        ("6 أكتوبر 2027", "2027-10-06T00:00:00Z"),
        ("11 تشرين الثاني 2027", "2027-11-11T00:00:00Z"),
        ("11 نونبر 2027", "2027-11-11T00:00:00Z"),
        ("25 دجنبر 2027", "2027-12-25T00:00:00Z"),
        ("ديسمبر 3، 2026 10:30 م +03:00", "2026-12-03T19:30:00Z"),
        ("الخميس 3 كانون الأول (ديسمبر) 2026 - 09:15 +0200", "2026-12-03T07:15:00Z"),
        ("3 ديسمبر 2026 09:15 GMT+3", "2026-12-03T06:15:00Z"),
        ("3 ديسمبر 2026 09:15 -05:30", "2026-12-03T14:45:00Z"),
        ("۳ دسامبر", None),  # Persian month name, no year
        ("Thu, ٠٣ Dec ٢٠٢٦ 10:00:00 +0300", "2026-12-03T07:00:00Z"),
        ("٢٠٢٦-١٢-٠٣T١٤:٠٥:٠٠+03:00", "2026-12-03T11:05:00Z"),
        ("31 شباط 2027", None),
        ("منذ ساعتين", None),
        ("Thu, 03 Dec 2026 10:00:00 +0300", None),  # left to feedparser's own handlers
        ("", None),
    ],
)
def test_parse_arabic_date(text: str, expected: str | None) -> None:
    parsed = parse_arabic_date(text)
    assert (time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed) if parsed else None) == expected


# Links and keys --------------------------------------------------------------


def test_relative_links_are_resolved_and_only_http_kept() -> None:
    feed = parse("relative-links.rss", "https://madina.example.com/feeds/local.xml")
    assert feed.site_url == "https://madina.example.com/"
    assert [(e.key, e.url) for e in feed.entries] == [
        (
            "https://madina.example.com/news/2026/12/park.html",
            "https://madina.example.com/news/2026/12/park.html",
        ),
        ("https://madina.example.com/news/bus-routes", "https://madina.example.com/news/bus-routes"),
        (
            "https://madina.example.com/feeds/item?id=7&lang=ar",
            "https://madina.example.com/feeds/item?id=7&lang=ar",
        ),
        ("https://cdn.madina.example.com/story/8", "https://cdn.madina.example.com/story/8"),
        (
            "https://madina.example.com/أخبار/الحديقة%20العامة",
            "https://madina.example.com/أخبار/الحديقة%20العامة",
        ),
        ("madina-js", None),
        ("ftp://madina.example.com/archive/9.txt", None),
    ]


def test_a_relative_guid_stays_the_same_when_the_feed_moves() -> None:
    body = b'<rss version="2.0"><channel><item><guid>12345</guid><title>t</title></item></channel></rss>'
    old = parse_feed(body, url="http://old.example.com/rss")
    new = parse_feed(body, url="https://new.example.com/feeds/all")
    assert old.entries[0].key == new.entries[0].key == "12345"
    # A guid is a permalink unless it says otherwise: it serves as the link.
    assert new.entries[0].url == "https://new.example.com/feeds/12345"


def test_key_without_id_or_link_is_a_hash_of_title_and_summary() -> None:
    def feed_of(*items: tuple[str, str]) -> ParsedFeed:
        body = "".join(f"<item><title>{t}</title><description>{d}</description></item>" for t, d in items)
        return parse_feed(
            f'<rss version="2.0"><channel>{body}</channel></rss>'.encode(), url="https://e.com/f"
        )

    first = feed_of(("عنوان", "نص"), ("عنوان", "نص آخر"), ("عنوان", "نص")).entries
    again = feed_of(("عنوان", "نص")).entries
    assert len(first) == 2  # the third repeats the first
    assert first[0].key == again[0].key
    assert re.fullmatch("sha256:[0-9a-f]{64}", first[0].key)
    assert first[0].key != first[1].key


def test_fingerprint_changes_exactly_when_stored_text_changes() -> None:
    body = (FEEDS / "teasers.rss").read_bytes()
    url = "https://alwaha.example.com/rss/latest.xml"

    def fingerprint(old: str = "", new: str = "") -> str:
        return parse_feed(body.replace(old.encode(), new.encode()), url=url).entries[0].fingerprint

    base = fingerprint()
    assert re.fullmatch("[0-9a-f]{64}", base)
    assert fingerprint() == base
    assert fingerprint("Thu, 03 Dec 2026 14:05:00", "Fri, 04 Dec 2026 14:05:00") == base
    assert fingerprint("<category>ثقافة</category>", "") == base
    assert fingerprint("<dc:creator>سلمى الحداد</dc:creator>", "") == base
    assert fingerprint("في وسط المدينة</title>", "في وسط العاصمة</title>") != base
    assert fingerprint("أربعين ألف كتاب", "خمسين ألف كتاب") != base
    assert fingerprint("library-opening</link>", "library-opening-updated</link>") != base
    assert len({e.fingerprint for e in parse_feed(body, url=url).entries}) == 4


@pytest.mark.parametrize(
    ("content", "full"),
    [
        ([], False),
        (["ج" * 599], False),
        (["ج" * 600], True),
        (["ج" * 300, "ج" * 299], False),
        (["ج" * 70, "ج" * 70, "ج" * 60], True),
        (["ج" * 70, "ج" * 70, "ج" * 59], False),
        (["صورة", "ج" * 150, "اقرأ المزيد"], False),
    ],
)
def test_has_full_text(content: list[str], full: bool) -> None:
    item = entry(key="k", title="t", summary=["ملخص"], content=content)
    assert item.has_full_text is full
    assert item.text == (content or ["ملخص"])


# HTML to paragraphs ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "paragraphs"),
    [
        ("<p>أول<p>ثان &amp; ثالث</p>", ["أول", "ثان & ثالث"]),
        ("سطر<br>سطر آخر<br/><br />أخير", ["سطر", "سطر آخر", "أخير"]),
        ("نص عادي\nسطر ثان\n\nفقرة &quot;ثانية&quot;", ["نص عادي", "سطر ثان", 'فقرة "ثانية"']),
        ("سطر\nسطر <b>عريض</b>\n\nفقرة", ["سطر", "سطر عريض", "فقرة"]),
        ("<ul><li>أ</li><li>ب</li></ul><h2>عنوان</h2>", ["أ", "ب", "عنوان"]),
        ("<figure><img src=x alt=صورة><figcaption>تعليق</figcaption></figure>", ["تعليق"]),
        ("<script>alert(1)</script><p>نص</p><style>p{}</style><noscript>x</noscript>", ["نص"]),
        ("<div><iframe>داخل<b>x</b></iframe>خارج</div>", ["خارج"]),
        ('<div class="sharedaddy sd-sharing"><div><a>شارك</a></div></div><p>بعد</p>', ["بعد"]),
        ('<div id="social-links">تابعنا</div><p class="shareholders">المساهمون</p>', ["المساهمون"]),
        ("<p>كلمة<span>متصلة</span> و<a href='/x'>رابط</a></p>", ["كلمةمتصلة ورابط"]),
        ("<pre>سطر\nسطر</pre>بعد", ["سطر", "سطر", "بعد"]),
        ("<p>&#x1b;[2Jمسح &#x202E;معكوس\u202c &nbsp; \u00a0مسافة</p>", ["مسح معكوس مسافة"]),
        ("<![if !supportLists]>بند<![endif]>", ["بند"]),
        ("<![unknown[ x ]]><script>alert(1)</script>نص<br>ثان", ["نص ثان"]),  # the parser gives up
        ("<p>   </p><div>\n</div>", []),
        ("", []),
        ("<", ["<"]),
        ("1 < 2 و 3 > 2", ["1 < 2 و 3 > 2"]),
        ("<html><head><title>عنوان الصفحة</title></head><body><p>متن</p></body></html>", ["متن"]),
    ],
)
def test_html_paragraphs(fragment: str, paragraphs: list[str]) -> None:
    assert html_paragraphs(fragment) == paragraphs


def test_html_paragraphs_never_raises() -> None:
    pieces = [
        *'<>/p![]&#;"= \nع?\x00\x1b\u202e',
        "--",
        "x1b",
        "script",
        "div",
        "br",
        "CDATA",
        "<![",
        "]]>",
        "<!--",
    ]
    rng = random.Random(7)
    for _ in range(3000):
        fragment = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        for paragraph in html_paragraphs(fragment):
            assert paragraph and not FORBIDDEN_RE.search(paragraph)


def test_text_paragraphs() -> None:
    assert text_paragraphs("أول\r\nثان\u2029ثالث\x1b[31m\n\n  رابع  ") == ["أول", "ثان", "ثالث", "رابع"]
