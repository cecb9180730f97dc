"""Public read queries, shared by the pages, feeds, API and sitemap.

Every public surface goes through these, so "what the public may see" is decided once:
published (or withdrawn, for warnings) items whose time has come, and enforcement results
inside their publication window (and not demo data when PORTAL_DEMO_CONTENT is off).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Mapping, Sequence

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import db
from ..params import whole_number
from . import memo, taxonomy
from .models import (CONTENT_MODELS, PUBLISHED, WITHDRAWN, Article, ArticleTag, ContentMixin, OldSlug, Sanction,
                     Warning, WarningHazard, WarningTag, utcnow)

VN = timezone(timedelta(hours=7))
MAX_PER_PAGE = 100
# A list counts and pages through at most this many matches: past it, counting and skipping
# would cost in proportion to the table. Filters, search, feeds and exports reach the rest.
LIST_LIMIT = 1000
# Dates outside these years cannot be shifted between time zones safely; no content is there.
MIN_YEAR, MAX_YEAR = 1900, 2999

# Warning sources, as filter codes: which authorities each covers.
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "eu-safety-gate": ("EU Safety Gate", "EU Safety Gate", ("safety gate", "rapex")),
    "us-cpsc": ("Hoa Kỳ (CPSC, FDA, NHTSA)", "United States (CPSC, FDA, NHTSA)", ("cpsc", "fda", "nhtsa")),
    "domestic": ("Cơ quan trong nước", "Vietnamese authorities", ()),
}


class FilterError(ValueError):
    pass


@dataclass
class WarningFilters:
    category: list[str] = field(default_factory=list)
    hazard: list[str] = field(default_factory=list)
    risk_level: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    status: str | None = None  # active | withdrawn
    tag: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    updated_since: datetime | None = None


@dataclass
class SanctionFilters:
    year: int | None = None
    violation_kind: list[str] = field(default_factory=list)
    online: bool | None = None
    authority: str | None = None
    updated_since: datetime | None = None


@dataclass
class ArticleFilters:
    lang: str | None = None
    kind: str | None = None
    tag: str | None = None
    updated_since: datetime | None = None


@dataclass
class Page:
    """One page of a list. ``total`` counts at most `LIST_LIMIT` matches; ``exact`` says whether
    that is all of them."""

    items: list[Any]
    total: int
    page: int
    per_page: int
    exact: bool = True

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def _getlist(args: Mapping, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        values = args.getlist(name)
    else:
        value = args.get(name)
        values = value if isinstance(value, list) else ([] if value is None else [value])
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in str(value).split(",") if part.strip())
    return out


def _codes(args: Mapping, name: str, allowed: Sequence[str], errors: dict[str, str]) -> list[str]:
    values = _getlist(args, name)
    bad = [v for v in values if v not in allowed]
    if bad:
        errors[name] = f"unknown value {bad[0]!r}; expected one of {', '.join(allowed)}"
        return []
    return list(dict.fromkeys(values))


def _tag(args: Mapping, errors: dict[str, str]) -> str | None:
    """``tag``: one code of the tag vocabulary, or None."""
    value = (args.get("tag") or "").strip()
    if not value:
        return None
    if value not in taxonomy.codes("tag"):
        errors["tag"] = f"unknown tag {value[:100]!r}; the tags are listed at /api/v1/taxonomies/tag"
        return None
    return value


def _date(args: Mapping, name: str, errors: dict[str, str]) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        errors[name] = "expected a date as YYYY-MM-DD"
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        errors[name] = f"expected a year from {MIN_YEAR} to {MAX_YEAR}"
        return None
    return parsed


def _datetime(args: Mapping, name: str, errors: dict[str, str]) -> datetime | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        errors[name] = "expected an ISO 8601 date and time, e.g. 2026-03-01T00:00:00+07:00"
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        errors[name] = f"expected a year from {MIN_YEAR} to {MAX_YEAR}"
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=VN)


def parse_warning_filters(args: Mapping) -> tuple[WarningFilters, dict[str, str]]:
    """Warning filters from request args; errors maps a parameter to what is wrong with it."""
    errors: dict[str, str] = {}
    filters = WarningFilters(
        category=_codes(args, "category", taxonomy.codes("category"), errors),
        hazard=_codes(args, "hazard", taxonomy.codes("hazard"), errors),
        risk_level=_codes(args, "risk_level", taxonomy.codes("risk_level"), errors),
        source=_codes(args, "source", tuple(SOURCES), errors),
        tag=_tag(args, errors),
        date_from=_date(args, "date_from", errors),
        date_to=_date(args, "date_to", errors),
        updated_since=_datetime(args, "updated_since", errors),
    )
    status = (args.get("status") or "").strip()
    if status and status not in ("active", "withdrawn"):
        errors["status"] = "expected active or withdrawn"
    else:
        filters.status = status or None
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["date_to"] = "must not be before date_from"
    return filters, errors


def parse_sanction_filters(args: Mapping) -> tuple[SanctionFilters, dict[str, str]]:
    errors: dict[str, str] = {}
    filters = SanctionFilters(
        violation_kind=_codes(args, "violation_kind", taxonomy.codes("violation_kind"), errors),
        updated_since=_datetime(args, "updated_since", errors),
    )
    year = (args.get("year") or "").strip()
    if year:
        filters.year = whole_number(year, 2000, 2100)
        if filters.year is None:
            errors["year"] = "expected a year such as 2026"
    online = (args.get("online") or "").strip().lower()
    if online in ("1", "true", "yes"):
        filters.online = True
    elif online in ("0", "false", "no"):
        filters.online = False
    elif online:
        errors["online"] = "expected 1 (online) or 0 (not online)"
    filters.authority = (args.get("authority") or "").strip()[:300] or None
    return filters, errors


def parse_article_filters(args: Mapping) -> tuple[ArticleFilters, dict[str, str]]:
    errors: dict[str, str] = {}
    filters = ArticleFilters(updated_since=_datetime(args, "updated_since", errors))
    lang = (args.get("lang") or "").strip()
    if lang and lang not in ("vi", "en"):
        errors["lang"] = "expected vi or en"
    else:
        filters.lang = lang or None
    kind = (args.get("kind") or "").strip()
    if kind and kind not in ("guide", "news"):
        errors["kind"] = "expected guide or news"
    else:
        filters.kind = kind or None
    filters.tag = _tag(args, errors)
    return filters, errors


def parse_page(args: Mapping, per_page_default: int = 20) -> tuple[int, int, dict[str, str]]:
    """``page`` (1-based) and ``per_page`` (1..100) from request args."""
    errors: dict[str, str] = {}
    values = {}
    for name, default, upper in (("page", 1, 100000), ("per_page", per_page_default, MAX_PER_PAGE)):
        raw = (args.get(name) or "").strip()
        if not raw:
            values[name] = default
        elif whole_number(raw, 1, upper) is not None:
            values[name] = whole_number(raw, 1, upper)
        else:
            errors[name] = f"expected a whole number from 1 to {upper}"
            values[name] = default
    return values["page"], values["per_page"], errors


def include_demo() -> bool:
    return bool(current_app.config.get("PORTAL_DEMO_CONTENT", True))


# The two orders of a public list. By publication: the list pages, the API and the exports. By
# last public change (`ContentMixin.content_updated_at`): the feeds. Every filter has an index in
# each order (migrations 0007 and 0008), so either walks its matches newest first to the page.
PUBLISHED_ORDER, CHANGE_ORDER = "published", "changed"
MOMENTS = ("published_at", "published_from", "published_until")


class unindexed(FunctionElement):
    """A column SQLite's planner must not use to find rows: ``coalesce(column, column)`` there, the
    plain column on PostgreSQL, which plans from statistics (there COALESCE would only hide them:
    its guess of 0.5 % matching rows made it sort whole tables for a feed or page 50 of the API)."""

    name = "unindexed"
    inherit_cache = True

    def __init__(self, column):
        column = column.__clause_element__() if hasattr(column, "__clause_element__") else column
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _plain(element: unindexed, compiler, **kw) -> str:
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(unindexed, "sqlite")
def _coalesced(element: unindexed, compiler, **kw) -> str:
    column = compiler.process(element.clauses.clauses[0], **kw)
    return f"coalesce({column}, {column})"


class _Columns:
    """``model`` or an alias of it, with the columns named in ``hidden`` read through `unindexed`."""

    def __init__(self, source, hidden: set[str]) -> None:
        self._source, self._hidden = source, hidden

    def __getattr__(self, name: str):
        column = getattr(self._source, name)
        return unindexed(column) if name in self._hidden else column


def public_clause(model: type[ContentMixin], now: datetime | None = None,
                  order: str = PUBLISHED_ORDER, on=None) -> sa.ColumnElement[bool]:
    """What the public may see of ``model`` (or of ``on``, an alias of it) at ``now``, written so
    the planner walks the list's order.

    The status is read through COALESCE on SQLite (`unindexed`): checked on each row, never used
    to find rows. Without statistics SQLite takes an equality on an indexed column for about ten
    rows, so it chose the (status, moment) indexes of the content generation for every public
    query, read every public row in their range and sorted them all (a feed took over a second
    at 100,000 warnings).
    Hidden from the planner, the status leaves it the list's own order index — (published_at,
    id), (decision_date, published_from, id) or a filter's (column, order) index — walked newest
    first and stopped at the page. A status filter a visitor chooses is a plain equality and
    keeps its index.

    In `CHANGE_ORDER` the publication moments are `unindexed` as well: their ranges would
    otherwise win over the (…, content_updated_at, id) indexes and every match in them
    would be sorted by change time.

    The model's own rule (`public_filter`) is written directly on the columns, hidden or not,
    of the model or the alias: no rewriting of a built clause, which cost milliseconds a query.
    """
    now = now or utcnow()
    hidden = {"status"} | (set(MOMENTS) if order == CHANGE_ORDER else set())
    source = _Columns(model if on is None else on, hidden)
    if model is Sanction:
        return Sanction.public_filter.__func__(source, now, include_demo=include_demo())
    return model.public_filter.__func__(source, now)


def prefer_language(query: sa.Select, model: type[ContentMixin], lang: str, now: datetime) -> sa.Select:
    """Leave out an item when its public translation into ``lang`` is listed instead.

    A guide written in Vietnamese with an English translation shows once on each list: the
    Vietnamese version on Vietnamese pages, the English one on English pages.

    Written as two NOT EXISTS probes at the top level of the WHERE clause, never a comparison
    of every row with every row: a translation of the row is found through the partial index on
    (translation_of_id, lang), the original it translates through the primary key. A row already
    in ``lang`` needs neither (the probes say so inside, which keeps them top-level: PostgreSQL
    then plans anti-joins that can follow the list's index and stop at the page, where an OR
    around them made it hash every public row first).
    """
    translation, original = _probe_aliases(model)
    other_language = model.lang != lang
    has_translation = sa.exists().where(
        other_language, translation.translation_of_id == model.id, translation.lang == lang,
        _public_alias(translation, model, now))
    has_original = sa.exists().where(
        other_language, original.id == model.translation_of_id, original.lang == lang,
        _public_alias(original, model, now))
    return query.where(sa.not_(has_translation), sa.not_(has_original))


_PROBE_ALIASES: dict[type, tuple] = {}


def _probe_aliases(model: type[ContentMixin]) -> tuple:
    """The two aliases of ``model`` the language probes use, made once per process: an alias
    builds its column proxies on first use (tens of milliseconds for a wide table), and a list
    page uses the probes on every request. Each statement renders them under its own names."""
    if model not in _PROBE_ALIASES:
        _PROBE_ALIASES[model] = (aliased(model), aliased(model))
    return _PROBE_ALIASES[model]


def _public_alias(alias, model: type[ContentMixin], now: datetime) -> sa.ColumnElement[bool]:
    """The public clause of ``model`` on ``alias``. Its status is `unindexed` on SQLite (see
    `public_clause`), so the probe finds its row through (translation_of_id, lang) or the
    primary key: without statistics SQLite otherwise prefers a (status, moment) index, whose range
    holds most public rows, and the probe becomes a scan per listed row (minutes at 100,000)."""
    return public_clause(model, now, on=alias)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=VN)


def public_warnings(filters: WarningFilters | None = None, now: datetime | None = None,
                    order: str = PUBLISHED_ORDER) -> sa.Select:
    """Public warnings matching ``filters``, newest first (published, or changed in `CHANGE_ORDER`).

    Every filter is an index in list order, so the planner can walk the matches newest first and
    stop at the page: one hazard through warning_hazard (code, published_at, warning_id), a tag
    through warning_tag likewise, the other filters through (column, published_at, id) on the
    warning itself; in change order (code or tag, changed_at, warning_id) and (column,
    content_updated_at, id). In change order several hazards or several values of one column have
    no index in that order: when many warnings match they are checked on each row of the
    change-order walk, when few match they are read through their own index and sorted (`FEW`).
    """
    filters = filters or WarningFilters()
    now = now or utcnow()
    query = sa.select(Warning).where(public_clause(Warning, now, order))
    ordering = _ordering(Warning, order)
    walked = order == PUBLISHED_ORDER
    if filters.tag:
        # Walk the tag's rows in the list's order (warning_tag, kept by triggers), stopping at the page.
        query, ordering = _walk_link(query, WarningTag.warning_id, Warning.id,
                                     WarningTag.tag == filters.tag, order, now)
    if len(filters.hazard) == 1 and not filters.tag:
        # Walk the hazard's rows likewise; their published_at and changed_at are the warning's.
        query, ordering = _walk_link(query, WarningHazard.warning_id, Warning.id,
                                     WarningHazard.code == filters.hazard[0], order, now)
    elif filters.hazard and walked:
        query = query.where(Warning.id.in_(
            sa.select(WarningHazard.warning_id).where(WarningHazard.code.in_(filters.hazard))))
    elif filters.hazard:
        query = query.where(_rows_in(Warning.id, WarningHazard.warning_id, WarningHazard.code.in_(filters.hazard)))
    if filters.category:
        query = query.where(_column_in(Warning, Warning.category, filters.category, order))
    if filters.risk_level:
        query = query.where(_column_in(Warning, Warning.risk_level, filters.risk_level, order))
    if filters.source:
        query = query.where(_column_in(Warning, Warning.source_kind, filters.source, order))
    if filters.status == "withdrawn":
        query = query.where(Warning.status == WITHDRAWN)
    elif filters.status == "active":
        query = query.where(Warning.status == PUBLISHED)  # public and not withdrawn
    if filters.date_from:
        query = query.where(Warning.published_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(Warning.published_at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.updated_since:
        query = query.where(Warning.updated_at >= filters.updated_since)
    return _in_order(query, ordering, order, now)


def _walk_link(query: sa.Select, key, item_id, where: sa.ColumnElement, order: str,
               now: datetime) -> tuple[sa.Select, tuple]:
    """``query`` joined to the rows of a link table (hazards, tags) whose ``key`` is the item's
    ``item_id`` and that match ``where``, walked in the list's order through the link's own
    index: (value, published_at, key) by publication, (value, changed_at, key) by change (both
    copied from the item by triggers)."""
    link = key.class_
    moment = link.changed_at if order == CHANGE_ORDER else link.published_at
    query = query.join(link, key == item_id).where(where)
    if order == PUBLISHED_ORDER:
        query = query.where(moment <= now)
    return query, (moment.desc(), key.desc())


def _in_order(query: sa.Select, ordering: tuple, order: str, now: datetime) -> sa.Select:
    """``query`` in ``ordering``. In change order, only changes that have happened: the walk of the
    change-order index starts at ``now``, not above it, where items still waiting for their time
    (scheduled publications, enforcement results whose window opens later) would each be read
    and skipped. A public item's change time is never ahead of now: it is its publication time
    or a later update's."""
    if order == CHANGE_ORDER:
        query = query.where(ordering[0].element <= now)
    return query.order_by(*ordering)


