"""Grouped counts of public warnings and enforcement results, one SQL statement per chart.

What counts is what the public may see now, decided by `content.queries` (never re-derived
here): published warnings whose time has come — withdrawn ones included, since they were
published and stay readable — and enforcement results inside their publication window. An item
and its translation count once (`queries.prefer_language`, the Vietnamese version kept).

Months and years are Vietnam's (Asia/Ho_Chi_Minh, UTC+7 without summer time since 1975):
timestamps are stored as UTC, so they are shifted by seven hours in SQL, the same way on SQLite
and PostgreSQL. A decision date is a plain date and is grouped as it is.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ..content import queries
from ..content.models import Sanction, Warning
from ..extensions import db

VIETNAM = timezone(timedelta(hours=7))
STATISTICS_LANG = "vi"  # the version of an item that counts when it exists in both languages


class vietnam_time(FunctionElement):
    """A UTC timestamp column as Vietnam's wall-clock time (for EXTRACT of year and month)."""

    type = sa.DateTime()
    name = "vietnam_time"
    inherit_cache = True


@compiles(vietnam_time)
def _vietnam_time_sqlite(element, compiler, **kw):
    return "datetime(%s, '+7 hours')" % compiler.process(element.clauses, **kw)


@compiles(vietnam_time, "postgresql")
def _vietnam_time_postgresql(element, compiler, **kw):
    return "(%s + INTERVAL '7 hours')" % compiler.process(element.clauses, **kw)


def _part(field: str, column) -> sa.ColumnElement[int]:
    return sa.cast(sa.extract(field, column), sa.Integer)


def warning_month() -> sa.ColumnElement[int]:
    return _part("month", vietnam_time(Warning.published_at))


def warning_year() -> sa.ColumnElement[int]:
    return _part("year", vietnam_time(Warning.published_at))


def _vietnam_year(moment: datetime) -> int:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # stored as UTC
    return aware.astimezone(VIETNAM).year


def year_start(year: int) -> datetime:
    """Midnight of 1 January ``year`` in Vietnam."""
    return datetime.combine(date(year, 1, 1), time.min, tzinfo=VIETNAM)


@lru_cache(maxsize=8)
def _public_base(model, now: datetime, include_demo: bool) -> sa.Select:
    """The public rows of ``model`` at ``now``, each item once. Built once for all of a page's charts
    (the language rule's clause is costly to build); a chart picks its columns with
    ``with_only_columns``, which keeps the WHERE clause."""
    query = sa.select(model.id).where(queries.public_clause(model, now))
    return queries.prefer_language(query, model, STATISTICS_LANG, now)


def _public(model, columns, now: datetime) -> sa.Select:
    return _public_base(model, now, queries.include_demo()).with_only_columns(*columns)


def _warnings_in(year: int, columns, now: datetime) -> sa.Select:
    return _public(Warning, columns, now).where(
        Warning.published_at >= year_start(year), Warning.published_at < year_start(year + 1))


def _sanctions_in(year: int, columns, now: datetime) -> sa.Select:
    return _public(Sanction, columns, now).where(
        Sanction.decision_date >= date(year, 1, 1), Sanction.decision_date < date(year + 1, 1, 1))


def _rows(query: sa.Select) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(query).all()]


def warning_years(now: datetime) -> set[int]:
    """Years (in Vietnam) in which public warnings were published.

    Not a GROUP BY over every warning: the first and the last public warning are read through
    the publication-time index, then one EXISTS probe per year between them stops at the year's
    first public warning. Two statements, whatever the number of warnings.
    """
    public = _public(Warning, [Warning.published_at], now)
    first = public.order_by(Warning.published_at.asc()).limit(1).scalar_subquery()
    last = public.order_by(Warning.published_at.desc()).limit(1).scalar_subquery()
    earliest, latest = db.session.execute(sa.select(first, last)).one()
    if earliest is None:
        return set()
    span = range(_vietnam_year(earliest), _vietnam_year(latest) + 1)
    probes = [sa.exists(_warnings_in(year, [sa.literal(1)], now)) for year in span]
    found = db.session.execute(sa.select(*probes)).one()
    return {year for year, present in zip(span, found) if present}


def sanction_years(now: datetime) -> set[int]:
    """Years of the decisions of the enforcement results public now."""
    year = _part("year", Sanction.decision_date)
    return {y for (y,) in _rows(_public(Sanction, [year], now).group_by(year))}


def warnings_by(column_name: str, year: int, now: datetime) -> list[tuple[str | None, int]]:
    """(code, count) of public warnings published in ``year``, by a coded column of the warning."""
    column = getattr(Warning, column_name)
    return _rows(_warnings_in(year, [column, sa.func.count()], now).group_by(column))


def warnings_by_month(year: int, now: datetime) -> list[tuple[int, int]]:
    """(month, count) of public warnings published in ``year``, months in Vietnam's time."""
    month = warning_month()
    return _rows(_warnings_in(year, [month, sa.func.count()], now).group_by(month))


def sanctions_by_month(year: int, now: datetime) -> list[tuple[int, int, int, int]]:
    """(month, count, fines in VND, illustrative items) of the public enforcement results of ``year``."""
    month = _part("month", Sanction.decision_date)
    demo = sa.func.sum(sa.case((Sanction.demo.is_(True), 1), else_=0))
    fines = sa.func.coalesce(sa.func.sum(Sanction.fine_vnd), 0)
    return [(m, count, int(fine), int(demos or 0)) for m, count, fine, demos in
            _rows(_sanctions_in(year, [month, sa.func.count(), fines, demo], now).group_by(month))]


def sanctions_by_kind(year: int, now: datetime) -> list[tuple[str, int]]:
    """(violation kind, count) of the public enforcement results of ``year``."""
    kind = Sanction.violation_kind
    return _rows(_sanctions_in(year, [kind, sa.func.count()], now).group_by(kind))
