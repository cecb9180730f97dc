"""The feed of a search: the newest public items among a query's best matches.

The search package ranks by relevance; a feed reader wants what is new. The feed takes the
``SEARCH_POOL`` most relevant matches (same parameters as the search page) and lists the
newest changes among them, loaded from the database through the public queries.
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

from ..search import service
from .selection import KINDS, item_updated, newest

SEARCH_POOL = 200


class SearchUnavailable(RuntimeError):
    pass


def search_items(args: Mapping, now: datetime, limit: int) -> tuple[list, dict[str, str]]:
    """The newest ``limit`` public items among the matches of the search in ``args``."""
    search_request, errors = service.parse_request(args, per_page=SEARCH_POOL)
    search_request.suggest = search_request.highlight = False
    search_request.ids_only = True  # the feed reads only kinds and ids
    if not search_request.q:
        errors["q"] = "a search feed needs the words to search for"
    if errors:
        return [], errors
    try:
        result = service.run_search(search_request)
    except Exception as exc:  # noqa: BLE001 - a broken index is a 503, never a 500
        raise SearchUnavailable(str(exc)) from exc
    ids: dict[str, list[int]] = {}
    for hit in result.hits:
        ids.setdefault(hit.kind, []).append(hit.item_id)
    items = []
    for kind in KINDS.values():
        wanted = ids.get(kind.model.item_type)
        if wanted:
            items.extend(newest(kind.query(None, now).where(kind.model.id.in_(wanted)), kind.model, limit))
    items.sort(key=lambda item: (item_updated(item), item.id), reverse=True)
    return items[:limit], {}
