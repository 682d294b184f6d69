"""Article pages to articles: the fixture pages (body, boilerplate, metadata),
decoding, HTML sniffing, and inputs that must fall back to the feed's text."""

from __future__ import annotations

import codecs
import json
import random
import subprocess
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pytest

from store.web.extract import PageMeta, decode_html, extract_page, looks_like_html, parse_date

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
EXPECTED = sorted(PAGES.glob("*.expected.json"))
MIN_RECALL = 0.9


def load(name: str) -> tuple[bytes, dict[str, Any]]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return (PAGES / f"{name}.html").read_bytes(), expected


def squash(text: str) -> str:
    return " ".join(text.split())


def recall(body: str, sentences: list[str]) -> tuple[float, list[str]]:
    missing = [s for s in sentences if squash(s) not in body]
    return 1 - len(missing) / len(sentences), missing


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_fixture_page(path: Path) -> None:
    name = path.name.removesuffix(".expected.json")
    data, expected = load(name)
    article, meta = extract_page(data, charset=expected.get("http_charset"))
    body = squash("\n".join(article.paragraphs))

    found, missing = recall(body, expected["sentences"])
    assert found >= MIN_RECALL, f"{name}: sentence recall {found:.0%}, missing {missing}"
    present = [text for text in expected["absent"] if text in "\n".join(article.paragraphs)]
    assert not present, f"{name}: boilerplate in the body: {present}"
    assert article.title == expected["title"]
    assert article.dateline == expected["dateline"]
    assert article.credits == expected["credits"]
    assert meta.published_at == expected["published_at"]
    assert meta.title == expected["title"]
    for key in ("author", "site_name", "language", "canonical_url"):
        if key in expected:
            assert getattr(meta, key) == expected[key], key
    assert meta.extractor == "trafilatura"


