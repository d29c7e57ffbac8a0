"""Share previews, robots.txt and the sitemap: what crawlers and link unfurlers read.

The built `index.html` is read once per process (again only when the file changes) and
split at `</head>`; a page's tags go in there, every value HTML-escaped. Its own `<title>`
and description are dropped, so a page never has two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from urllib.parse import quote, urljoin
from xml.sax.saxutils import escape as xml_escape

SITE_NAME = "Digis"
DEFAULT_DESCRIPTION = "Follow creators, see their photos first, and support them with tips."
HOME_TITLE = "Digis: support the creators you love"
DESCRIPTION_MAX = 200

_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_OWN_TAGS = re.compile(
    r"<title\b[^>]*>.*?</title\s*>"
    r"|<meta\b[^>]*\bname\s*=\s*[\"']?description[\"']?[^>]*>"
    r"|<meta\b[^>]*\bproperty\s*=\s*[\"']?og:[^>]*>"
    r"|<meta\b[^>]*\bname\s*=\s*[\"']?twitter:[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_WHITESPACE = re.compile(r"\s+")
_DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class IndexPage:
    """The built index.html, split where a page's head tags go."""

    original: str  # the file as built
    head: str  # up to (not including) `</head>`, without the app's own title/description
    rest: str  # from `</head>` on

    def with_tags(self, tags: str) -> str:
        return f"{self.head}{tags}\n  {self.rest}"


_cache: dict[Path, tuple[int, IndexPage]] = {}


def index_page(path: Path) -> IndexPage:
    """The parsed index.html at `path`, cached per process until the file changes."""
    mtime = path.stat().st_mtime_ns
    cached = _cache.get(path)
    if cached is not None and cached[0] == mtime:
        return cached[1]
    text = path.read_text(encoding="utf-8")
    match = _HEAD_END.search(text)
    if match is None:  # no head element: after the doctype, where browsers infer one
        doctype = _DOCTYPE.match(text)
        split = doctype.end() if doctype else 0
        rest = _OWN_TAGS.sub("", text[split:])
        page = IndexPage(original=text, head=text[:split], rest=rest)
    else:
        head = _OWN_TAGS.sub("", text[: match.start()])
        head = re.sub(r"\n\s*\n", "\n", head).rstrip() + "\n    "
        page = IndexPage(original=text, head=head, rest=text[match.start() :])
    _cache[path] = (mtime, page)
    return page


@dataclass(frozen=True)
class ShareCard:
    title: str
    description: str
    url: str
    type: str = "website"
    image: str | None = None


def head_tags(card: ShareCard) -> str:
    """`<title>`, the description, OpenGraph and Twitter card tags; every value escaped."""

    def meta(attribute: str, name: str, value: str) -> str:
        return f'<meta {attribute}="{name}" content="{escape(value, quote=True)}" />'

    tags = [
        f"<title>{escape(card.title, quote=True)}</title>",
        meta("name", "description", card.description),
        f'<link rel="canonical" href="{escape(card.url, quote=True)}" />',
        meta("property", "og:site_name", SITE_NAME),
        meta("property", "og:type", card.type),
        meta("property", "og:title", card.title),
        meta("property", "og:description", card.description),
        meta("property", "og:url", card.url),
    ]
    if card.image:
        tags.append(meta("property", "og:image", card.image))
    tags += [
        meta("name", "twitter:card", "summary"),
        meta("name", "twitter:title", card.title),
        meta("name", "twitter:description", card.description),
    ]
    if card.image:
        tags.append(meta("name", "twitter:image", card.image))
    return "\n    ".join(tags)


def absolute(base: str, url: str) -> str:
    """`url` as an absolute URL: kept if it is one (a CDN's), else resolved on `base`."""
    if url.startswith(("https://", "http://")):
        return url
    return urljoin(base.rstrip("/") + "/", url.lstrip("/"))


def summary(text: str, default: str = DEFAULT_DESCRIPTION) -> str:
    """A one-line description of at most DESCRIPTION_MAX characters."""
    line = _WHITESPACE.sub(" ", text).strip()
    if not line:
        return default
    if len(line) <= DESCRIPTION_MAX:
        return line
    return line[: DESCRIPTION_MAX - 1].rstrip() + "…"


def home_card(base: str) -> ShareCard:
    return ShareCard(title=HOME_TITLE, description=DEFAULT_DESCRIPTION, url=absolute(base, "/"))


def creator_path(handle: str) -> str:
    return f"/creators/{quote(handle)}"


def creator_card(
    base: str, *, handle: str, display_name: str, bio: str, avatar_url: str | None
) -> ShareCard:
    return ShareCard(
        title=f"{display_name} (@{handle}) on {SITE_NAME}",
        description=summary(bio, f"{display_name} shares photos on {SITE_NAME}."),
        url=absolute(base, creator_path(handle)),
        type="profile",
        image=absolute(base, avatar_url) if avatar_url else None,
    )


def robots_txt(base: str) -> str:
    return (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /api/\n"
        "Disallow: /media/protected/\n"
        f"Sitemap: {absolute(base, '/sitemap.xml')}\n"
    )


SITEMAP_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
)
SITEMAP_END = "</urlset>\n"


def sitemap_url(location: str, lastmod: datetime | None) -> str:
    changed = f"<lastmod>{w3c_datetime(lastmod)}</lastmod>" if lastmod is not None else ""
    return f"<url><loc>{xml_escape(location)}</loc>{changed}</url>\n"


def w3c_datetime(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
