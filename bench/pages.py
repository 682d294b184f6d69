"""A deterministic synthetic news site: RSS feeds of teasers and the article pages
they link to, for benchmarks of fetching and extracting pages.

    python -m bench.pages --feeds 40 --entries 100 --out bench/out/site   # 4,000 pages
    python -m bench.pages --out bench/out/site --measure 200              # and time extraction
    python -m bench.pages --out bench/out/site --serve 8000               # serve it

Layout of ``out``::

    feeds/NNN.xml           RSS 2.0, one per site; items carry only a teaser
    pages/NNN/MMM.html      the article of item MMM of feed NNN

Links are written with the placeholder ``{base}`` (e.g. ``{base}/pages/003/017.html``)
because the server's address is only known when it starts: whatever serves
``out`` replaces ``{base}`` with its own ``http://host:port`` in every file it
sends (:func:`substitute_base` does that; :func:`serve` is such a server).

Pages take their layouts from the test fixtures (tests/fixtures/pages): a
portal with JSON-LD, an old table-built page in windows-1256, WordPress, a
body split by ads, a body made of ``div`` blocks, a Maghrebi site that prints
its date only as text, and a one-line single-page-app page. Each feed keeps
one layout, as a real site does. Paragraphs are made of words drawn from
bench.corpus's vocabulary (seed words, root-and-pattern words, made-up
names), with datelines, read-more boxes, captions, share bars, comments and
cookie banners around them. Some items have no ``pubDate``, so the date must
come from the page. Around the article, each page carries what a real news
page weighs (scripts, inline state, menus, icons, footers:
:mod:`bench.page_weight`), unless ``--light``.

:func:`measure` times trafilatura alone (``trafilatura.extract(html,
with_metadata=True)`` on each page's bytes) and Qari's ``extract_page`` on the
same pages in one process, and each module's import in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.corpus import ROOT, Vocabulary
from bench.page_weight import add_weight, site_scale

BASE_PLACEHOLDER = "{base}"
VOCABULARY_SIZE = 30_000

_PLACES = (
    ("دمشق", "سوريا"),
    ("القاهرة", "مصر"),
    ("بيروت", "لبنان"),
    ("عمان", "الأردن"),
    ("الرباط", "المغرب"),
    ("بغداد", "العراق"),
    ("الرياض", "السعودية"),
    ("تونس", "تونس"),
    ("الدوحة", "قطر"),
    ("غزة", "فلسطين"),
)
_AGENCIES = ("أ ف ب", "رويترز", "أ ب", "د ب أ", "الأناضول", "واس")
_SITES = (
    "الوادي نت",
    "صدى الخليج",
    "مرصد الأخبار",
    "شبكة المدار",
    "أخبار الأطلس",
    "روابي",
    "مرايا",
    "منبر المغرب",
    "الراية",
    "نخبة نيوز",
)
_SECTIONS = ("سياسة", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا", "صحة", "منوعات", "رأي")
_AUTHORS = ("سلمى الحايك", "كريم منصور", "رنا الخطيب", "يوسف الإدريسي", "نور الهدى عاشور", "خالد العمري")
_MONTHS = ("يناير فبراير مارس أبريل مايو يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر").split()
_COOKIE = (
    "نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا وتحليل الزيارات. بمتابعة التصفح فإنك توافق على ذلك."
)
_NEWSLETTER = "اشترك في نشرتنا اليومية لتصلك أهم الأخبار كل صباح."


@dataclass
class Article:
    """What a page and its feed item say."""

    site: str
    section: str
    title: str
    author: str | None
    published: datetime
    lead: str  # the first paragraph, dateline included
    paragraphs: list[str]  # the rest of the body
    related: list[str]
    comments: list[str]
    caption: str
    link: str  # path under {base}


def _sentence(rng: random.Random, vocabulary: Vocabulary, low: int, high: int) -> str:
    words = vocabulary.sample(rng, rng.randint(low, high))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), str(rng.randint(2, 2026)))
    if rng.random() < 0.15 and len(words) > 6:
        at = rng.randrange(len(words) - 3)
        words[at] = "«" + words[at]
        words[at + 2] += "»"
    text = " ".join(words)
    if rng.random() < 0.3:
        cut = rng.randrange(3, len(words) - 2) if len(words) > 6 else 0
        if cut:
            text = " ".join(words[:cut]) + "، " + " ".join(words[cut:])
    return text + "."


def _paragraph(rng: random.Random, vocabulary: Vocabulary) -> str:
    return " ".join(_sentence(rng, vocabulary, 8, 26) for _ in range(rng.randint(1, 3)))


def _headline(rng: random.Random, vocabulary: Vocabulary) -> str:
    return " ".join(vocabulary.sample(rng, rng.randint(5, 11)))


def _dateline(rng: random.Random) -> str:
    place, country = rng.choice(_PLACES)
    agency = rng.choice(_AGENCIES)
    return rng.choice(
        (
            f"{place}، {country} ({agency}) -- ",
            f"{place} ({agency}) - ",
            f"{place} - {agency}: ",
            f"{place}- ",
            f"({agency}) - ",
            "",
        )
    )


def make_article(rng: random.Random, vocabulary: Vocabulary, site: str, link: str, when: datetime) -> Article:
    paragraphs = [_paragraph(rng, vocabulary) for _ in range(rng.randint(5, 15))]
    return Article(
        site=site,
        section=rng.choice(_SECTIONS),
        title=_headline(rng, vocabulary),
        author=rng.choice(_AUTHORS) if rng.random() < 0.7 else None,
        published=when,
        lead=_dateline(rng) + paragraphs[0],
        paragraphs=paragraphs[1:],
        related=[_headline(rng, vocabulary) for _ in range(rng.randint(2, 4))],
        comments=[_paragraph(rng, vocabulary) for _ in range(rng.randint(0, 4))],
        caption=_sentence(rng, vocabulary, 6, 12).rstrip(".") + " (أ ف ب)",
        link=link,
    )


# ---------------------------------------------------------------- layouts


def _e(text: str) -> str:
    return escape(text, quote=True)


def _nav(site: str) -> str:
    items = "".join(f'<li><a href="/{n}">{s}</a></li>' for n, s in enumerate(("الرئيسية", *_SECTIONS)))
    logo = f'<a class="logo" href="/">{_e(site)}</a>'
    return f'<header>{logo}<nav class="main-nav"><ul>{items}</ul></nav></header>'


def _links(titles: Sequence[str]) -> str:
    return "".join(f'<li><a href="/r/{n}">{_e(t)}</a></li>' for n, t in enumerate(titles))


def _comments(comments: Sequence[str]) -> str:
    if not comments:
        return ""
    items = "".join(
        f'<div class="comment"><span class="comment-author">زائر</span><p>{_e(c)}</p></div>' for c in comments
    )
    return f'<section id="comments" class="comments"><h2>التعليقات ({len(comments)})</h2>{items}</section>'


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def _body_ps(article: Article) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in (article.lead, *article.paragraphs))


def portal(article: Article, rng: random.Random) -> str:
    """The JSON-LD portal (wadi_json_ld)."""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": _iso(article.published),
        "author": {"@type": "Person", "name": article.author} if article.author else None,
        "publisher": {"@type": "Organization", "name": article.site},
    }
    body = [f"<p>{_e(p)}</p>" for p in (article.lead, *article.paragraphs)]
    body.insert(
        min(3, len(body)),
        f'<aside class="related-inline"><h3>اقرأ أيضا</h3><ul>{_links(article.related[:2])}</ul></aside>',
    )
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{_e(article.title)} - {_e(article.site)}</title>
<meta property="og:title" content="{_e(article.title)} - {_e(article.site)}">
<meta property="og:site_name" content="{_e(article.site)}">
<link rel="canonical" href="{BASE_PLACEHOLDER}{article.link}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
<style>.cookie-bar{{position:fixed}}</style><script>window.dataLayer=[];</script></head><body>
<div id="cookie-notice" class="cookie-bar"><p>{_COOKIE}</p><button>موافق</button></div>
{_nav(article.site)}
<main><ol class="breadcrumb"><li><a href="/">الرئيسية</a></li><li>{_e(article.section)}</li></ol>
<article><h1>{_e(article.title)}</h1><div class="meta">
<span class="author">{_e(article.author or "")}</span></div>
<figure><img src="/i.jpg" alt=""><figcaption>{_e(article.caption)}</figcaption></figure>
<div class="article-body">{"".join(body)}</div>
<div class="share"><a href="#">فيسبوك</a> <a href="#">واتساب</a> <button>نسخ الرابط</button></div></article>
<section class="related-news"><h2>أخبار ذات صلة</h2><ul>{_links(article.related)}</ul></section>
<section class="newsletter"><h2>النشرة البريدية</h2><p>{_NEWSLETTER}</p></section>
{_comments(article.comments)}</main>
<footer><a href="/privacy">سياسة الخصوصية</a><p>جميع الحقوق محفوظة © {_e(article.site)}</p></footer>
</body></html>"""


