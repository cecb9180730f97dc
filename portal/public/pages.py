"""Small helpers for the public views: navigation, language alternates, lists and paging.

Visibility is decided in `portal.content.queries`; nothing here widens what the public sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from ..content import queries
from ..content.models import ContentMixin
from ..extensions import db
from ..feeds.caching import generation_key
from ..i18n import LANGS, lang_endpoint, lurl, request_lang
from ..params import url_args

PER_PAGE = 20

NAV = (
    ("public.home", _l("Trang chủ")),
    ("public.warnings", _l("Cảnh báo sản phẩm")),
    ("public.guides", _l("Hướng dẫn")),
    ("public.sanctions", _l("Xử lý vi phạm")),
    ("search.results", _l("Tìm kiếm")),
    ("public.about", _l("Giới thiệu và khiếu nại")),
)

ITEM_ENDPOINTS = {"warning": "public.warning", "article": "public.guide", "sanction": "public.sanction"}
SEARCH_PATHS = {"vi": "/tim-kiem", "en": "/en/search"}


def main_nav() -> tuple[tuple[str, Any], ...]:
    return NAV


def search_url(lang: str | None = None) -> str:
    """The search page (built by the search feature; its path is a contract)."""
    lang = lang or request_lang()
    try:
        return url_for(lang_endpoint("search.results", lang))
    except BuildError:
        return SEARCH_PATHS[lang]


def item_url(item: ContentMixin, lang: str | None = None, external: bool = False) -> str:
    """The public URL of ``item`` (in the page's language unless ``lang`` says otherwise)."""
    return lurl(ITEM_ENDPOINTS[item.item_type], lang=lang, slug=item.slug, _external=external)


def item_url_parts(item_type: str, lang: str) -> tuple[str, str]:
    """The absolute URL of an item of ``item_type`` in ``lang`` as (before, after) its slug: for
    lists of many URLs (sitemap files, exports), built once and not with ``url_for`` per item.
    Slugs are [a-z0-9-], safe in a URL as they are."""
    before, _, after = lurl(ITEM_ENDPOINTS[item_type], lang=lang, slug="SLUG", _external=True).partition("SLUG")
    return before, after


def query_args(without: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """The request's query arguments, safe to pass on to url_for.

    Names starting with "_" would reach url_for's own options (_external, _anchor, _scheme,
    _method), so they are dropped; no filter of ours uses one.
    """
    return url_args(request.args, without)


def default_alternates() -> dict[str, str]:
    """This page in each language: the same endpoint with the same arguments, else the home page.

    Touches no database, so the 500 page can use it.
    """
    endpoint = request.endpoint or ""
    localized = endpoint.split(".")[0] in ("public", "search")
    args = {**query_args(), **(request.view_args or {})}
    out = {}
    for lang in LANGS:
        out[lang] = url_for(lang_endpoint("public.home", lang), _external=True)
        if localized:
            try:
                out[lang] = url_for(lang_endpoint(endpoint, lang), **args, _external=True)
            except BuildError:
                pass
    return out


def item_alternates(item: ContentMixin, now: datetime) -> dict[str, str]:
    """Each language's URL for ``item``: its public translation there, else the item itself."""
    versions = queries.translations(item)
    out = {}
    for lang in LANGS:
        other = versions.get(lang)
        target = other if other is not None and queries.is_public(other, now) else item
        out[lang] = item_url(target, lang=lang, external=True)
    return out


def in_language(item: ContentMixin, lang: str, now: datetime) -> ContentMixin:
    """The public translation of ``item`` in ``lang`` if there is one, else ``item``."""
    if item.lang == lang:
        return item
    other = queries.translations(item).get(lang)
    return other if other is not None and queries.is_public(other, now) else item


@dataclass
class Listing:
    """One page of a public list, with what the template needs to explain it."""

    page: queries.Page
    page_error: str | None = None  # "invalid" or "out_of_range"
    status: int = 200


def paged_listing(query: sa.Select) -> Listing:
    """Run ``query`` for the page asked for in ``?page=``.

    A page that is not a whole number gives 400 with the first page shown; a page past the
    end gives 404 with a link back; both explain themselves instead of failing.
    """
    page_number, _, errors = queries.parse_page({"page": request.args.get("page", "")})
    paged = partial(queries.paginate, query, per_page=PER_PAGE, **count_memo(("page",)))
    if errors:
        return Listing(paged(1), page_error="invalid", status=400)
    result = paged(page_number)
    if page_number > result.pages:
        return Listing(result, page_error="out_of_range", status=404)
    return Listing(result)


def count_memo(page_args: tuple[str, ...]) -> dict:
    """`queries.paginate`'s arguments that keep a list's count for the content generation: the
    list is named by its endpoint and its arguments other than ``page_args``."""
    args = tuple(sorted((name, tuple(values)) for name, values in request.args.lists() if name not in page_args))
    return {"count_key": (request.endpoint, args), "generation": generation_key()}


def page_url(number: int) -> str:
    """The current list with its filters, at page ``number``."""
    args = query_args(without=("page",))
    if number > 1:
        args["page"] = [str(number)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def page_numbers(current: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link, with ``None`` for a gap: 1 … 4 5 [6] 7 8 … 20."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    out: list[int | None] = []
    for previous, number in zip([0, *shown], shown):
        if previous and number - previous > 1:
            out.append(None)
        out.append(number)
    return out


def require_item(kind: str, slug: str, now: datetime) -> ContentMixin:
    """The public item at ``slug``; a former slug answers 301, an ended window 410, else 404."""
    found = queries.find_public(kind, slug, now)
    if found.redirect_slug:
        abort(redirect(lurl(ITEM_ENDPOINTS[kind], slug=found.redirect_slug), code=301))
    if found.gone:
        abort(410)
    if found.item is None:
        abort(404)
    return found.item


def first(query: sa.Select, limit: int) -> list:
    """The first ``limit`` items of ``query``."""
    return list(db.session.execute(query.limit(limit)).scalars())
