"""What a feed says about an item, and the feed documents themselves (feedgen).

Entry ids are tag URIs built from the item's type and database id, never from its slug, so
an entry keeps its id for life. Every string passes `xml_text` first: a control character
pasted into a title must not break the XML for every subscriber.
"""
from __future__ import annotations

import hashlib
import mimetypes
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import datetime
from typing import Iterable

import sqlalchemy as sa
from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem
from flask import current_app, request, url_for
from flask_babel import get_translations
from markupsafe import Markup, escape

from ..content import taxonomy
from ..content.markdown import plain_text, render_markdown
from ..content.models import WITHDRAWN, Article, ContentMixin, Sanction, Warning
from ..formatting import format_date, format_money, local_time
from ..lru import BoundedLRU
from ..public.meta import absolute, image_src
from ..public.pages import item_url
from .selection import item_updated

# The naming authority of entry ids. Part of every id ever published: never change it.
TAG_AUTHORITY = "congthuong.haiphong.gov.vn,2026"
SUMMARY_LIMIT = 600

# Characters XML 1.0 forbids (C0 controls except tab/newline/return, surrogates, U+FFFE/FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text that XML can carry."""
    return _XML_ILLEGAL.sub("", str(value or ""))


def _request_memo() -> dict:
    """What a feed looks up once per request. Kept in the request's environ, not ``g``: an app
    context can outlive a request (tests, CLI), and its ``g`` would carry the memo into the next."""
    return request.environ.setdefault("portal.feed_memo", {})


def _(string: str, **variables) -> str:
    """flask-babel's ``gettext``, with the request's catalog looked up once: a feed asks for
    about a dozen labels per entry, and the lookup cost more than the rest of the entry. Only
    for feeds (one language a request), never under ``force_locale``."""
    memo = _request_memo()
    translations = memo.get("translations")
    if translations is None:
        translations = memo["translations"] = get_translations()
    text = translations.ugettext(string)
    return text % variables if variables else text


@lru_cache(maxsize=1024)
def rendered(markdown_text: str) -> str:
    """Sanitised HTML of some Markdown, remembered: feeds and the API render the same bodies often."""
    return str(render_markdown(markdown_text))


def entry_id(item: ContentMixin) -> str:
    """The entry's permanent id: ``tag:congthuong.haiphong.gov.vn,2026:warning:12``."""
    return f"tag:{TAG_AUTHORITY}:{item.item_type}:{item.id}"


def entry_title(item: ContentMixin) -> str:
    if isinstance(item, Warning) and item.status == WITHDRAWN:
        return _("[Đã rút cảnh báo] %(title)s", title=item.title)
    return item.title


def _shorten(text: str, limit: int = SUMMARY_LIMIT) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def entry_summary(item: ContentMixin, lang: str) -> str:
    """Plain-text summary: the withdrawal notice first, then the summary, then the change note."""
    parts = []
    if isinstance(item, Warning) and item.status == WITHDRAWN:
        parts.append(_("Cảnh báo này đã được rút. Lý do: %(reason)s", reason=item.withdrawn_reason))
    if isinstance(item, Sanction):
        parts.append(_("%(name)s bị xử phạt %(fine)s theo quyết định %(number)s ngày %(date)s.",
                       name=item.subject_name, fine=format_money(item.fine_vnd), number=item.decision_number,
                       date=format_date(item.decision_date, lang)))
    parts.append(_shorten(item.summary or plain_text(item.body)))
    if isinstance(item, Warning) and item.change_note:
        parts.append(_("Cập nhật: %(note)s", note=item.change_note))
    return "\n\n".join(part for part in parts if part)


def _fact(label: str, value: str) -> Markup:
    return Markup(f"<p><strong>{escape(label)}:</strong> {escape(value)}</p>") if value else Markup("")


def entry_content(item: ContentMixin, lang: str) -> str:
    """HTML content: the structured facts a journalist quotes, then the sanitised body."""
    out = Markup("")
    if isinstance(item, Warning):
        if item.status == WITHDRAWN:
            out += _fact(_("Đã rút cảnh báo"), item.withdrawn_reason)
        product = ", ".join(part for part in (item.product_name, item.brand, item.model) if part)
        out += _fact(_("Sản phẩm"), product)
        out += _fact(_("Mã vạch"), ", ".join(item.barcodes))
        out += _fact(_("Số lô"), ", ".join(item.batches))
        out += _fact(_("Mức độ rủi ro"), taxonomy.label("risk_level", item.risk_level, lang))
        out += _fact(_("Mối nguy"), ", ".join(taxonomy.label("hazard", code, lang) for code in item.hazards))
        out += _fact(_("Nguồn"), " ".join(part for part in (item.source_authority, item.source_reference) if part))
        if item.change_note:
            out += _fact(_("Cập nhật"), item.change_note)
        if item.what_to_do:
            out += Markup("<h2>{}</h2>").format(_("Người tiêu dùng cần làm gì")) + Markup(rendered(item.what_to_do))
    elif isinstance(item, Sanction):
        out += _fact(_("Đối tượng"), item.subject_name)
        out += _fact(_("Mã số thuế"), item.tax_code)
        out += _fact(_("Địa chỉ"), ", ".join(part for part in (item.address, item.ward) if part))
        out += _fact(_("Hành vi vi phạm"), item.violation)
        out += _fact(_("Quyết định"), _("%(number)s ngày %(date)s của %(authority)s", number=item.decision_number,
                                        date=format_date(item.decision_date, lang),
                                        authority=item.decision_authority))
        out += _fact(_("Số tiền phạt"), format_money(item.fine_vnd))
        out += _fact(_("Hình thức xử phạt bổ sung"), item.additional_penalties)
        out += _fact(_("Biện pháp khắc phục hậu quả"), item.remedial_measures)
    return str(out + Markup(rendered(item.body or "")))