def tables_cp1256(article: Article, rng: random.Random) -> str:
    """The old table-built page declared windows-1256 (sada_cp1256)."""
    links = "".join(f'<tr><td><a href="/n/{n}">{_e(t)}</a></td></tr>' for n, t in enumerate(article.related))
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><html dir="rtl"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">
<title>{_e(article.site)} | {_e(article.title)}</title>
<meta property="og:site_name" content="{_e(article.site)}">
<meta property="article:published_time" content="{_iso(article.published)}"></head><body>
<table width="980"><tr><td colspan="2"><a href="/">{_e(article.site)}</a></td></tr>
<tr><td colspan="2"><a href="/">الصفحة الأولى</a> | <a href="/l">محليات</a> | <a href="/e">اقتصاد</a></td>
</tr>
<tr><td width="200" valign="top"><table><tr><td>أخبار متعلقة</td></tr>{links}</table></td>
<td valign="top"><h1>{_e(article.title)}</h1><div class="small"><a href="#">طباعة</a>
| <a href="#">أرسل لصديق</a></div>
<table><tr><td><img src="/i.jpg"><br><span class="small">{_e(article.caption)}</span></td></tr></table>
{_body_ps(article)}<div class="small">عدد القراءات: {rng.randint(100, 9000)}</div></td></tr>
<tr><td colspan="2">جميع الحقوق محفوظة لـ{_e(article.site)}</td></tr></table></body></html>"""


def wordpress(article: Article, rng: random.Random) -> str:
    """WordPress with Jetpack's boxes (rawabi_wordpress)."""
    return f"""<!DOCTYPE html><html dir="rtl" lang="ar"><head><meta charset="UTF-8" />
<title>{_e(article.title)} &#8211; {_e(article.site)}</title>
<meta property="og:site_name" content="{_e(article.site)}" />
<link rel="canonical" href="{BASE_PLACEHOLDER}{article.link}" /></head>
<body class="post-template-default single single-post"><div id="page" class="site">
<header id="masthead" class="site-header"><p class="site-title"><a href="/">{_e(article.site)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul>{_links(_SECTIONS)}</ul></nav></header>
<main id="primary" class="site-main"><article class="post type-post status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{_e(article.title)}</h1>
<div class="entry-meta">
<span class="posted-on">نشر في <time class="entry-date published" datetime="{_iso(article.published)}">
{article.published.day} {_MONTHS[article.published.month - 1]} {article.published.year}</time></span>
<span class="byline"> بواسطة <span class="author vcard">
<a class="url fn n" href="/a/">{_e(article.author or "المحرر")}</a></span></span></div></header>
<div class="entry-content">{_body_ps(article)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">شارك هذا:</h3><ul><li>
<a href="#">انقر للمشاركة على فيسبوك</a></li></ul></div>
<div id="jp-relatedposts" class="jp-relatedposts">
<h3>ذات صلة</h3>{"".join(f"<p><a href='/p'>{_e(t)}</a></p>" for t in article.related)}</div>
</div></article>
<div id="comments" class="comments-area">{_comments(article.comments)}<h3>اترك تعليقاً</h3><form><textarea>
</textarea></form></div>
</main><footer class="site-footer">جميع الحقوق محفوظة © {_e(article.site)}</footer></div>
<div id="cookie-law-info-bar"><span>{_COOKIE}</span></div></body></html>"""


