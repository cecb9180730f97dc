"""Feed and export URLs for templates: ``feed_url``, ``current_feed`` and ``export_url``.

A list or search page links its own feed: the same filters, in the page's language.
"""
from __future__ import annotations

from typing import Mapping

from flask import request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..i18n import lang_endpoint, request_lang
from .selection import KINDS

FEED_KINDS = ("warnings", "articles", "sanctions", "all", "search")
# Which feed a page's endpoint has (endpoints without the ``_en`` suffix).
PAGE_FEEDS = {"public.warnings": "warnings", "public.guides": "articles", "public.sanctions": "sanctions",
              "search.results": "search"}
EXPORTS = {"warnings": "feeds.warnings_export", "sanctions": "feeds.sanctions_export"}
# The filter parameters each list (and so its feed and export) understands.
FILTERS = {
    "warnings": ("category", "hazard", "risk_level", "source", "status", "tag", "date_from", "date_to",
                 "updated_since"),
    "articles": ("kind", "tag", "updated_since"),
    "sanctions": ("year", "violation_kind", "online", "authority", "updated_since"),
    "search": ("q", "type", "category", "hazard", "risk_level", "date_from", "date_to"),
    "all": (),
}


def feed_args(args: Mapping, kind: str) -> MultiDict:
    """The non-empty filter arguments of ``kind`` in ``args`` (paging and anything else left out)."""
    out = MultiDict()
    pairs = args.items(multi=True) if isinstance(args, MultiDict) else MultiDict(args).items(multi=True)
    for name, value in pairs:
        if name in FILTERS[kind] and str(value).strip():
            out.add(name, value)
    return out


def feed_title(kind: str) -> str:
    """A feed's (or export's) name in the request's language."""
    return {
        "warnings": _("Cảnh báo sản phẩm"),
        "articles": _("Hướng dẫn và tin tức"),
        "sanctions": _("Kết quả xử lý vi phạm"),
        "all": _("Tất cả thông tin mới"),
        "search": _("Kết quả tìm kiếm"),
    }[kind]


def feed_url(kind: str, fmt: str = "atom", /, *, _lang: str | None = None, external: bool = False,
             **args) -> str:
    """URL of a feed: ``feed_url("warnings", "rss", category="toys")`` → ``/feeds/warnings.rss?category=toys``.

    ``args`` are the feed's filters (an article filter is even called ``kind``), so the
    feed's own kind and format are positional.
    """
    return url_for(lang_endpoint("feeds.feed", _lang or request_lang()), feed_kind=kind, feed_format=fmt,
                   _external=external, **feed_args(args, kind).to_dict(flat=False))


def current_feed() -> tuple[str, dict[str, list[str]]]:
    """The feed of the page being rendered and its arguments; every other page offers "all"."""
    endpoint = (request.endpoint or "").removesuffix("_en")
    kind = PAGE_FEEDS.get(endpoint)
    if kind not in FEED_KINDS:
        return "all", {}
    args = feed_args(request.args, kind)
    if kind == "search" and not args.get("q"):
        return "all", {}
    if kind in KINDS:  # a filter the page rejected is left out of its feed too
        _filters, errors = KINDS[kind].parse(args)
        for name in errors:
            args.poplist(name)
    return kind, args.to_dict(flat=False)


def export_url(fmt: str) -> str | None:
    """The export of the list being rendered in ``fmt`` (csv or xlsx), or None for other pages."""
    kind, args = current_feed()
    if kind not in EXPORTS:
        return None
    return url_for(lang_endpoint(EXPORTS[kind], request_lang()), fmt=fmt, **args)
