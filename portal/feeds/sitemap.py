"""The sitemap (sitemaps.org): an index at /sitemap.xml, files of at most 50,000 URLs, robots.txt.

- `/sitemaps/pages.xml`: home, the lists and the about page, in both languages;
- `/sitemaps/<kind>-<n>.xml`: the public items of one kind whose id falls in block ``n``
  (``ITEMS_PER_FILE`` ids a block). An item gives at most one URL per language (its own, and
  its own under the other language's path when it has no public translation there), so a
  file holds at most ``ITEMS_PER_FILE × len(LANGS) = 50,000`` URLs.

Every ``<url>`` carries its hreflang alternates (the item in each language: its public
translation there, else the item itself) and ``lastmod`` (the newest change of the item and
its translations). A file is read with one query bounded by the block (never the whole table
held) and sent a batch of URLs at a time; the index needs a short index walk per block and one
aggregate over the translations per kind, and is kept per content generation, so it is built
once per public change.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator
from xml.sax.saxutils import escape, quoteattr

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import aliased

from ..content import campaigns, queries
from ..content.models import ContentMixin
from ..extensions import db
from ..formatting import iso_datetime
from ..i18n import LANGS, lurl
from ..public.pages import item_url_parts
from .selection import KINDS, last_change

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # sitemaps.org: at most 50,000 URLs (and 50 MB) a file
ITEMS_PER_FILE = MAX_URLS // len(LANGS)
PAGES = ("public.home", "public.warnings", "public.guides", "public.sanctions", "public.about")
LIST_KINDS = {"public.warnings": "warnings", "public.guides": "articles", "public.sanctions": "sanctions"}
BATCH = 1000  # URLs sent at a time
_index_cache: dict[tuple, "Summary"] = {}


@dataclass(frozen=True)
class Summary:
    """Per kind: each non-empty block of ids with its newest change."""

    blocks: dict[str, dict[int, datetime | None]]

    def newest(self, kind: str | None = None) -> datetime | None:
        kinds = [kind] if kind else list(self.blocks)
        moments = [moment for name in kinds for moment in self.blocks.get(name, {}).values() if moment is not None]
        return max(moments, default=None)


def _family(model: type[ContentMixin]) -> sa.ColumnElement[int]:
    """An item's family: the id of the original it translates, else its own id."""
    return sa.func.coalesce(model.translation_of_id, model.id)


def _own_changes(model: type[ContentMixin], now: datetime) -> dict[int, datetime | None]:
    """Per block of ids holding a public item, the newest change of its public items.

    For each block, the change-order index (content_updated_at, id) is walked newest first to
    the first public item in the block: the block test reads the id in the index entry, so only
    the block's own entries cost a row lookup, and the first public one ends the walk (the
    newest block's is at the top; an old block's walk passes over the newer blocks' entries).
    Blocks holding no row at all are skipped through the primary key, so a gap in the ids costs
    one probe, not a query per empty block. Aggregating every public row instead read the whole
    table: 180–240 ms warm, 580 ms cold at 80,000 warnings, against 11 ms warm for the walks. A
    block whose public items have no change time (none should) is still listed, without a time,
    after a check bounded by the block.
    """
    public = queries.public_clause(model, now, queries.CHANGE_ORDER)
    change = last_change(model)
    ident = queries.unindexed(model.id)  # the block's id range must not be read through the primary key
    found: dict[int, datetime | None] = {}
    first = sa.select(sa.func.min(model.id))
    next_id = db.session.scalar(first)
    while next_id is not None:
        block = next_id // ITEMS_PER_FILE
        low, high = block * ITEMS_PER_FILE, (block + 1) * ITEMS_PER_FILE
        next_id = db.session.scalar(first.where(model.id >= high))
        newest = db.session.execute(
            sa.select(change).where(ident >= low, ident < high, change.is_not(None), public)
            .order_by(change.desc(), model.id.desc()).limit(1)).first()
        if newest is not None:
            found[block] = newest[0]
        elif db.session.scalar(sa.select(sa.exists().where(model.id >= low, model.id < high, public))):
            found[block] = None
    return found