def split_ads(article: Article, rng: random.Random) -> str:
    """A body split by ads and inline links (marsad_split_ads)."""
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": article.site},
            {"@type": "NewsArticle", "headline": article.title, "datePublished": _iso(article.published)},
        ],
    }
    body = [article.lead, *article.paragraphs]
    parts = []
    for start in range(0, len(body), 3):
        chunk = "".join(f"<p>{_e(p)}</p>" for p in body[start : start + 3])
        link = f'<p class="inline-related">اقرأ أيضا: <a href="/x">{_e(rng.choice(article.related))}</a></p>'
        parts.append(
            f'<div class="body-part">{chunk}{link}</div><div class="ad ad-inarticle"><span>إعلان</span></div>'
        )
    return f"""<!doctype html><html lang="ar" dir="rtl"><head><meta charset="UTF-8">
<title>{_e(article.title)} | {_e(article.site)}</title>
<meta property="og:title" content="{_e(article.title)}">
<meta property="og:site_name" content="{_e(article.site)}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script></head><body>
<div class="consent-overlay"><p>نحن وشركاؤنا نخزن معلومات على جهازك لعرض إعلانات مخصصة.</p>
<button>قبول الكل</button></div>
{_nav(article.site)}<main><article><h1>{_e(article.title)}</h1>
<div class="byline">بقلم <a rel="author" href="/a">{_e(article.author or "المحرر")}</a></div>
{"".join(parts)}<div class="share-bar"><a href="#">شارك على فيسبوك</a></div></article>
<section class="recommended"><h2>قد يهمك أيضا</h2><ul>{_links(article.related)}</ul></section>
<div class="newsletter-signup"><p>{_NEWSLETTER}</p></div></main>
<footer><p>© {_e(article.site)}. جميع الحقوق محفوظة.</p></footer></body></html>"""