# In change order (feeds), the planner should walk the change-order index and stop at the
# feed's size, checking a filter on each row, when many items match the filter; when few do,
# finding them through the filter's own index and sorting them costs less (walking the change
# order past every other item would cost the table). A count of the filter's ids through its
# index, stopped at FEW, decides: one statement reading at most FEW index entries.
FEW = 2000


def _few(ids: sa.Select) -> bool:
    """Whether at most `FEW` rows match ``ids`` (a one-column select the filter's index covers)."""
    counted = db.session.execute(sa.select(sa.func.count()).select_from(ids.limit(FEW + 1).subquery()))
    return counted.scalar_one() <= FEW


def _rows_in(model_id: sa.ColumnElement, link_id: sa.ColumnElement, where: sa.ColumnElement) -> sa.ColumnElement:
    """``model_id`` among the ``link_id`` of a link table's rows matching ``where`` (hazards,
    tags): in change order as a per-row EXISTS when many match (see `FEW`), else as a list."""
    ids = sa.select(link_id).where(where)
    if _few(ids):
        return model_id.in_(ids)
    return sa.exists().where(link_id == model_id, where)


def _column_in(model: type[ContentMixin], column, values: Sequence[str], order: str) -> sa.ColumnElement:
    """``column IN values``. One value has its (column, order) index; several, in change order,
    have no index in that order, so when many rows match (see `FEW`) the column is `unindexed`
    and checked on each row of the change-order walk."""
    if order == CHANGE_ORDER and len(values) > 1 and not _few(sa.select(model.id).where(column.in_(values))):
        return unindexed(column).in_(values)
    return column.in_(values)


