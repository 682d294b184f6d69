"""OPML import and export: round trips, other readers' exports, hostile and broken files."""

from __future__ import annotations

import email.utils
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from store.web.opml import OpmlFeed, read_opml, write_opml

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"

SUBSCRIPTIONS = [
    OpmlFeed(
        "https://alwaha.example.com/rss/latest.xml",
        "صحيفة الواحة",
        "https://alwaha.example.com/",
        "أخبار / محلية",
    ),
    OpmlFeed("https://nakheel.example.org/feed/", "وكالة النخيل للأنباء", None, "أخبار / وكالات"),
    OpmlFeed(
        "https://sahil.example.net/ar/atom.xml", "مرصد الساحل", "https://sahil.example.net/ar/", "أخبار"
    ),
    OpmlFeed("https://jabal.example.com/rss", None, None, None),
    OpmlFeed(
        "https://engineering.example.com/index.xml", 'Tips & "tricks" <weekly>', None, "Tech / Dev / Python"
    ),
    OpmlFeed("http://rafidain.example.com/rss.php?lang=ar&cat=1", "جريدة الرافدين", None, "أخبار / محلية"),
]


def test_round_trip_keeps_every_field() -> None:
    feeds, problems = read_opml(write_opml(SUBSCRIPTIONS).encode("utf-8"))
    assert problems == []
    # Grouped by folder: the Rafidain feed joins the folder of its category.
    assert feeds == [SUBSCRIPTIONS[i] for i in (0, 5, 1, 2, 3, 4)]
    assert write_opml(feeds) == write_opml(SUBSCRIPTIONS).replace(*_dates(feeds))


def _dates(feeds: list[OpmlFeed]) -> tuple[str, str]:
    """The two dateCreated lines, in case the second ticked over between the exports."""
    return (_date_line(write_opml(SUBSCRIPTIONS)), _date_line(write_opml(feeds)))


def _date_line(opml: str) -> str:
    return next(line for line in opml.splitlines() if "<dateCreated>" in line)


def test_written_opml_is_nested_pretty_opml_2() -> None:
    text = write_opml(SUBSCRIPTIONS, title="اشتراكاتي")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n  <head>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.findtext("head/title") == "اشتراكاتي"
    created = email.utils.parsedate_to_datetime(root.findtext("head/dateCreated") or "")
    assert abs(created.timestamp() - time.time()) < 60

    def shape(element: ET.Element) -> list[object]:
        return [
            (o.get("text"), shape(o))
            if o.get("xmlUrl") is None
            else (o.get("type"), o.get("text"), o.get("title"))
            for o in element.findall("outline")
        ]

    body = root.find("body")
    assert body is not None
    assert shape(body) == [
        (
            "أخبار",
            [
                (
                    "محلية",
                    [("rss", "صحيفة الواحة", "صحيفة الواحة"), ("rss", "جريدة الرافدين", "جريدة الرافدين")],
                ),
                ("وكالات", [("rss", "وكالة النخيل للأنباء", "وكالة النخيل للأنباء")]),
                ("rss", "مرصد الساحل", "مرصد الساحل"),
            ],
        ),
        ("rss", "https://jabal.example.com/rss", None),  # text is required: the URL stands in
        ("Tech", [("Dev", [("Python", [("rss", 'Tips & "tricks" <weekly>', 'Tips & "tricks" <weekly>')])])]),
    ]
    assert '    <outline text="أخبار" title="أخبار">\n      <outline text="محلية" title="محلية">\n' in text


def test_written_opml_carries_no_controls_and_stays_well_formed() -> None:
    hostile = OpmlFeed(
        "https://x.example.com/feed",
        "\x1b]0;pwned\x07عنوان\u202e\x00\uffff",
        None,
        "\x1b[31mفئة\u2066 / \x07ثانية",
    )
    text = write_opml([hostile])
    for char in "\x1b\x07\x00\u202e\u2066\uffff":
        assert char not in text
    assert read_opml(text.encode("utf-8")) == (
        [OpmlFeed("https://x.example.com/feed", "عنوان", None, "فئة / ثانية")],
        [],
    )


def test_opml_exported_by_another_reader() -> None:
    feeds, problems = read_opml((FEEDS / "other-reader.opml").read_bytes())
    assert feeds == [
        OpmlFeed(
            "https://alwaha.example.com/rss/latest.xml",
            "صحيفة الواحة - آخر الأخبار",  # title wins over text
            "https://alwaha.example.com/",
            "أخبار / عربية",
        ),
        OpmlFeed("https://nakheel.example.org/feed/", "وكالة النخيل", None, "أخبار / عربية"),  # text only
        # title only, attribute names in lower case
        OpmlFeed(
            "https://sahil.example.net/ar/atom.xml", "مرصد الساحل", "https://sahil.example.net/ar/", "أخبار"
        ),
        OpmlFeed("http://engineering.example.com/index.xml", "Example Engineering", None, "Tech"),  # feed://
        OpmlFeed("https://jabal.example.com/rss", "نشرة الجبل", None, "محلي / جبل"),  # category attribute
        OpmlFeed("https://plain.example.com/feed.xml", None, None, None),  # its text is just its URL
    ]
    assert problems == [
        "duplicate: https://alwaha.example.com/rss/latest.xml (the first one is kept)",
        "no xmlUrl: A podcast without a feed address",
        "not an http(s) feed address: gopher://old.example.com/feed",
    ]


