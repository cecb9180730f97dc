"""The sitemap (sitemaps.org): an index at /sitemap.xml, files of at most 50,000 URLs, robots.txt.

- `/sitemaps/pages.xml`: home, the lists and the about page, in both languages;
- `/sitemaps/<kind>-<n>.xml`: the public items of one kind whose id falls in block ``n``
  (``ITEMS_PER_FILE`` ids a block). An item gives at most one URL per language (its own, and
  its own under the other language's path when it has no public translation there), so a
  file holds at most ``ITEMS_PER_FILE × len(LANGS) = 50,000`` URLs.

Every ``<url>`` carries its hreflang alternates (the item in each language: its public
translation there, else the item itself) and ``lastmod`` (the newest change of the item and
its translations). A file is streamed row by row from one range query; the index needs one
aggregate per kind and is kept per content generation, so it is built once per public change.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime
from typing import Iterator
from xml.sax.saxutils import escape, quoteattr

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import aliased
from sqlalchemy.sql.util import ClauseAdapter

from ..content import queries
from ..content.models import ContentMixin
from ..extensions import db
from ..formatting import iso_datetime
from ..i18n import LANGS, lurl
from ..public.pages import ITEM_ENDPOINTS
from .selection import KINDS, last_change

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs (and 50 MB) a file
ITEMS_PER_FILE = MAX_URLS // len(LANGS)
PAGES = ("public.home", "public.warnings", "public.guides", "public.sanctions", "public.about")
LIST_KINDS = {"public.warnings": "warnings", "public.guides": "articles", "public.sanctions": "sanctions"}
BATCH = 1000  # rows fetched at a time while streaming a file
_index_cache: dict[tuple, "Summary"] = {}


@dataclass(frozen=True)
class Summary:
    """Per kind: each non-empty block of ids with its newest change."""

    blocks: dict[str, dict[int, datetime]]

    def newest(self, kind: str | None = None) -> datetime | None:
        kinds = [kind] if kind else list(self.blocks)
        moments = [moment for name in kinds for moment in self.blocks.get(name, {}).values()]
        return max(moments, default=None)


def _public_on(alias, model: type[ContentMixin], now: datetime) -> sa.ColumnElement[bool]:
    """The public rule of ``model`` rewritten onto ``alias``."""
    return ClauseAdapter(sa.inspect(alias).selectable).traverse(queries.public_clause(model, now))


def _with_translations(model: type[ContentMixin], now: datetime, columns) -> sa.Select:
    """Public items of ``model``, each joined to its public versions in the other languages.

    ``columns(item, other)`` gives what to select; rows come in item id order.
    """
    other = aliased(model)
    same_family = sa.or_(
        other.id == model.translation_of_id,
        other.translation_of_id == model.id,
        sa.and_(model.translation_of_id.is_not(None), other.translation_of_id == model.translation_of_id),
    )
    return (sa.select(*columns(model, other))
            .where(queries.public_clause(model, now))
            .outerjoin(other, sa.and_(same_family, other.lang != model.lang, _public_on(other, model, now)))
            .order_by(model.id, other.id))


def summary(now: datetime, generation_key: str) -> Summary:
    """The non-empty blocks of every kind and their newest change, kept per content generation."""
    key = (db.engine.url.render_as_string(), generation_key, ITEMS_PER_FILE)
    if key not in _index_cache:
        blocks: dict[str, dict[int, datetime]] = {}
        for kind in KINDS.values():
            query = _with_translations(kind.model, now, lambda item, other: (
                (item.id // ITEMS_PER_FILE).label("block"),
                sa.func.max(last_change(item)), sa.func.max(last_change(other))))
            rows = db.session.execute(query.order_by(None).group_by("block").order_by("block")).all()
            blocks[kind.name] = {block: max(m for m in (mine, theirs) if m is not None)
                                 for block, mine, theirs in rows}
        _index_cache.clear()  # one generation at a time
        _index_cache[key] = Summary(blocks)
    return _index_cache[key]


def index_xml(now: datetime, generation_key: str) -> str:
    """The sitemap index: the pages file and every non-empty block file, with lastmod."""
    found = summary(now, generation_key)
    entries = [(url_for("feeds.sitemap_pages", _external=True), found.newest())]
    for kind, blocks in found.blocks.items():
        for block, newest in blocks.items():
            entries.append((url_for("feeds.sitemap_file", kind=kind, number=block, _external=True), newest))
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for loc, newest in entries:
        lastmod = f"<lastmod>{iso_datetime(newest)}</lastmod>" if newest else ""
        lines.append(f"<sitemap><loc>{escape(loc)}</loc>{lastmod}</sitemap>")
    lines.append("</sitemapindex>\n")
    return "\n".join(lines)


def _url_entry(loc: str, alternates: dict[str, str], changed: datetime | None) -> str:
    parts = [f"<url><loc>{escape(loc)}</loc>"]
    if changed is not None:
        parts.append(f"<lastmod>{iso_datetime(changed)}</lastmod>")
    for lang, href in [*alternates.items(), ("x-default", alternates["vi"])]:
        parts.append(f'<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(href)}/>')
    parts.append("</url>\n")
    return "".join(parts)


def _head() -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">\n')


def pages_xml(now: datetime, generation_key: str) -> str:
    """The file of fixed pages: home, lists, about, each in both languages."""
    found = summary(now, generation_key)
    out = [_head()]
    for endpoint in PAGES:
        alternates = {lang: lurl(endpoint, lang=lang, _external=True) for lang in LANGS}
        changed = None if endpoint == "public.about" else found.newest(LIST_KINDS.get(endpoint))
        out.extend(_url_entry(alternates[lang], alternates, changed) for lang in LANGS)
    out.append("</urlset>\n")
    return "".join(out)


def _url_builders(kind: str) -> dict[str, tuple[str, str]]:
    """Per language, the item URL around its slug (slugs are [a-z0-9-], safe in a URL as they are)."""
    endpoint = ITEM_ENDPOINTS[KINDS[kind].model.item_type]
    out = {}
    for lang in LANGS:
        prefix, _, suffix = lurl(endpoint, lang=lang, slug="SLUG", _external=True).partition("SLUG")
        out[lang] = (prefix, suffix)
    return out


def file_xml(kind: str, number: int, now: datetime) -> Iterator[str] | None:
    """A block file streamed a batch of URLs at a time, or None when the block has no public item."""
    model = KINDS[kind].model
    low, high = number * ITEMS_PER_FILE, (number + 1) * ITEMS_PER_FILE
    query = _with_translations(model, now, lambda item, other: (
        item.id, item.slug, item.lang, last_change(item), other.slug, other.lang, last_change(other)))
    rows = db.session.execute(query.where(model.id >= low, model.id < high).execution_options(yield_per=BATCH))
    items = _grouped(rows)
    head = next(items, None)
    if head is None:
        rows.close()
        return None
    return _stream(kind, itertools.chain([head], items))


def _grouped(rows) -> Iterator[tuple]:
    """Rows of one item (one per public translation) folded into (id, slug, lang, changed, {lang: slug})."""
    current = None
    for item_id, slug, lang, changed, other_slug, other_lang, other_changed in rows:
        if current is None or current[0] != item_id:
            if current is not None:
                yield current
            current = (item_id, slug, lang, changed, {})
        if other_slug is not None and other_lang not in current[4]:
            current[4][other_lang] = other_slug
            if other_changed is not None and other_changed > current[3]:
                current = (*current[:3], other_changed, current[4])
    if current is not None:
        yield current


def _stream(kind: str, items: Iterator[tuple]) -> Iterator[str]:
    builders = _url_builders(kind)

    def url(lang: str, slug: str) -> str:
        prefix, suffix = builders[lang]
        return prefix + slug + suffix

    yield _head()
    batch: list[str] = []
    for _item_id, slug, lang, changed, others in items:
        alternates = {name: url(name, slug if name == lang else others.get(name, slug)) for name in LANGS}
        for name in LANGS:
            if name == lang or name not in others:  # a translation's URL is given by that translation
                batch.append(_url_entry(alternates[name], alternates, changed))
        if len(batch) >= BATCH:
            yield "".join(batch)
            batch = []
    batch.append("</urlset>\n")
    yield "".join(batch)


def robots_txt() -> str:
    """Crawl everything public; keep out of the editors' area; point to the sitemap index."""
    return "\n".join((
        "User-agent: *",
        "Disallow: /admin",
        "",
        f"Sitemap: {url_for('feeds.sitemap', _external=True)}",
        "",
    ))