def _ordering(model: type[ContentMixin], order: str) -> tuple[sa.ColumnElement, ...]:
    """ORDER BY of a public list of ``model`` in ``order``, newest first."""
    if order == CHANGE_ORDER:
        return model.content_updated_at.desc(), model.id.desc()
    if model is Sanction:
        return Sanction.decision_date.desc(), Sanction.published_from.desc(), Sanction.id.desc()
    return model.published_at.desc(), model.id.desc()


def source_code(authority: str) -> str:
    """The filter code of a warning's source authority (what the database stores as source_kind)."""
    lowered = (authority or "").lower()
    for code, (_, _, needles) in SOURCES.items():
        if any(needle in lowered for needle in needles):
            return code
    return "domestic"


def public_sanctions(filters: SanctionFilters | None = None, now: datetime | None = None,
                     order: str = PUBLISHED_ORDER) -> sa.Select:
    """Public enforcement results matching ``filters``, newest decision first (or newest change)."""
    filters = filters or SanctionFilters()
    query = sa.select(Sanction).where(public_clause(Sanction, now, order))
    if filters.year:
        start, end = date(filters.year, 1, 1), date(filters.year + 1, 1, 1)
        decided = Sanction.decision_date
        if order == CHANGE_ORDER and not _few(sa.select(Sanction.id).where(decided >= start, decided < end)):
            decided = unindexed(decided)  # a busy year: checked on each row of the change-order walk (`FEW`)
        query = query.where(decided >= start, decided < end)
    if filters.violation_kind:
        query = query.where(_column_in(Sanction, Sanction.violation_kind, filters.violation_kind, order))
    if filters.online is not None:
        query = query.where(Sanction.online.is_(filters.online))
    if filters.authority:
        query = query.where(Sanction.decision_authority == filters.authority)
    if filters.updated_since:
        query = query.where(Sanction.updated_at >= filters.updated_since)
    return _in_order(query, _ordering(Sanction, order), order, now or utcnow())