def div_blocks(article: Article, rng: random.Random) -> str:
    """A body made of div blocks (madar_agency_parens)."""
    blocks = "".join(
        f'<div class="zn-body__paragraph">{_e(p)}</div>' for p in (article.lead, *article.paragraphs)
    )
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{_e(article.title)} | {_e(article.site)}</title>
<meta name="author" content="{_e(article.author or "")}">
<meta property="og:site_name" content="{_e(article.site)}">
<meta property="article:published_time" content="{_iso(article.published)}"></head><body>
<div class="nav"><ul class="nav__menu">{_links(_SECTIONS)}</ul></div>
<div class="l-container"><h1>{_e(article.title)}</h1>
<div class="video-box"><div class="media__caption">{_e(article.caption)}</div></div>
<section class="zn-body-text">{blocks}</section>
<div class="share-bar"><span>انشر على</span><a href="#">فيسبوك</a></div>
<div class="zn-most-popular"><h2>الأكثر مشاهدة</h2><ul>{_links(article.related)}</ul></div></div>
<footer class="footer"><p>© {_e(article.site)}. جميع الحقوق محفوظة.</p></footer></body></html>"""


def visible_date(article: Article, rng: random.Random) -> str:
    """A Maghrebi site printing its date only as text (atlas_visible_date)."""
    when = article.published
    date = f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
    related = "".join(f"<div class='item'><a href='/p'>{_e(t)}</a></div>" for t in article.related)
    return f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{_e(article.title)} | {_e(article.site)}</title></head><body>
<div class="topline"><span class="date-today">الخميس 3 ديسمبر 2026</span></div>
<div id="header"><a href="/">{_e(article.site)}</a><ul id="menu">{_links(_SECTIONS)}</ul></div>
<div id="content"><div class="post"><h1 class="post-title">{_e(article.title)}</h1>
<div class="post-info"><span class="writer">بقلم: {_e(article.author or "المحرر")}</span>
<span class="pub">نشر في {date}</span></div>
<div class="post-img"><img src="/i.jpg"><p class="caption">{_e(article.caption)}</p></div>
<div class="post-content">{_body_ps(article)}</div>
<div class="post-share"><b>شارك المقال</b> <a href="#">فيسبوك</a></div>
<div class="post-related"><h3>مقالات مشابهة</h3>{related}</div>
{_comments(article.comments)}</div></div><div id="footer">{_e(article.site)} © {when.year}</div></body>
</html>"""