def _scheme(vocabulary: str) -> str:
    """The vocabulary's address in the API (built once per request: every entry names a few)."""
    schemes = _request_memo().setdefault("schemes", {})
    if vocabulary not in schemes:
        schemes[vocabulary] = url_for("api.taxonomy", vocabulary=vocabulary, _external=True)
    return schemes[vocabulary]


def entry_categories(item: ContentMixin, lang: str) -> list[dict[str, str]]:
    """Taxonomy terms as categories: code as term, label in the feed's language."""
    terms: list[tuple[str, str]] = []
    if isinstance(item, Warning):
        terms = [("category", item.category), *(("hazard", code) for code in item.hazards),
                 ("risk_level", item.risk_level)]
    elif isinstance(item, Sanction):
        terms = [("violation_kind", item.violation_kind), ("subject_kind", item.subject_kind)]
    if isinstance(item, (Article, Warning)):
        terms += [("tag", tag) for tag in item.tags or []]
    out = [{"term": code, "scheme": _scheme(vocabulary), "label": taxonomy.label(vocabulary, code, lang)}
           for vocabulary, code in terms]
    if isinstance(item, Article):
        out.append({"term": item.kind, "label": _("Hướng dẫn") if item.kind == "guide" else _("Tin tức")})
    if isinstance(item, Sanction) and item.online:
        out.append({"term": "online", "label": _("Vi phạm trên môi trường mạng")})
    return [{key: xml_text(value) for key, value in category.items()} for category in out]


def main_image(item: ContentMixin) -> dict[str, str] | None:
    """The item's first image as an absolute URL with its media type, if it has one."""
    if not item.images or not item.images[0].get("src"):
        return None
    url = absolute(image_src(item.images[0]["src"]))
    media_type = mimetypes.guess_type(url.split("?")[0])[0] or "image/jpeg"
    return {"url": url, "type": media_type, "alt": item.images[0].get("alt", "")}


class _ImageFeed(BaseExtension):
    """Feed half of the image extension (nothing at feed level)."""


class _ImageEntry(BaseEntryExtension):
    """The main image as an Atom ``link rel="enclosure"`` and an RSS ``<enclosure>``.

    feedgen 1.0 drops the ``rel`` and ``type`` of entry links in Atom, which would turn an
    enclosure into a second "alternate" link, so the enclosure is written here instead.
    """

    def __init__(self):
        self.image: dict[str, str] | None = None

    def extend_atom(self, entry):
        if self.image:
            xml_elem("link", entry, rel="enclosure", href=self.image["url"], type=self.image["type"])
        return entry

    def extend_rss(self, item):
        if self.image:
            xml_elem("enclosure", item, url=self.image["url"], length="0", type=self.image["type"])
        return item


@dataclass
class FeedInfo:
    """The feed-level facts: who, what, where."""

    feed_id: str
    title: str
    subtitle: str
    self_url: str
    html_url: str
    lang: str
    updated: datetime


def build(info: FeedInfo, items: Iterable[ContentMixin], fmt: str) -> bytes:
    """The Atom (``fmt="atom"``) or RSS 2.0 document for ``items``, in their order.

    Each entry is taken from this process's `entry_cache` when the item, word for word, was
    written into a feed of this format and language before (see `_cached_entry`)."""
    fg = _scratch_feed()
    fg.id(xml_text(info.feed_id))
    fg.title(xml_text(info.title))
    fg.subtitle(xml_text(info.subtitle))
    fg.link(href=info.html_url, rel="alternate")
    fg.link(href=info.self_url, rel="self")
    fg.language(info.lang)
    fg.author({"name": xml_text(_("Sở Công Thương Hải Phòng")), "uri": url_for("public.home", _external=True)})
    fg.logo(absolute(url_for("static", filename="img/logo.svg")))
    fg.generator(xml_text(_("Cổng thông tin bảo vệ quyền lợi người tiêu dùng Hải Phòng")))
    fg.updated(local_time(info.updated))
    fg.lastBuildDate(local_time(info.updated))
    fg.ttl(5)
    cache = entry_cache()
    if cache is None:
        for item in items:
            _add_entry(fg.add_entry(order="append"), item, info.lang)
        return _document(fg, fmt)
    # Entries are the last children of <feed> (<channel> in RSS): the document without them,
    # then each entry as written before, then the closing tags.
    written = [_cached_entry(cache, item, info.lang, fmt) for item in items]
    document = _document(fg, fmt)
    end = _DOCUMENT_END[fmt]
    if not document.endswith(end):  # feedgen or lxml changed how they write: never splice blindly
        raise RuntimeError(f"unexpected end of a {fmt} document: {document[-40:]!r}")
    return document[:-len(end)] + b"".join(written) + end