def public_articles(filters: ArticleFilters | None = None, now: datetime | None = None,
                    order: str = PUBLISHED_ORDER) -> sa.Select:
    """Public guides and news matching ``filters``, newest first (published, or changed)."""
    filters = filters or ArticleFilters()
    now = now or utcnow()
    query = sa.select(Article).where(public_clause(Article, now, order))
    ordering = _ordering(Article, order)
    if filters.tag:
        # Walk the tag's rows in the list's order (article_tag, kept by triggers), stopping at the page.
        query, ordering = _walk_link(query, ArticleTag.article_id, Article.id,
                                     ArticleTag.tag == filters.tag, order, now)
    if filters.lang:
        query = query.where(Article.lang == filters.lang)
    if filters.kind:
        query = query.where(Article.kind == filters.kind)
    if filters.updated_since:
        query = query.where(Article.updated_at >= filters.updated_since)
    return _in_order(query, ordering, order, now)


def sanction_facets(now: datetime | None = None, generation: str | None = None) -> dict[str, list]:
    """Years and authorities present among public enforcement results (for filter choices).

    Reads only results inside their publication window (through the (status, published_until)
    index: the public clause as the model writes it, with its status indexed, not `public_clause`,
    whose planner would walk a whole order index here), so its cost follows what is public now,
    not the archive; with the content ``generation`` given, once per generation (`memo`).
    """
    def read() -> dict[str, list]:
        public = Sanction.public_filter(now or utcnow(), include_demo=include_demo())
        rows = db.session.execute(
            sa.select(Sanction.decision_date, Sanction.decision_authority).where(public).distinct()
        ).all()
        return {"years": sorted({d.year for d, _ in rows}, reverse=True),
                "authorities": sorted({a for _, a in rows})}

    return memo.remember(generation, ("sanction_facets", include_demo()), read)


