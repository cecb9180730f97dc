"""What a subscription follows, and which of its items are new.

A subscription keeps the filter arguments of the list page (or of the search page) it was
made on. Its new items are asked of the same code those pages use, so an alert never holds an
item its page would not show:
- lists: `portal.feeds.selection.filtered` (the list page's parser, `content.queries` visibility
  and language rule), narrowed to items that became public since the window start;
- searches: `portal.search.service` (the search page's parser and query), narrowed to the days
  of the window, then loaded through the public query of each type.
Every query is bounded: an indexed range on publication time, at most ``limit`` rows.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..content import queries, taxonomy
from ..content.models import PUBLISHED, ContentMixin, Sanction
from ..extensions import db
from ..feeds import selection as lists
from ..feeds.links import feed_args
from .models import AlertSent, AlertSubscription

# Filter arguments that mean nothing for news still to come.
IGNORED = {"updated_since"}
SEARCH_PAGE_SIZE = 100
SEARCH_PAGES = 3


class SearchNotReady(RuntimeError):
    """This node has no search index yet: a search subscription waits (its cursor stays)."""


class SubscriptionError(ValueError):
    """The list or filter asked for cannot be followed; ``field`` names the parameter."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def normalise(list_kind: str, args: Mapping) -> dict[str, list[str]]:
    """The canonical filter of ``list_kind`` in ``args`` (sorted, no duplicates), or
    SubscriptionError when a value is not one the page accepts."""
    if list_kind not in ("warnings", "sanctions", "search"):
        raise SubscriptionError(_("Không có danh sách này để nhận tin."), "list")
    picked = feed_args(args if isinstance(args, MultiDict) else MultiDict(args), list_kind)
    for name in IGNORED:
        picked.poplist(name)
    if list_kind == "search":
        from ..search import service

        request, errors = service.parse_request(picked)
        if not request.q:
            raise SubscriptionError(_("Hãy nhập từ khóa tìm kiếm trước khi đăng ký nhận tin."), "q")
        picked["q"] = request.q
    else:
        _filters, errors = lists.KINDS[list_kind].parse(picked)
    if errors:
        raise SubscriptionError(_("Bộ lọc có giá trị không hợp lệ; hãy chọn lại bộ lọc trên trang danh sách."),
                                next(iter(errors)))
    canonical: dict[str, list[str]] = {}
    for name in sorted(set(picked.keys())):
        values = sorted({str(v).strip() for v in picked.getlist(name) if str(v).strip()})
        if values:
            canonical[name] = values
    return canonical


