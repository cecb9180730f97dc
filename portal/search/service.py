"""The search interface the rest of the portal uses; nothing outside portal/search imports whoosh.

- ``run_search(request)``: public results for a ``SearchRequest`` at the current time;
- ``parse_request(args)``: a ``SearchRequest`` and errors (parameter -> message) from request args;
- ``apply_pending()``: apply outbox rows now (tests, CLI); ``rebuild()``: build and swap;
- ``hit_url(hit)``: the public URL of a result; ``api_payload(args)``: the JSON search answer.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.routing import BuildError

from ..content import queries
from ..content.schema import iso
from . import indexer
from .query import MAX_PAGE, Hit, SearchRequest, SearchResult, search
from .reader import SearcherPool
from .store import IndexStore

KIND_CHOICES = ("warning", "article", "sanction")
ITEM_ENDPOINTS = {"warning": "public.warning", "article": "public.guide", "sanction": "public.sanction"}
ITEM_PATHS = {
    "warning": {"vi": "/canh-bao/", "en": "/en/warnings/"},
    "article": {"vi": "/huong-dan/", "en": "/en/guides/"},
    "sanction": {"vi": "/xu-ly-vi-pham/", "en": "/en/enforcement/"},
}


class SearchState:
    """Per-application search objects: the index store, this process's searcher, the follower."""

    def __init__(self, app: Flask):
        self.store = IndexStore(app.config["SEARCH_INDEX_DIR"])
        self.pool = SearcherPool(self.store, app.config["SEARCH_CACHE_MB"] * 1024 * 1024)
        self.follower = indexer.Follower(app, self.store)


def state(app: Flask | None = None) -> SearchState:
    app = app or current_app._get_current_object()
    return app.extensions["portal.search"]


def run_search(search_request: SearchRequest, now: float | None = None) -> SearchResult:
    """Public results for ``search_request`` (demo data hidden when PORTAL_DEMO_CONTENT is off)."""
    return search(state().pool, search_request, now=now, include_demo=queries.include_demo())


def apply_pending() -> int:
    """Apply every pending outbox row to the index now; returns how many were applied."""
    return indexer.Indexer(state().store).apply_pending()


def rebuild(progress: Callable[[int], None] | None = None,
            on_total: Callable[[int], None] | None = None) -> int:
    """Build a new index from the database beside the live one and swap it in."""
    return indexer.rebuild(state().store, progress=progress, on_total=on_total)


def status() -> dict[str, Any]:
    """The outbox position of the live index against the newest outbox row."""
    store = state().store
    generation = store.current()
    position = store.read_position(generation) if generation else None
    return {"index": str(generation) if generation else None,
            "applied": position.last if position else None,
            "waiting_gaps": len(position.gaps) if position else 0,
            "newest": indexer.newest_outbox_id()}


def parse_request(args: Mapping, lang: str | None = None, per_page: int = 10,
                  allow_per_page: bool = False) -> tuple[SearchRequest, dict[str, str]]:
    """A SearchRequest from query-string arguments; errors maps a parameter to its problem."""
    filters, errors = queries.parse_warning_filters(args)
    for unused in ("source", "status", "updated_since"):
        errors.pop(unused, None)
    page, asked_per_page, page_errors = queries.parse_page(
        {"page": args.get("page", ""), "per_page": args.get("per_page", "") if allow_per_page else ""},
        per_page_default=per_page)
    errors.update(page_errors)
    if page > MAX_PAGE:
        errors["page"] = f"expected a whole number from 1 to {MAX_PAGE}"
        page = 1
    kind = (args.get("type") or "").strip() or None
    if kind and kind not in KIND_CHOICES:
        errors["type"] = f"expected one of {', '.join(KIND_CHOICES)}"
        kind = None
    q = args.get("q") or ""
    if not isinstance(q, str):
        q = ""
    return SearchRequest(
        q=q.strip()[:300], kind=kind, lang=lang, category=filters.category, hazard=filters.hazard,
        risk_level=filters.risk_level, date_from=filters.date_from, date_to=filters.date_to,
        page=page, per_page=asked_per_page,
    ), errors


def hit_url(hit: Hit, external: bool = False) -> str:
    """The public page of a result, in the result's own language."""
    endpoint = ITEM_ENDPOINTS[hit.kind] + ("_en" if hit.lang == "en" else "")
    try:
        return url_for(endpoint, slug=hit.slug, _external=external)
    except BuildError:  # the public blueprint is not registered (e.g. a search-only test app)
        path = ITEM_PATHS[hit.kind][hit.lang if hit.lang in ("vi", "en") else "vi"] + hit.slug
        if has_request_context():
            path = request.script_root + path
            return request.host_url.rstrip("/") + path if external else path
        return path


def api_payload(args: Mapping) -> tuple[dict[str, Any], int]:
    """The body and status of ``GET /api/v1/search?q=&type=&page=`` (also for the API package)."""
    search_request, errors = parse_request(args, per_page=20, allow_per_page=True)
    search_request.suggest = False
    if errors:
        name, message = next(iter(errors.items()))
        return {"error": {"parameter": name, "message": message, "errors": errors}}, 400
    result = run_search(search_request)
    return {
        "query": search_request.q,
        "total": result.total,
        "page": search_request.page,
        "per_page": search_request.per_page,
        "facets": result.facets,
        "results": [{
            "type": hit.kind, "id": hit.item_id, "slug": hit.slug, "lang": hit.lang,
            "url": hit_url(hit, external=True), "title": hit.title, "snippet": str(hit.snippet),
            "published_at": iso(hit.published_at),
        } for hit in result.hits],
    }, 200