def paginate(query: sa.Select, page: int = 1, per_page: int = 20, limit: int | None = None,
             count_key: Any = None, generation: str | None = None) -> Page:
    """Run ``query`` for one page, counting at most ``limit`` (default `LIST_LIMIT`) matches.

    Counting every match, or skipping to any page, would cost in proportion to the table; this
    costs at most the limit. A page past the counted matches runs no item query. With a
    ``count_key`` that names the query (its list and filters) and the content ``generation``,
    the count is read once per generation (`memo`): the other pages of the same list reuse it.
    """
    limit = limit or LIST_LIMIT

    def count() -> int:
        return db.session.execute(
            sa.select(sa.func.count()).select_from(query.order_by(None).limit(limit + 1).subquery())
        ).scalar_one()

    counted = memo.remember(generation, ("count", count_key, limit), count) if count_key is not None else count()
    result = Page(items=[], total=min(counted, limit), page=page, per_page=per_page, exact=counted <= limit)
    if page <= result.pages and result.total:
        offset = (page - 1) * per_page
        size = min(per_page, result.total - offset)  # nothing past the limit, even on the last page
        result.items = list(db.session.execute(query.limit(size).offset(offset)).scalars())
    return result


@dataclass
class Lookup:
    """The outcome of looking an item up by slug for the public."""

    item: ContentMixin | None = None
    redirect_slug: str | None = None
    gone: bool = False  # existed publicly but its publication window is over