def _block_changes(model: type[ContentMixin], now: datetime) -> dict[int, datetime | None]:
    """Per block of ids holding a public item, the newest change among its items' families: a
    walk of the change-order index per block (`_own_changes`) and one aggregate over the public
    translation pairs, grouped by the blocks of both sides (no grouping of the whole table by
    family).

    A block's URLs are its public items, each with the lastmod of its family (the original and
    its public translations): an item's own change counts for its own block; a public
    translation's change counts for its original's block; an original's change counts for its
    public translations' blocks.
    """
    # The pairs start from the translations' index; their status and moments are hidden from
    # the planner (`queries.unindexed`), which would otherwise walk a publication-time index.
    public = queries.public_clause(model, now, queries.CHANGE_ORDER)
    original = aliased(model)
    own_block, original_block = model.id // ITEMS_PER_FILE, original.id // ITEMS_PER_FILE
    pairs = (sa.select(own_block, original_block, sa.func.max(last_change(model)), sa.func.max(last_change(original)))
             .select_from(model).join(original, original.id == model.translation_of_id)
             .where(model.translation_of_id.is_not(None), public,
                    queries.public_clause(model, now, queries.CHANGE_ORDER, on=original))
             .group_by(own_block, original_block))
    found = _own_changes(model, now)

    def count(number: int, changed: datetime | None) -> None:
        if changed is not None and (found.get(number) is None or changed > found[number]):
            found[number] = changed

    for translation_block, original_block_number, translation_changed, original_changed in db.session.execute(pairs):
        count(original_block_number, translation_changed)  # the translation's change, for its original's block
        count(translation_block, original_changed)  # and the original's, for the translation's block
    return dict(sorted(found.items()))


def summary(now: datetime, generation_key: str) -> Summary:
    """The non-empty blocks of every kind and their newest change, kept per content generation."""
    key = (db.engine.url.render_as_string(), generation_key, ITEMS_PER_FILE)
    found = _index_cache.get(key)
    if found is None:
        found = Summary({kind.name: _block_changes(kind.model, now) for kind in KINDS.values()})
        _index_cache.clear()  # one generation at a time
        _index_cache[key] = found
    return found


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
    """The file of fixed pages: home, lists, about, the campaign page if there is one, each in both languages."""
    found = summary(now, generation_key)
    out = [_head()]
    endpoints = PAGES + (("public.campaign",) if campaigns.current(now.astimezone(queries.VN).date()) else ())
    for endpoint in endpoints:
        alternates = {lang: lurl(endpoint, lang=lang, _external=True) for lang in LANGS}
        changed = None if endpoint in ("public.about", "public.campaign") else found.newest(LIST_KINDS.get(endpoint))
        out.extend(_url_entry(alternates[lang], alternates, changed) for lang in LANGS)
    out.append("</urlset>\n")
    return "".join(out)


def _url_builders(kind: str) -> dict[str, tuple[str, str]]:
    """Per language, the item URL around its slug."""
    return {lang: item_url_parts(KINDS[kind].model.item_type, lang) for lang in LANGS}


def file_xml(kind: str, number: int, now: datetime) -> Iterator[str] | None:
    """A block file, sent a batch of URLs at a time, or None when the block has no public item.

    One query reads the block's public items with every public version of their families
    (bounded by the block size, whatever the size of the table).
    """
    model = KINDS[kind].model
    low, high = number * ITEMS_PER_FILE, (number + 1) * ITEMS_PER_FILE
    public = queries.public_clause(model, now)
    block_families = sa.select(_family(model)).where(public, model.id >= low, model.id < high)
    rows = db.session.execute(
        sa.select(model.id, model.slug, model.lang, _family(model), last_change(model))
        .where(public, sa.or_(model.id.in_(block_families), model.translation_of_id.in_(block_families)))
        .order_by(model.id)
    ).all()
    versions: dict[int, dict[str, str]] = {}  # family -> {lang: slug of its first public version}
    newest: dict[int, datetime] = {}  # family -> its newest change
    for _item_id, slug, lang, family, changed in rows:
        versions.setdefault(family, {}).setdefault(lang, slug)
        newest[family] = max(newest.get(family, changed), changed)
    items = [(slug, lang, versions[family], newest[family])
             for item_id, slug, lang, family, _changed in rows if low <= item_id < high]
    if not items:
        return None
    return _stream(kind, items)


def _stream(kind: str, items: list[tuple[str, str, dict[str, str], datetime]]) -> Iterator[str]:
    builders = _url_builders(kind)

    def url(lang: str, slug: str) -> str:
        prefix, suffix = builders[lang]
        return prefix + slug + suffix

    yield _head()
    batch: list[str] = []
    for slug, lang, family, changed in items:
        alternates = {name: url(name, slug if name == lang else family.get(name, slug)) for name in LANGS}
        for name in LANGS:
            if name == lang or name not in family:  # a translation's URL is given by that translation
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