def params_hash(list_kind: str, params: dict[str, list[str]]) -> str:
    return hashlib.sha256(json.dumps([list_kind, params], sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def list_name(list_kind: str) -> str:
    return {"warnings": _("Cảnh báo sản phẩm"), "sanctions": _("Kết quả xử lý vi phạm"),
            "search": _("Kết quả tìm kiếm")}[list_kind]


def describe(list_kind: str, params: dict[str, list[str]], lang: str) -> list[tuple[str, str]]:
    """(label, value) lines saying what a subscription follows, in the current locale."""
    labels = {
        "q": (_("Từ khóa"), None), "type": (_("Loại nội dung"), None),
        "category": (_("Danh mục"), "category"), "hazard": (_("Mối nguy"), "hazard"),
        "risk_level": (_("Mức độ rủi ro"), "risk_level"), "source": (_("Nguồn"), None),
        "status": (_("Tình trạng"), None), "date_from": (_("Từ ngày"), None), "date_to": (_("Đến ngày"), None),
        "year": (_("Năm ra quyết định"), None), "violation_kind": (_("Loại vi phạm"), "violation_kind"),
        "online": (_("Trên môi trường mạng"), None), "authority": (_("Cơ quan ra quyết định"), None),
    }
    fixed = {
        "type": {"warning": _("Cảnh báo sản phẩm"), "article": _("Hướng dẫn và tin tức"),
                 "sanction": _("Kết quả xử lý vi phạm")},
        "status": {"active": _("Đang có hiệu lực"), "withdrawn": _("Đã rút cảnh báo")},
        "online": {"1": _("Có"), "true": _("Có"), "yes": _("Có"), "0": _("Không"), "false": _("Không"),
                   "no": _("Không")},
        "source": {code: (en if lang == "en" else vi) for code, (vi, en, _n) in queries.SOURCES.items()},
    }
    lines = []
    for name, values in params.items():
        label, vocabulary = labels.get(name, (name, None))
        shown = []
        for value in values:
            if vocabulary:
                shown.append(taxonomy.label(vocabulary, value, lang))
            else:
                shown.append(fixed.get(name, {}).get(value, value))
        lines.append((str(label), ", ".join(shown)))
    return lines


@dataclass
class Match:
    item: ContentMixin
    root: int  # the original's id when the item is a translation

    @property
    def key(self) -> tuple[str, int]:
        return self.item.item_type, self.root


def _root(item: ContentMixin) -> int:
    return item.translation_of_id or item.id


def _not_sent(model: type[ContentMixin], subscription_id: int) -> sa.ColumnElement[bool]:
    root = sa.func.coalesce(model.translation_of_id, model.id)
    return ~sa.exists().where(AlertSent.subscription_id == subscription_id,
                              AlertSent.item_type == model.item_type, AlertSent.item_root == root)


def _became_public_since(model: type[ContentMixin], start: datetime) -> list[tuple[sa.ColumnElement[bool], tuple]]:
    """(condition, order) pairs, one per query, for items whose publication time
    (``publication_time``) is at or after ``start``: each an indexed range walked in its own
    order. An enforcement result goes public at the later of its publication and its window's
    opening, so it takes two ranges (an OR of the two would defeat both indexes)."""
    if model is Sanction:
        # The status, visible to the planner here (the public clause hides it on SQLite), leads it
        # to the (status, moment) indexes: a range in them beats an equality on a list filter
        # such as `online`, whose index holds half the table.
        published = Sanction.status == PUBLISHED
        return [(sa.and_(published, Sanction.published_from >= start), (Sanction.published_from, Sanction.id)),
                (sa.and_(published, Sanction.published_at >= start), (Sanction.published_at, Sanction.id))]
    return [(model.published_at >= start, (model.published_at, model.id))]


def new_matches(subscription: AlertSubscription, start: datetime, now: datetime, limit: int,
                cache: dict | None = None) -> list[Match]:
    """Public items (at ``now``) of the subscription's list or search that became public at or
    after ``start`` and were never sent to it: oldest first, at most ``limit``. ``cache`` (one
    per run) keeps each filter's list query for the subscriptions that share it."""
    if subscription.list_kind == "search":
        return _search_matches(subscription, start, now, limit)
    found: dict[int, ContentMixin] = {}
    for query in list_queries(subscription, start, now, limit, cache):
        for item in db.session.execute(query).scalars():
            found[item.id] = item
    ordered = sorted(found.values(), key=lambda item: (item.publication_time, item.id))[:limit]
    return [Match(item, _root(item)) for item in ordered]


def list_queries(subscription: AlertSubscription, start: datetime, now: datetime, limit: int,
                 cache: dict | None = None) -> list[sa.Select]:
    """The list page's query for a list subscription, narrowed to its window and its ledger
    (no query when its stored filter is no longer valid)."""
    kind = lists.KINDS[subscription.list_kind]
    key = (subscription.list_kind, params_hash(subscription.list_kind, subscription.params), subscription.lang, now)
    if cache is not None and key in cache:
        query = cache[key]
    else:
        query, errors = lists.filtered(kind, MultiDict(_pairs(subscription.params)), subscription.lang, now)
        query = None if errors else query
        if cache is not None:
            cache[key] = query
    if query is None:
        return []
    return [query.where(since, _not_sent(kind.model, subscription.id)).order_by(None).order_by(*order).limit(limit)
            for since, order in _became_public_since(kind.model, start)]


def _pairs(params: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(name, value) for name, values in params.items() for value in values]


def _search_matches(subscription: AlertSubscription, start: datetime, now: datetime, limit: int) -> list[Match]:
    from ..search import service

    search_request, errors = service.parse_request(MultiDict(_pairs(subscription.params)),
                                                   per_page=SEARCH_PAGE_SIZE)
    if errors or not search_request.q:
        return []
    first_day = start.astimezone(queries.VN).date() - timedelta(days=1)
    if search_request.date_from is None or search_request.date_from < first_day:
        search_request.date_from = first_day
    if search_request.date_to is not None and search_request.date_to < search_request.date_from:
        return []
    search_request.suggest = False
    search_request.ids_only = True  # kinds and ids are all an alert reads of a hit
    found: dict[str, list[int]] = {}
    for page in range(1, SEARCH_PAGES + 1):
        search_request.page = page
        result = service.run_search(search_request, now=now.timestamp())
        if not result.index_ready:
            raise SearchNotReady("the search index is not built yet (flask search rebuild)")
        for hit in result.hits:
            found.setdefault(hit.kind, []).append(hit.item_id)
        if page * SEARCH_PAGE_SIZE >= result.total:
            break
    matches: list[Match] = []
    for kind in lists.KINDS.values():
        ids = found.get(kind.model.item_type)
        if not ids:
            continue
        query = (kind.query(None, now)
                 .where(kind.model.id.in_(ids), sa.or_(*(since for since, _o in _became_public_since(kind.model, start))),
                        _not_sent(kind.model, subscription.id))
                 .order_by(None).order_by(kind.model.published_at, kind.model.id).limit(limit))
        matches.extend(Match(item, _root(item)) for item in db.session.execute(query).scalars())
    return _one_per_root(matches, subscription.lang)[:limit]


def _one_per_root(matches: list[Match], lang: str) -> list[Match]:
    """One version of each item, the subscriber's language first (a search finds both)."""
    chosen: dict[tuple[str, int], Match] = {}
    for match in matches:
        held = chosen.get(match.key)
        if held is None or (held.item.lang != lang and match.item.lang == lang):
            chosen[match.key] = match
    return sorted(chosen.values(), key=lambda m: (m.item.publication_time, m.item.id))