def _one(_written: bytes) -> int:
    return 1


def entry_cache() -> BoundedLRU[bytes] | None:
    """This app's feed entries already written (their bytes), at most ``FEED_ENTRY_CACHE`` of them
    (0: none kept), least recently used dropped first.

    A publish moves the content generation, so every feed is built again; without this each
    would write all its entries again although one item changed. The key holds a digest of
    every column of the item's row, so any change of the row (whoever wrote it) makes a new
    key; and the format, the language and the address the request's absolute URLs start with.
    """
    app = current_app._get_current_object()
    cache = app.extensions.get("feed_entry_cache")
    if cache is None:
        size = int(app.config.get("FEED_ENTRY_CACHE", 0) or 0)
        if size <= 0:
            return None
        cache = app.extensions.setdefault("feed_entry_cache", BoundedLRU(size, weight=_one))
    return cache


_COLUMNS: dict[type, tuple[str, ...]] = {}


def row_digest(item: ContentMixin) -> bytes:
    """A digest of every column of ``item``'s row (as Python values): equal digests, equal rows."""
    model = type(item)
    keys = _COLUMNS.get(model)
    if keys is None:
        keys = _COLUMNS[model] = tuple(attr.key for attr in sa.inspect(model).column_attrs)
    loaded = item.__dict__  # the row as loaded (read through the attributes only when expired)
    values = tuple(loaded[key] if key in loaded else getattr(item, key) for key in keys)
    # Different values never pickle alike; equal values pickled differently only cost a miss.
    return hashlib.blake2b(pickle.dumps(values, protocol=5), digest_size=16).digest()


# How feedgen (lxml, pretty-printed) writes an entry, and the end of a document after its entries.
_ENTRY_TAGS = {"atom": (b"\n  <entry>", b"</entry>\n"), "rss": (b"\n    <item>", b"</item>\n")}
_DOCUMENT_END = {"atom": b"</feed>\n", "rss": b"  </channel>\n</rss>\n"}


def _cached_entry(cache: BoundedLRU[bytes], item: ContentMixin, lang: str, fmt: str) -> bytes:
    """``item``'s entry as written in a document, taken from ``cache`` or written and kept there."""
    key = (fmt, lang, request.host_url, request.script_root, item.item_type, row_digest(item))
    written = cache.get(key)
    if written is None:
        written = _write_entry(item, lang, fmt)
        cache.set(key, written)
    return written


def _write_entry(item: ContentMixin, lang: str, fmt: str) -> bytes:
    """The bytes of ``item``'s entry in a feed document: feedgen writes a document holding only
    it (with the extensions, so the namespaces are declared as in any feed), and the entry is
    cut out of it. Its text is escaped, so the closing tag found last is the entry's own."""
    fg = _scratch_feed()
    fg.id("tag:entry")
    fg.title("entry")
    fg.link(href="http://localhost/", rel="alternate")
    fg.description("entry")
    fg.updated(local_time(item_updated(item)))
    _add_entry(fg.add_entry(), item, lang)
    document = _document(fg, fmt)
    start_tag, end_tag = _ENTRY_TAGS[fmt]
    start = document.index(start_tag) + 1
    return document[start:document.rindex(end_tag) + len(end_tag)]


def _document(fg: FeedGenerator, fmt: str) -> bytes:
    return fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)


def _scratch_feed() -> FeedGenerator:
    fg = FeedGenerator()
    fg.load_extension("media")
    fg.load_extension("dc", atom=False, rss=True)
    fg.register_extension("image", _ImageFeed, _ImageEntry)
    return fg


def _add_entry(entry: FeedEntry, item: ContentMixin, lang: str) -> None:
    entry.id(entry_id(item))
    entry.title(xml_text(entry_title(item)))
    entry.link(href=item_url(item, lang=lang, external=True), rel="alternate")
    entry.summary(xml_text(entry_summary(item, lang)))
    entry.content(xml_text(entry_content(item, lang)), type="html")
    entry.published(local_time(item.published_at))
    updated = local_time(item_updated(item))
    entry.updated(updated)
    entry.dc.dc_date(updated.isoformat())
    categories = entry_categories(item, lang)
    if categories:
        entry.category(categories)
    image = main_image(item)
    if image:
        entry.image.image = image
        entry.media.content({"url": image["url"], "medium": "image", "type": image["type"]})
