"""Feeds as bytes and story texts, for the tests that refresh feeds."""

from __future__ import annotations

from xml.sax.saxutils import escape

SENTENCES = [
    "أعلنت وزارة الزراعة عن خطة جديدة لدعم مزارعي الزيتون في المناطق الجبلية خلال الموسم المقبل.",
    "وقال مسؤول في الوزارة إن الخطة تشمل توزيع الأسمدة والبذور بأسعار مدعومة على آلاف المزارعين.",
    "ويشكو المزارعون منذ سنوات من ارتفاع كلفة الإنتاج وتراجع الأسعار في الأسواق المحلية والخارجية.",
]


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 feed of ``items`` (keys: title, link, guid, description, pubDate, author)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>']
    out.append(f"<title>{escape(title)}</title><link>http://127.0.0.1/</link>")
    for item in items:
        out.append("<item>")
        for key, value in item.items():
            out.append(f"<{key}>{escape(value)}</{key}>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "\n".join(out).encode("utf-8")


def story(number: int) -> str:
    return " ".join(f"{sentence} (الخبر {number})" for sentence in SENTENCES)


def numbered_items(count: int) -> list[dict[str, str]]:
    """Entries «الخبر رقم N» for N from 0, each with its own link, guid and story."""
    return [
        {
            "title": f"الخبر رقم {n}",
            "link": f"http://h.example/s/{n}",
            "guid": f"g{n}",
            "description": story(n),
        }
        for n in range(count)
    ]