def find_public(kind: str, slug: str, now: datetime | None = None) -> Lookup:
    """Find a public item by its slug (or a former slug, for a 301)."""
    now = now or utcnow()
    model = CONTENT_MODELS[kind]
    item = db.session.execute(sa.select(model).where(model.slug == slug)).scalar_one_or_none()
    if item is None:
        old = db.session.execute(
            sa.select(OldSlug).where(OldSlug.item_type == kind, OldSlug.slug == slug)
        ).scalar_one_or_none()
        if old is None:
            return Lookup()
        item = db.session.get(model, old.item_id)
        if item is None or not is_public(item, now):
            return Lookup()
        return Lookup(redirect_slug=item.slug)
    if is_public(item, now):
        return Lookup(item=item)
    if isinstance(item, Sanction) and item.status == "published" and item.published_until and item.published_until <= now:
        return Lookup(gone=True)
    return Lookup()


def is_public(item: ContentMixin, now: datetime | None = None) -> bool:
    """Whether the public may see ``item`` at ``now``."""
    model = type(item)
    query = sa.select(sa.literal(True)).where(model.id == item.id, public_clause(model, now))
    return db.session.execute(query).scalar() is not None


def translations(item: ContentMixin) -> dict[str, ContentMixin]:
    """The item in each language it exists in, public or not (callers check is_public)."""
    model = type(item)
    original = item.translation_of or item
    found = {original.lang: original}
    for other in db.session.execute(sa.select(model).where(model.translation_of_id == original.id)).scalars():
        found.setdefault(other.lang, other)
    return found