def single_page_app(article: Article, rng: random.Random) -> str:
    """A one-line page rendered by a JavaScript framework (maraya_next_app)."""
    body = [f"<p>{_e(p)}</p>" for p in (article.lead, *article.paragraphs)]
    body.insert(min(2, len(body)), '<div class="InlineAd_ad__l4"><span>إعلان</span></div>')
    data = json.dumps({"props": {"pageProps": {"article": {"title": article.title}}}}, ensure_ascii=False)
    sections = "".join(f"<a href=/s>{section}</a>" for section in _SECTIONS)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charSet="utf-8"/><title>{_e(article.title)} - '
        f'{_e(article.site)}</title><meta property="og:site_name" content="{_e(article.site)}"/>'
        f'<meta name="publish-date" content="{_iso(article.published)}"/></head><body><div id="__next">'
        f"<header><a href='/'>{_e(article.site)}</a><nav>{sections}</nav>"
        f"</header><main><h1>{_e(article.title)}</h1>"
        f'<div class="ArticleBody_body__k3">{"".join(body)}</div>'
        f'<div class="Share_share__o7"><button>مشاركة</button></div><section class="MoreStories_more__p8">'
        f"{''.join(f'<a href=/m><h3>{_e(t)}</h3></a>' for t in article.related)}</section></main>"
        f'<div class="CookieDialog_dialog__s1" role="dialog"><p>{_COOKIE}</p></div></div>'
        f'<script id="__NEXT_DATA__" type="application/json">{data}</script></body></html>'
    )


#: Layout name -> (template, encoding of the page's bytes).
LAYOUTS: dict[str, tuple[Callable[[Article, random.Random], str], str]] = {
    "portal": (portal, "utf-8"),
    "tables_cp1256": (tables_cp1256, "cp1256"),
    "wordpress": (wordpress, "utf-8"),
    "split_ads": (split_ads, "utf-8"),
    "div_blocks": (div_blocks, "utf-8"),
    "visible_date": (visible_date, "utf-8"),
    "single_page_app": (single_page_app, "utf-8"),
}


# ---------------------------------------------------------------- feeds


def _rss(site: str, link: str, items: list[tuple[Article, bool]]) -> str:
    entries = []
    for article, with_date in items:
        teaser = article.lead.split(". ")[0].rstrip(".") + "…"
        date = f"<pubDate>{format_datetime(article.published)}</pubDate>" if with_date else ""
        entries.append(
            f"<item><title>{_e(article.title)}</title><link>{BASE_PLACEHOLDER}{article.link}</link>"
            f'<guid isPermaLink="true">{BASE_PLACEHOLDER}{article.link}</guid>'
            f"<description>{_e(teaser)}</description>{date}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{_e(site)}</title><link>{BASE_PLACEHOLDER}{link}</link>"
        f"<description>{_e(site)}: آخر الأخبار</description><language>ar</language>"
        f"{''.join(entries)}</channel></rss>\n"
    )


def generate_site(out: Path, feeds: int, entries: int, seed: int, *, weight: bool = True) -> Path:
    """Write ``feeds`` RSS feeds of ``entries`` teasers each and their pages under
    ``out`` (see the module docstring); return ``out``. Same arguments, same bytes.
    ``weight``: each page carries a real page's furniture (:mod:`bench.page_weight`)."""
    rng = random.Random(seed)
    vocabulary = Vocabulary(random.Random(seed), VOCABULARY_SIZE)
    layouts = list(LAYOUTS)
    start = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    (out / "feeds").mkdir(parents=True, exist_ok=True)
    for feed in range(1, feeds + 1):
        site = f"{_SITES[(feed - 1) % len(_SITES)]} {feed}" if feeds > len(_SITES) else _SITES[feed - 1]
        template, encoding = LAYOUTS[layouts[(feed - 1) % len(layouts)]]
        folder = out / "pages" / f"{feed:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        items: list[tuple[Article, bool]] = []
        for entry in range(1, entries + 1):
            when = start - timedelta(minutes=rng.randint(5, 600) * entry)
            link = f"/pages/{feed:03d}/{entry:03d}.html"
            article = make_article(rng, vocabulary, site, link, when)
            html = template(article, rng)
            if weight:
                html = add_weight(html, random.Random(f"{seed}-{feed}-{entry}"), site_scale(feed))
            (folder / f"{entry:03d}.html").write_bytes(html.encode(encoding, errors="xmlcharrefreplace"))
            items.append((article, rng.random() < 0.8))
        (out / "feeds" / f"{feed:03d}.xml").write_text(
            _rss(site, f"/pages/{feed:03d}/", items), encoding="utf-8"
        )
    return out


