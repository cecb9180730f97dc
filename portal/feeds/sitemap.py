"""sitemap.xml (every public list and item page in both languages) and robots.txt."""
from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from flask import url_for

from ..formatting import iso_datetime
from ..i18n import LANGS, lurl
from ..public.pages import item_alternates
from .selection import KINDS, all_rows, item_updated

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
PAGES = ("public.home", "public.warnings", "public.guides", "public.sanctions", "public.about")
LIST_KINDS = {"public.warnings": "warnings", "public.guides": "articles", "public.sanctions": "sanctions"}


def _groups(now: datetime) -> dict[tuple[tuple[str, str], ...], datetime | None]:
    """Each page as its set of language URLs, with when it last changed."""
    groups: dict[tuple[tuple[str, str], ...], datetime | None] = {}
    newest: dict[str, datetime] = {}
    for kind in KINDS.values():
        for item in all_rows(kind.query(None, now)):
            changed = item_updated(item)
            newest[kind.name] = max(newest.get(kind.name, changed), changed)
            key = tuple(sorted(item_alternates(item, now).items()))
            groups[key] = max(groups.get(key) or changed, changed)
    overall = max(newest.values(), default=None)
    for endpoint in PAGES:
        key = tuple((lang, lurl(endpoint, lang=lang, _external=True)) for lang in LANGS)
        groups[key] = newest.get(LIST_KINDS.get(endpoint, ""), overall) if endpoint != "public.about" else None
    return groups


def sitemap_xml(now: datetime) -> bytes:
    """The sitemap: one <url> per page and language, with hreflang alternates and lastmod."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    seen: set[str] = set()
    for alternates, changed in _groups(now).items():
        for _, loc in alternates:
            if loc in seen:
                continue
            seen.add(loc)
            url = ET.SubElement(root, f"{{{SITEMAP_NS}}}url")
            ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc
            if changed is not None:
                ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = iso_datetime(changed)
            for lang, href in alternates:
                ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang, href=href)
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang="x-default",
                          href=dict(alternates)["vi"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def robots_txt() -> str:
    """Crawl everything public; keep out of the editors' area; point to the sitemap."""
    return "\n".join((
        "User-agent: *",
        "Disallow: /admin",
        "",
        f"Sitemap: {url_for('feeds.sitemap', _external=True)}",
        "",
    ))
