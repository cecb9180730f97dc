"""sitemap.xml (every public list and item page in both languages) and robots.txt."""
from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree as ET

from flask import url_for

from ..content.models import ContentMixin
from ..formatting import iso_datetime
from ..i18n import LANGS, lurl
from ..public.pages import item_url
from .selection import KINDS, all_rows, item_updated

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
PAGES = ("public.home", "public.warnings", "public.guides", "public.sanctions", "public.about")
LIST_KINDS = {"public.warnings": "warnings", "public.guides": "articles", "public.sanctions": "sanctions"}


def _alternates(items: list[ContentMixin]) -> dict[int, dict[str, str]]:
    """Each public item's URL in each language: its public translation there, else the item itself.

    The same rule as the item pages' `item_alternates`, worked out for all items at once.
    """
    versions: dict[int, dict[str, ContentMixin]] = {}  # original's id -> {lang: public version}
    for item in items:
        versions.setdefault(item.translation_of_id or item.id, {}).setdefault(item.lang, item)
    return {item.id: {lang: item_url(versions[item.translation_of_id or item.id].get(lang, item), lang=lang,
                                     external=True) for lang in LANGS}
            for item in items}


def _groups(now: datetime) -> dict[tuple[tuple[str, str], ...], datetime | None]:
    """Each page as its set of language URLs, with when it last changed."""
    groups: dict[tuple[tuple[str, str], ...], datetime | None] = {}
    newest: dict[str, datetime] = {}
    for kind in KINDS.values():
        items = all_rows(kind.query(None, now))
        alternates = _alternates(items)
        for item in items:
            changed = item_updated(item)
            newest[kind.name] = max(newest.get(kind.name, changed), changed)
            key = tuple(sorted(alternates[item.id].items()))
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