def substitute_base(data: bytes, base: str) -> bytes:
    """A generated file's bytes as served from ``base`` (``http://host:port``)."""
    return data.replace(BASE_PLACEHOLDER.encode("ascii"), base.rstrip("/").encode("ascii"))


def serve(out: Path, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A threading HTTP server for ``out`` that fills in ``{base}``; start it with
    ``serve_forever()`` in a thread and stop it with ``shutdown()``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = (out / self.path.split("?", 1)[0].lstrip("/")).resolve()
            if not path.is_file() or out.resolve() not in path.parents:
                self.send_error(404)
                return
            base = "http://" + (self.headers.get("Host") or host)  # the address the client used
            body = substitute_base(path.read_bytes(), base)
            kind = "application/rss+xml" if path.suffix == ".xml" else "text/html"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


# ---------------------------------------------------------------- measuring


def pages_of(out: Path, count: int) -> list[Path]:
    """``count`` pages spread over all feeds (so every layout is in)."""
    feeds = sorted((out / "pages").iterdir())
    per_feed = [sorted(folder.glob("*.html")) for folder in feeds]
    chosen: list[Path] = []
    depth = 0
    while len(chosen) < count and any(depth < len(pages) for pages in per_feed):
        for pages in per_feed:
            if depth < len(pages) and len(chosen) < count:
                chosen.append(pages[depth])
        depth += 1
    return chosen


def import_seconds(module: str, repeats: int = 3) -> float:
    """Best time to import ``module`` in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    times = []
    for _ in range(repeats):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        times.append(float(result.stdout.strip()))
    return min(times)


def _timed(function: Callable[[bytes], object], documents: list[bytes]) -> dict[str, float]:
    started = time.perf_counter()
    function(documents[0])  # the first call loads what the extractors load lazily
    first = time.perf_counter() - started
    each = []
    started = time.perf_counter()
    for document in documents:
        t = time.perf_counter()
        function(document)
        each.append(time.perf_counter() - t)
    total = time.perf_counter() - started
    ordered = sorted(each)
    return {
        "pages": len(documents),
        "pages_per_s": round(len(documents) / total, 1),
        "mean_ms": round(statistics.fmean(each) * 1000, 2),
        "p50_ms": round(ordered[len(ordered) // 2] * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 2),
        "first_call_ms": round(first * 1000, 1),
    }


def measure(out: Path, count: int, base: str = "http://127.0.0.1:8000") -> dict[str, object]:
    """Single-process extraction rates on ``count`` pages: trafilatura alone and
    ``extract_page``, side by side, with import times."""
    import trafilatura

    from store.web.extract import extract_page

    documents = [substitute_base(path.read_bytes(), base) for path in pages_of(out, count)]
    bare = _timed(lambda data: trafilatura.extract(data, with_metadata=True), documents)
    ours = _timed(lambda data: extract_page(data), documents)
    return {
        "trafilatura": bare,
        "extract_page": ours,
        "ratio_time": round(ours["mean_ms"] / bare["mean_ms"], 2) if bare["mean_ms"] else None,
        "import_s": {
            "trafilatura": round(import_seconds("trafilatura"), 3),
            "readability": round(import_seconds("readability"), 3),
            "store.web.extract": round(import_seconds("store.web.extract"), 3),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=40)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "site")
    parser.add_argument("--light", action="store_true", help="pages without a real page's furniture")
    parser.add_argument("--measure", type=int, default=0, help="time extraction on this many pages")
    parser.add_argument("--serve", type=int, default=None, metavar="PORT", help="serve the site on 127.0.0.1")
    args = parser.parse_args(argv)
    if not (args.out / "feeds").is_dir():
        started = time.perf_counter()
        generate_site(args.out, args.feeds, args.entries, args.seed, weight=not args.light)
        print(
            f"generated {args.feeds * args.entries} pages in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    if args.measure:
        print(json.dumps(measure(args.out, args.measure), indent=2))
    if args.serve is not None:
        server = serve(args.out, port=args.serve)
        print(f"serving {args.out} on http://127.0.0.1:{server.server_address[1]}", file=sys.stderr)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
