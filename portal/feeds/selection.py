"""Which items a feed or an export holds: the list page's query, newest update first.

"Update" means a change of the public content (`ContentMixin.content_updated_at`), so loading
the same files again, or saving a draft, leaves every feed as it was.

Visibility and filters come from `portal.content.queries` (the same parsers and queries the
list pages use); the language rule is the list pages' own `queries.prefer_language`, so a feed shows
exactly the items its list page shows, in the same language.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Mapping

import sqlalchemy as sa

from ..content import queries
from ..content.models import Article, ContentMixin, Sanction, Warning
from ..extensions import db
from ..content.queries import prefer_language

FEED_SIZE = 50


@dataclass(frozen=True)
class Kind:
    """A list of one content type as feeds, exports and the API see it."""

    name: str  # URL word: warnings, articles, sanctions
    model: type[ContentMixin]
    parse: Callable[[Mapping], tuple[Any, dict[str, str]]]
    query: Callable[..., sa.Select]
    list_endpoint: str


KINDS: dict[str, Kind] = {
    "warnings": Kind("warnings", Warning, queries.parse_warning_filters, queries.public_warnings, "public.warnings"),
    "articles": Kind("articles", Article, queries.parse_article_filters, queries.public_articles, "public.guides"),
    "sanctions": Kind("sanctions", Sanction, queries.parse_sanction_filters, queries.public_sanctions,
                      "public.sanctions"),
}


def last_change(model: type[ContentMixin]) -> sa.ColumnElement:
    """SQL for when an item's public content last changed (indexed with the id for feeds)."""
    return model.content_updated_at


def item_updated(item: ContentMixin) -> datetime:
    """When ``item``'s public content last changed: an update published with a change note (or
    its withdrawal), else its publication time. Never the time a file was loaded or a draft saved."""
    return item.content_updated_at or item.publication_time or item.updated_at


def filtered(kind: Kind, args: Mapping, lang: str, now: datetime,
             order: str = queries.PUBLISHED_ORDER) -> tuple[sa.Select | None, dict[str, str]]:
    """The list page's query for ``args`` in ``lang``; (None, errors) when a filter is bad.

    In the list's order (exports), or newest change first (`queries.CHANGE_ORDER`, feeds), which
    the query is built for so the planner walks a change-order index and stops at the feed's size.
    """
    filters, errors = kind.parse(args)
    if errors:
        return None, errors
    if kind.model is Article:
        filters.lang = None  # the page's language decides, as on the guides page
    return prefer_language(kind.query(filters, now, order), kind.model, lang, now), {}


def newest(query: sa.Select, model: type[ContentMixin], limit: int) -> list[ContentMixin]:
    """The ``limit`` items of ``query`` that changed last (an update moves an item up), for a
    query that holds few rows, as a search's matches do: they are read and sorted."""
    ordered = query.order_by(None).order_by(last_change(model).desc(), model.id.desc()).limit(limit)
    return list(db.session.execute(ordered).scalars())


def first(query: sa.Select, limit: int) -> list[ContentMixin]:
    """The first ``limit`` items of a query built in `queries.CHANGE_ORDER` (`filtered`): the
    newest changes, read by walking a change-order index (the item's, or a hazard's or tag's)."""
    return list(db.session.execute(query.limit(limit)).scalars())


def newest_of_all(lang: str, now: datetime, limit: int) -> list[ContentMixin]:
    """The ``limit`` newest changes across warnings, guides and enforcement results."""
    items: list[ContentMixin] = []
    for kind in KINDS.values():
        query, _ = filtered(kind, {}, lang, now, queries.CHANGE_ORDER)
        items.extend(first(query, limit))
    items.sort(key=lambda item: (item_updated(item), item.id), reverse=True)
    return items[:limit]