def test_fixture_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Per-page results in one table (shown with ``pytest -s``)."""
    rows = []
    for path in EXPECTED:
        name = path.name.removesuffix(".expected.json")
        data, expected = load(name)
        article, meta = extract_page(data, charset=expected.get("http_charset"))
        found, _ = recall(squash("\n".join(article.paragraphs)), expected["sentences"])
        checks = {
            "title": article.title == expected["title"],
            "dateline": (article.dateline, article.credits) == (expected["dateline"], expected["credits"]),
            "date": meta.published_at == expected["published_at"],
        }
        marks = " ".join(f"{key}={'ok' if good else 'WRONG'}" for key, good in checks.items())
        rows.append(f"{name:28} recall {found:4.0%}  {marks}")
    with capsys.disabled():
        print("\n" + "\n".join(rows))
    assert len(rows) >= 10


def test_fixtures_cover_the_required_layouts() -> None:
    expectations = [json.loads(path.read_text(encoding="utf-8")) for path in EXPECTED]
    assert len(expectations) >= 10
    assert any(e.get("charset") == "windows-1256" for e in expectations)
    assert any(e.get("http_charset") for e in expectations)
    assert any(e.get("language") == "en" for e in expectations)
    assert sum(1 for e in expectations if e["dateline"] or e["credits"]) >= 5
    for e in expectations:
        assert len(e["sentences"]) >= 5 and e["absent"]


# ---------------------------------------------------------------- decoding

SADA = "افتتحت المؤسسة العامة لتحلية المياه"
BAWABA = "عادت عشرات ورش ومصانع النسيج"


def test_windows_1256_declared_in_meta() -> None:
    data = (PAGES / "sada_cp1256.html").read_bytes()
    assert b"charset=windows-1256" in data
    assert SADA in decode_html(data)
    assert SADA.encode("utf-8") not in data


def test_windows_1256_without_any_declaration_is_detected() -> None:
    data = (PAGES / "sada_cp1256.html").read_bytes()
    data = data.replace(b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">', b"")
    assert b"charset" not in data
    assert SADA in decode_html(data)
    # A Western charset from the server does not turn it into Latin letters.
    assert SADA in decode_html(data, charset="ISO-8859-1")


def test_iso_8859_6_from_the_http_header_or_detected() -> None:
    data = (PAGES / "bawaba_http_charset.html").read_bytes()
    assert b"charset" not in data.lower()
    assert BAWABA in decode_html(data, charset="iso-8859-6")
    assert BAWABA in decode_html(data)
    assert BAWABA in decode_html(data, charset="ISO_8859-6:1987")


def test_the_http_charset_wins_over_the_page() -> None:
    text = '<html><head><meta charset="windows-1256"></head><body><p>نص عربي قصير</p></body></html>'
    assert "نص عربي قصير" in decode_html(text.encode("iso8859-6"), charset="iso-8859-6")


def test_utf8_page_declared_as_a_legacy_code_page() -> None:
    text = '<html><head><meta charset="windows-1256"></head><body><p>نص عربي قصير</p></body></html>'
    assert "نص عربي قصير" in decode_html(text.encode("utf-8"))
    assert "نص عربي قصير" in decode_html(text.encode("utf-8"), charset="windows-1256")


def test_byte_order_marks_and_damaged_utf8() -> None:
    text = "<html><body><p>نص عربي قصير</p></body></html>"
    assert decode_html(codecs.BOM_UTF8 + text.encode()) == text
    assert decode_html(text.encode("utf-16")) == text  # with its BOM
    damaged = text.encode().replace("قصير".encode(), "قص".encode() + b"\xff")
    assert "نص عربي" in decode_html(damaged, charset="utf-8")
    assert "نص عربي" in decode_html(damaged)


def test_western_page_stays_western() -> None:
    text = "<html><body><p>" + "Voilà un café très fort à Paris, dit-il. " * 10 + "</p></body></html>"
    assert "café très" in decode_html(text.encode("cp1252"))
    assert "café très" in decode_html(text.encode("cp1252"), charset="iso-8859-1")


@pytest.mark.parametrize("charset", [None, "", "nonsense-8", "utf-16", "x-user-defined"])
def test_unknown_charsets_are_ignored(charset: str | None) -> None:
    data = (PAGES / "wadi_json_ld.html").read_bytes()
    assert "ارتفاع أسعار الطحين" in decode_html(data, charset=charset)


# ---------------------------------------------------------------- sniffing


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_fixture_pages_look_like_html(path: Path) -> None:
    assert looks_like_html(path.read_bytes())


@pytest.mark.parametrize(
    ("data", "html"),
    [
        (codecs.BOM_UTF8 + b"<!DOCTYPE html><html><body></body></html>", True),
        (b"<!-- saved from url=(0040)https://example.com/ -->\n<html>", True),
        ("<div class='x'><p>خبر</p></div>".encode(), True),
        ("<html><body>خبر</body></html>".encode("utf-16"), True),
        ("خبر عاجل: انفجار في المدينة <b>".encode(), False),
        (b"<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", False),
        (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', False),
        (b"\x89PNG\r\n\x1a\n\x00\x00", False),
        (b"", False),
        (b"   \n", False),
    ],
)
def test_looks_like_html(data: bytes, html: bool) -> None:
    assert looks_like_html(data) is html


# ---------------------------------------------------------------- falling back

FEED_TEXT = [
    "أعلنت الحكومة اليوم خطة جديدة لدعم المزارعين في المناطق الريفية.",
    "وقال الوزير إن الخطة تبدأ الشهر المقبل.",
]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"\x00\x01\x02garbage\xff\xfe\x00\x00",
        bytes(range(256)) * 40,
        b"<html>",
        b"<html><body></body></html>",
        "نص عادي بلا وسوم".encode(),
        b"\x89PNG\r\n\x1a\n" + bytes(500),
        (PAGES / "nav_only.html").read_bytes(),
    ],
    ids=["empty", "blank", "garbage", "all-bytes", "open-tag", "empty-body", "plain-text", "png", "nav-only"],
)
def test_pages_without_an_article_give_the_feed_text(data: bytes) -> None:
    article, meta = extract_page(
        data, url="https://example.com/a", fallback_title="عنوان من الخلاصة", fallback_text=FEED_TEXT
    )
    assert meta.extractor == "fallback"
    assert article.paragraphs == FEED_TEXT
    assert article.title in ("عنوان من الخلاصة", "الصفحة غير متوفرة")
    assert meta.canonical_url == "https://example.com/a" or meta.canonical_url is None


def test_navigation_only_page_without_feed_text_is_empty() -> None:
    article, meta = extract_page((PAGES / "nav_only.html").read_bytes())
    assert meta.extractor == "fallback"
    assert article.paragraphs == []
    assert meta.site_name == "الوادي نت"


def test_feed_text_with_markup_is_reduced_to_text() -> None:
    article, _ = extract_page(
        b"", fallback_text=["<p>الفقرة الأولى من الخبر.</p><p>والفقرة <b>الثانية</b>.</p>"]
    )
    assert article.paragraphs == ["الفقرة الأولى من الخبر.", "والفقرة الثانية."]


def test_random_bytes_never_raise() -> None:
    rng = random.Random(20261203)
    for _ in range(40):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(0, 3000)))
        if rng.random() < 0.5:
            data = b"<html><body><p>" + data + b"</p></body></html>"
        article, meta = extract_page(data, fallback_text=["نص."])
        assert isinstance(article.paragraphs, list)
        assert isinstance(meta, PageMeta)


def test_truncated_and_broken_pages_never_raise() -> None:
    data = (PAGES / "wadi_json_ld.html").read_bytes()
    for cut in (10, 200, 1500, len(data) // 2, len(data) - 50):
        article, _ = extract_page(data[:cut], fallback_text=FEED_TEXT)
        assert article.paragraphs
    broken = data.replace(b"</p>", b"").replace(b"</div>", b"<div>").replace(b'"@context"', b"{{{")
    article, _ = extract_page(broken)
    assert "يقول أصحاب المخابز الخاصة" in " ".join(article.paragraphs)


# ---------------------------------------------------------------- hostile text

HOSTILE = (
    "<html><head><title>عنوان\x1b]0;pwned\x07 الخبر\u202e - موقع</title>"
    '<meta name="author" content="كاتب\u202eخبيث\x1b[2J">'
    '<meta property="og:site_name" content="موقع\u202e">'
    "</head><body><h1>عنوان\x1b]0;pwned\x07 الخبر\u202e</h1>"
    + "".join(
        f"<p>الفقرة رقم {n} من الخبر\x1b[31m تحمل نصا طويلا بما يكفي ليكون جملة تامة \u202eمقلوبة&#x202e; "
        f"ومعها تسلسل&#x1b;[2J للشاشة وتتابع الكلام حتى نهاية السطر.</p>"
        for n in range(8)
    )
    + "</body></html>"
)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1256"])
def test_escape_sequences_and_bidi_controls_never_come_out(encoding: str) -> None:
    # cp1256 cannot hold U+202E: there it comes as a character reference.
    data = (
        HOSTILE.replace("\u202e", "&#x202e;").encode(encoding) if encoding == "cp1256" else HOSTILE.encode()
    )
    article, meta = extract_page(data)
    assert len(article.paragraphs) >= 6
    values = [*asdict(article).values(), *asdict(meta).values()]
    out = "\n".join("\n".join(v) if isinstance(v, list) else str(v) for v in values)
    for bad in ("\x1b", "\u202e", "\x07", "[2J", "[31m", "pwned"):
        assert bad not in out, repr(bad)


def test_feed_fallback_text_is_sanitised_too() -> None:
    article, _ = extract_page(b"", fallback_title="عنوان\u202e", fallback_text=["نص\x1b[2J الخبر\u202e."])
    assert article.title == "عنوان"
    assert article.paragraphs == ["نص الخبر."]


# ---------------------------------------------------------------- metadata pieces


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2026-11-28T09:15:00+03:00", "2026-11-28T06:15:00Z"),
        ("2026-09-15T04:12:45.000Z", "2026-09-15T04:12:45Z"),
        ("2026-07-05", "2026-07-05T00:00:00Z"),
        ("2026-06-12 06:30:00", "2026-06-12T06:30:00Z"),
        ("2026-06-12T06:30+0200", "2026-06-12T04:30:00Z"),
        ("Fri, 30 Oct 2026 18:05:00 +0300", "2026-10-30T15:05:00Z"),
        ("20261203", "2026-12-03T00:00:00Z"),
        ("1796281200", "2026-12-03T07:00:00Z"),
        ("not a date", None),
        ("0000-00-00", None),
        ("1850-01-01", None),
    ],
)
def test_parse_date(value: str, iso: str | None) -> None:
    assert parse_date(value) == iso


def page(head: str = "", body: str = "") -> bytes:
    paragraphs = "".join(
        f"<p>هذه الفقرة رقم {n} من نص الخبر، وهي طويلة بما يكفي لتعد جملة تامة في المقال.</p>"
        for n in range(6)
    )
    return f"<html><head>{head}</head><body>{body}<article>{paragraphs}</article></body></html>".encode()


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("نشر في 3 ديسمبر 2026", "2026-12-03T00:00:00Z"),
        ("تاريخ النشر: الخميس ٣ كانون الأول ٢٠٢٦ - ٠٩:٣٠ م", "2026-12-03T21:30:00Z"),
        ("نُشر بتاريخ 20 نوفمبر/تشرين الثاني 2026", "2026-11-20T00:00:00Z"),
        ("نشر في: الأربعاء 25 نونبر 2026 - 14:35", "2026-11-25T14:35:00Z"),
        ("نشر في 5 جويلية 2026", "2026-07-05T00:00:00Z"),
        ("Published on November 17, 2026 at 8:42 AM GMT", "2026-11-17T08:42:00Z"),
    ],
)
def test_dates_printed_only_as_text(text: str, iso: str) -> None:
    _, meta = extract_page(page(body=f"<div class='meta'><span>{text}</span></div>"))
    assert meta.published_at == iso


def test_page_header_date_is_not_the_publication_date() -> None:
    body = "<div class='top-bar'><span class='today'>الخميس 3 ديسمبر 2026</span></div>"
    _, meta = extract_page(page(body=body))
    assert meta.published_at is None


@pytest.mark.parametrize(
    ("head", "body", "title", "site"),
    [
        (
            '<title>عنوان الخبر هنا - الجزيرة نت</title><meta property="og:site_name" content="الجزيرة نت">',
            "",
            "عنوان الخبر هنا",
            "الجزيرة نت",
        ),
        (
            "<title>سكاي نيوز عربية | عنوان الخبر هنا</title>",
            "<h1>عنوان الخبر هنا</h1>",
            "عنوان الخبر هنا",
            "سكاي نيوز عربية",
        ),
        (
            '<meta property="og:title" content="عنوان الخبر | الأخبار | الجزيرة نت">'
            '<meta property="og:site_name" content="الجزيرة نت">',
            "<h1>عنوان الخبر</h1>",
            "عنوان الخبر",
            "الجزيرة نت",
        ),
        ("<title>غزة - تصعيد جديد في الشمال</title>", "", "غزة - تصعيد جديد في الشمال", None),
    ],
)
def test_site_name_glued_to_the_title(head: str, body: str, title: str, site: str | None) -> None:
    article, meta = extract_page(page(head, body))
    assert (meta.title, meta.site_name) == (title, site)
    assert article.title == title


def test_title_falls_back_to_the_feed_title() -> None:
    article, meta = extract_page(page(), fallback_title="عنوان من الخلاصة")
    assert article.title == meta.title == "عنوان من الخلاصة"


def test_canonical_url_is_absolute() -> None:
    _, meta = extract_page(
        page('<link rel="canonical" href="/news/1.html">'), url="https://example.com/x?utm=1"
    )
    assert meta.canonical_url == "https://example.com/news/1.html"
    _, meta = extract_page(page('<link rel="canonical" href="javascript:void(0)">'))
    assert meta.canonical_url is None


def test_organisation_authors_and_author_urls_are_not_authors() -> None:
    ld = '{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "وكالة ما"}}'
    _, meta = extract_page(page(f'<script type="application/ld+json">{ld}</script>'))
    assert meta.author is None
    _, meta = extract_page(page('<meta name="author" content="https://facebook.com/someone">'))
    assert meta.author is None
    _, meta = extract_page(page('<meta name="author" content="بقلم: سلمى الحايك">'))
    assert meta.author == "سلمى الحايك"


def test_page_meta_fields() -> None:
    assert [f.name for f in fields(PageMeta)] == [
        "title",
        "author",
        "published_at",
        "site_name",
        "canonical_url",
        "language",
        "extractor",
    ]
    _, meta = extract_page(page())
    with pytest.raises(AttributeError):
        meta.title = "x"  # type: ignore[misc]


def test_importing_the_module_leaves_the_extractors_unloaded() -> None:
    code = (
        "import sys, store.web.extract; "
        "heavy = ('trafilatura', 'readability', 'lxml.html', 'htmldate'); "
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_site_name_from_the_host_and_from_the_title_element() -> None:
    _, meta = extract_page(page("<title>عنوان الخبر - CNN Arabic</title>"), url="https://arabic.cnn.com/a")
    assert (meta.title, meta.site_name) == ("عنوان الخبر", "CNN Arabic")
    head = "<title>عنوان الخبر | الأخبار | الجزيرة نت</title>"
    _, meta = extract_page(page(head, "<h1>عنوان الخبر</h1>"))
    assert (meta.title, meta.site_name) == ("عنوان الخبر", "الجزيرة نت")


def test_synthetic_site_is_deterministic_and_extracts(tmp_path: Path) -> None:
    from bench.pages import LAYOUTS, generate_site, substitute_base

    feeds = len(LAYOUTS)
    first = generate_site(tmp_path / "a", feeds, 2, seed=7)
    second = generate_site(tmp_path / "b", feeds, 2, seed=7)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == feeds * 3
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)
    feed = (first / "feeds" / "001.xml").read_text(encoding="utf-8")
    assert "<link>{base}/pages/001/001.html</link>" in feed
    for folder in sorted((first / "pages").iterdir()):
        data = substitute_base((folder / "001.html").read_bytes(), "http://127.0.0.1:8000")
        assert b"{base}" not in data
        article, meta = extract_page(data)
        assert meta.extractor == "trafilatura" and meta.published_at and article.title
        assert not article.title_from_lead and " | " not in article.title
        body = "\n".join(article.paragraphs)
        assert "ملفات تعريف الارتباط" not in body and "اقرأ أيضا" not in body


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/a1.html", "https://example.com/a1.html"])
def test_a_host_name_is_never_the_site_name(url: str) -> None:
    """A page naming its site only in its <title>: the site is that name, not the host
    trafilatura falls back on (an address and port included)."""
    page = (
        '<html lang="ar"><head><title>الصواريخ تضرب مدنا أوكرانية | موقع تجريبي</title></head><body>'
        "<article><h1>الصواريخ تضرب مدنا أوكرانية</h1>"
        "<p>كييف (رويترز) - قالت السلطات الأوكرانية إن عدة صواريخ روسية أصابت مدنا في شرق البلاد صباح اليوم،"
        " ما أدى إلى انقطاع الكهرباء عن آلاف المنازل وفق الأرقام الأولية.</p>"
        "<p>وأضافت أن فرق الإنقاذ تعمل على إزالة الأنقاض في ثلاث مدن على الأقل، وأن عدد الجرحى مرشح"
        " للارتفاع خلال الساعات المقبلة بحسب مسؤولين محليين.</p></article></body></html>"
    ).encode()
    article, meta = extract_page(page, url=url)
    assert (article.title, meta.site_name) == ("الصواريخ تضرب مدنا أوكرانية", "موقع تجريبي")
