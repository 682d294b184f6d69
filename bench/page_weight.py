"""What a real news page carries around its article: the weight of :mod:`bench.pages`.

A news site's article page today is mostly not its article: the HTML of an
Arabic portal's story commonly runs from 100 KB to 400 KB, of which the story
itself is a few KB. The rest is furniture, and every extractor must parse it
and walk past it:

- the ``<head>``: dozens of meta tags, preloads and icons, inline CSS;
- inline scripts: analytics, consent and ad loaders, a framework's runtime;
- a framework's state as inline JSON (``__NEXT_DATA__``, ``window.__STATE__``)
  repeating the headlines of the section;
- inline SVG icons (logo, social networks, arrows);
- a mega-menu of sections and subsections, a "most read" sidebar with
  pictures, a footer of link columns.

:func:`add_weight` adds that furniture to a generated page, deterministically
and per site (each site keeps its own weight, from light to heavy, as real
sites do), without touching the article, so what an extractor must find is
unchanged. ``python -m bench.refresh --light`` leaves it out: then fixed
per-page costs (fetching, storing) dominate instead.
"""

from __future__ import annotations

import json
import random
import re
from html import escape

_BODY_RE = re.compile(r"<body[^>]*>", re.IGNORECASE)

_WORDS = (
    "الأخبار العالم الاقتصاد الرياضة الثقافة الصحة التكنولوجيا المنوعات الرأي السياسة المحلية الدولية "
    "فيديو صور بودكاست تقارير تحقيقات مقابلات حوارات ملفات خاصة البث المباشر الطقس الأسواق العملات "
    "كرة القدم الدوري الأبطال السيارات السفر المطبخ المرأة الشباب الجامعات الوظائف العقارات البورصة"
).split()
_NETWORKS = ("facebook", "x", "whatsapp", "telegram", "youtube", "instagram", "tiktok", "linkedin")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(low, high)))


def _head(rng: random.Random, scale: float) -> str:
    parts = [
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="robots" content="index, follow, max-image-preview:large">',
        '<link rel="icon" href="/favicon.ico"><link rel="manifest" href="/manifest.json">',
    ]
    for n in range(int(30 * scale)):
        kind = rng.choice(("script", "style", "font", "image"))
        name = f"{n:03d}.{rng.randrange(16**8):08x}"
        parts.append(f'<link rel="preload" href="/static/{kind}/{name}" as="{kind}">')
    parts.append(f'<meta name="keywords" content="{escape(_words(rng, 10, 20))}">')
    rules = "".join(
        f".c{n}{{margin:{n % 9}px;padding:{n % 7}px {n % 5}px;color:#{rng.randrange(16**6):06x};"
        f"font:{12 + n % 6}px/1.{n % 9} sans-serif}}"
        for n in range(int(350 * scale))
    )
    parts.append(f"<style>{rules}</style>")
    return "".join(parts)


def _script(rng: random.Random, scale: float, name: str) -> str:
    functions = "".join(
        f"function {name}{n}(a,b){{var k='{rng.randrange(16**12):012x}';if(a&&a.{name}{n % 13})"
        f"{{return a.push([b,k,{n}])}}return window.dataLayer.push({{event:'{name}_{n}',v:b}})}}"
        for n in range(int(450 * scale))
    )
    return f"<script>window.dataLayer=window.dataLayer||[];{functions}</script>"


def _state(rng: random.Random, scale: float) -> str:
    items = [
        {
            "id": rng.randrange(10**7),
            "title": _words(rng, 6, 12),
            "url": f"/news/{rng.randrange(10**7)}",
            "image": {"src": f"/images/{rng.randrange(16**10):010x}.jpg", "width": 1200, "height": 675},
            "section": rng.choice(_WORDS),
        }
        for _ in range(int(160 * scale))
    ]
    data = json.dumps({"props": {"pageProps": {"section": items}}, "buildId": "b1"}, ensure_ascii=False)
    return f'<script id="__STATE__" type="application/json">{data}</script>'


def _icons(rng: random.Random, scale: float) -> str:
    icons = []
    for n in range(int(24 * scale)):
        points = " ".join(f"L{rng.randrange(24)} {rng.randrange(24)}" for _ in range(18))
        head = f'<svg class="icon icon-{n}" viewBox="0 0 24 24" aria-hidden="true">'
        icons.append(f'{head}<path d="M0 0{points}Z"/></svg>')
    return "".join(icons)


def _menu(rng: random.Random, scale: float) -> str:
    sections = []
    for n in range(int(14 * scale) + 4):
        count = rng.randint(4, 10)
        links = "".join(
            f'<li><a href="/s/{n}/{m}">{escape(_words(rng, 1, 3))}</a></li>' for m in range(count)
        )
        name = escape(_words(rng, 1, 2))
        sections.append(f'<li class="menu-item"><a href="/s/{n}">{name}</a><ul>{links}</ul></li>')
    networks = "".join(f'<a href="https://{n}.example/site" aria-label="{n}"></a>' for n in _NETWORKS)
    menu = f'<nav aria-label="sections"><ul>{"".join(sections)}</ul></nav>'
    return f'<div class="mega-menu">{menu}{networks}</div>'


def _sidebar(rng: random.Random, scale: float) -> str:
    items = "".join(
        f'<li><a href="/news/{rng.randrange(10**7)}"><img src="/images/{n}.jpg" alt="" loading="lazy">'
        f"<span>{escape(_words(rng, 6, 12))}</span></a></li>"
        for n in range(int(8 * scale) + 3)
    )
    return f'<aside class="sidebar most-read"><h3>الأكثر قراءة</h3><ol>{items}</ol></aside>'


def _footer(rng: random.Random, scale: float) -> str:
    columns = "".join(
        f"<div class='footer-col'><h4>{escape(_words(rng, 1, 2))}</h4><ul>"
        + "".join(f'<li><a href="/f/{n}/{m}">{escape(_words(rng, 1, 3))}</a></li>' for m in range(10))
        + "</ul></div>"
        for n in range(int(5 * scale) + 2)
    )
    return f'<div class="site-footer-links" role="contentinfo">{columns}</div>'


def site_scale(site: int) -> float:
    """How heavy a site's pages are (0.5 to 1.6): a site keeps its weight."""
    return random.Random(f"weight-{site}").uniform(0.5, 1.6)


def add_weight(html: str, rng: random.Random, scale: float) -> str:
    """``html`` with a real page's furniture around its article (see the module
    docstring); ``scale`` sets how heavy (1.0 gives about 200 KB)."""
    head = _head(rng, scale) + _script(rng, scale * 0.5, "cmp")
    top = _icons(rng, scale) + _menu(rng, scale)
    bottom = _sidebar(rng, scale) + _footer(rng, scale) + _state(rng, scale) + _script(rng, scale, "ads")
    if "</head>" in html:
        html = html.replace("</head>", head + "</head>", 1)
    match = _BODY_RE.search(html)
    if match:
        html = html[: match.end()] + top + html[match.end() :]
    if "</body>" in html:
        html = html.replace("</body>", bottom + "</body>", 1)
    return html