def test_bad_entries_are_skipped_with_a_problem_each() -> None:
    data = """<?xml version="1.0"?>
<opml version="2.0"><head/><body>
  <outline text="ok" xmlUrl=" https://ok.example.com/feed "/>
  <outline text="empty" type="rss" xmlUrl=""/>
  <outline text="javascript" xmlUrl="javascript:alert(1)"/>
  <outline text="file" xmlUrl="file:///etc/passwd"/>
  <outline text="no host" xmlUrl="https:///feed"/>
  <outline text="bidi" xmlUrl="https://evil.example.com/\u202egnp.exe"/>
  <outline text="again" xmlUrl="https://ok.example.com/feed"/>
  <outline text="\u202eمعكوس\u0085" xmlUrl="https://ok.example.com/feed2"/>
</body></opml>"""
    feeds, problems = read_opml(data.encode("utf-8"))
    assert feeds == [
        OpmlFeed("https://ok.example.com/feed", "ok", None, None),
        OpmlFeed("https://ok.example.com/feed2", "معكوس", None, None),
    ]
    assert problems == [
        "no xmlUrl: empty",
        "not an http(s) feed address: javascript:alert(1)",
        "not an http(s) feed address: file:///etc/passwd",
        "not an http(s) feed address: https:///feed",
        "not an http(s) feed address: https://evil.example.com/gnp.exe",
        "duplicate: https://ok.example.com/feed (the first one is kept)",
    ]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<opml version="2.0"><body><outline text="&lol9;" xmlUrl="https://bomb.example.com/rss"/></body></opml>
"""


def test_entity_bomb_is_refused() -> None:
    start = time.perf_counter()
    assert read_opml(BILLION_LAUGHS) == (
        [],
        ["not an OPML file: it declares XML entities, which are refused for safety"],
    )
    assert time.perf_counter() - start < 0.5


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-OPML")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY s SYSTEM "{secret.as_uri()}">]>
<opml version="2.0"><body><outline text="&s;" xmlUrl="https://x.example.com/rss"/></body></opml>"""
    feeds, problems = read_opml(data.encode())
    assert (feeds, problems) == (
        [],
        ["not an OPML file: it declares XML entities, which are refused for safety"],
    )
    assert "TOP-SECRET" not in repr((feeds, problems))


def test_a_plain_doctype_is_harmless() -> None:
    data = b"""<?xml version="1.0"?>
<!DOCTYPE opml SYSTEM "http://unreachable.invalid/opml.dtd">
<opml version="1.1"><body><outline text="t" xmlUrl="https://x.example.com/rss"/></body></opml>"""
    assert read_opml(data) == ([OpmlFeed("https://x.example.com/rss", "t", None, None)], [])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not an OPML file: it is empty"),
        (b"\n  ", "not an OPML file: it is empty"),
        (b"garbage", "not an OPML file: XML error at line 1, column 1: syntax error"),
        (b"<opml><body>\n<outline", "not an OPML file: XML error at line 2, column 1: unclosed token"),
        (b'<rss version="2.0"/>', "not an OPML file: the root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "not an OPML file: it has no <body>"),
        (
            b'<?xml version="1.0" encoding="x-unknown"?><opml/>',
            "not an OPML file: unknown encoding: x-unknown",
        ),
    ],
)
def test_unreadable_files(data: bytes, problem: str) -> None:
    assert read_opml(data) == ([], [problem])


def test_legacy_encodings_and_byte_order_marks() -> None:
    body = '<opml version="1.0"><body><outline text="عربي" xmlUrl="https://x.example.com/"/></body></opml>'
    expected = ([OpmlFeed("https://x.example.com/", "عربي", None, None)], [])
    assert read_opml(('<?xml version="1.0" encoding="windows-1256"?>' + body).encode("cp1256")) == expected
    assert read_opml(("\ufeff" + body).encode("utf-8")) == expected
    assert read_opml(('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-16")) == expected


def test_deep_nesting_is_flattened_without_recursion() -> None:
    depth = 5000
    data = (
        "<opml><body>"
        + "".join(f'<outline text="f{i}">' for i in range(depth))
        + '<outline text="deep" xmlUrl="https://deep.example.com/rss"/>'
        + "</outline>" * depth
        + "</body></opml>"
    )
    feeds, problems = read_opml(data.encode())
    assert problems == []
    assert [(f.url, f.title) for f in feeds] == [("https://deep.example.com/rss", "deep")]
    assert feeds[0].category == " / ".join(f"f{i}" for i in range(depth))
