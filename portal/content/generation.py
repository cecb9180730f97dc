"""The content generation: when public content last changed, cheap enough to ask on every request.

Two things move it, and nothing else:
- a **public change** — publish, schedule, withdraw, archive, a load or import of a live item —
  bumps the single `ContentGeneration` row in the same transaction as the change
  (`services.record_change` calls `bump`); a draft saved beside a live item does not;
- a **time boundary** passing with no write at all: a scheduled item's `published_at`, an
  enforcement result's `published_from` or `published_until`, an edge of the home page's
  campaign banner window (`campaign_window`, from the settings: no query). The latest boundary at or before
  ``now`` is read from the content tables through their indexes (one row each, newest first).

`current` reads both in one statement of indexed single-row lookups, whatever the number of
items. Its `key` identifies what the public can see (for ETags and rendered-page caches);
its `modified` is the moment to send as Last-Modified.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from flask import current_app, has_app_context

from ..extensions import db
from . import campaign_window
from .models import PUBLISHED, WITHDRAWN, Article, Sanction, UTCDateTime, Warning, utcnow

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
ROW_ID = 1


class ContentGeneration(db.Model):
    """One row: how many public changes there have been, and when the last one was."""

    __tablename__ = "content_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class Generation:
    """What the public can see at a moment: ``key`` changes exactly when ``modified`` may."""

    counter: int
    boundary: datetime | None  # the latest time boundary passed
    modified: datetime  # the latest public change or boundary (Last-Modified)

    @property
    def key(self) -> str:
        boundary = int(self.boundary.timestamp()) if self.boundary else 0
        return f"{self.counter}.{boundary}"


# (column, status): a live row's value of the column is a moment public content changes by itself.
BOUNDARIES = (
    (Article.published_at, PUBLISHED),
    (Warning.published_at, PUBLISHED),
    (Warning.published_at, WITHDRAWN),
    (Sanction.published_at, PUBLISHED),
    (Sanction.published_from, PUBLISHED),
    (Sanction.published_until, PUBLISHED),
)
# One (status, moment) index per boundary column, so each lookup is a single seek (migration 0003).
for _column in dict.fromkeys(column for column, _ in BOUNDARIES):
    sa.Index(f"ix_{_column.class_.__tablename__}_status_{_column.key}", _column.class_.status, _column)


def _latest_boundary(column, status: str, now) -> sa.ScalarSelect:
    """The newest value of ``column`` at or before ``now`` among rows in ``status``: one index seek."""
    table = column.class_.__table__
    value = table.c[column.key]
    return (sa.select(value).where(table.c.status == status, value <= now)
            .order_by(value.desc()).limit(1).scalar_subquery())


def _statement() -> sa.Select:
    """The generation's one statement, with ``now`` as a parameter (built once per process)."""
    now = sa.bindparam("now", type_=UTCDateTime())
    table = ContentGeneration.__table__
    row = sa.select(table.c.counter, table.c.changed_at).where(table.c.id == ROW_ID)
    return sa.select(
        row.with_only_columns(table.c.counter).scalar_subquery(),
        row.with_only_columns(table.c.changed_at).scalar_subquery(),
        *(_latest_boundary(column, status, now) for column, status in BOUNDARIES),
    )


_STATEMENT: sa.Select | None = None


def current(now: datetime | None = None) -> Generation:
    """The generation at ``now`` (one statement; cost independent of the number of items).

    The statement is plain Core, built once: on a cached page the generation is most of the
    request's work, so it must not pay for building SQL expressions each time."""
    global _STATEMENT
    if _STATEMENT is None:
        _STATEMENT = _statement()
    now = now or utcnow()
    counter, changed_at, *boundaries = db.session.connection().execute(_STATEMENT, {"now": now}).one()
    boundary = max((b for b in boundaries if b is not None), default=None)
    edge = _campaign_edge(now)
    if edge is not None and (boundary is None or edge > boundary):
        boundary = edge
    changed = min(changed_at, now) if changed_at is not None else None  # another node's clock may be ahead
    modified = max((moment for moment in (changed, boundary) if moment is not None), default=EPOCH)
    return Generation(counter=counter or 0, boundary=boundary, modified=modified)


class Recent:
    """The generation this process read last, reused by its requests for ``ttl`` seconds.

    On a cached page, reading the generation is most of the request's work; under load a
    worker answering hundreds of requests a second need not ask the database each time.
    What the public sees may then lag a change by up to ``ttl`` (default 1 s, set by
    PORTAL_GENERATION_TTL; 0 reads it on every request). A public change made by this
    process forgets the kept value at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[Generation, float] | None = None

    def get(self, ttl: float) -> Generation:
        if ttl <= 0:
            return current()
        kept = self._kept
        if kept is not None and time.monotonic() - kept[1] < ttl:
            return kept[0]
        with self._lock:  # one thread reads it; the others of this worker take its answer
            kept = self._kept
            if kept is not None and time.monotonic() - kept[1] < ttl:
                return kept[0]
            fresh = current()
            self._kept = (fresh, time.monotonic())
            return fresh

    def forget(self) -> None:
        self._kept = None


RECENT = Recent()  # per process; forgotten by `bump`, so tests with several apps stay exact


def _campaign_edge(now: datetime) -> datetime | None:
    """The latest edge of the campaign banner's window (a boundary with no write at all)."""
    if not has_app_context():
        return None
    return campaign_window.latest_edge(current_app.config, now)


def bump(now: datetime | None = None) -> None:
    """Record a public change, in the caller's transaction (the caller commits)."""
    RECENT.forget()
    now = sa.literal(now or utcnow(), UTCDateTime())
    table = ContentGeneration.__table__
    updated = db.session.execute(
        sa.update(table).where(table.c.id == ROW_ID)
        .values(counter=table.c.counter + 1,
                changed_at=sa.case((table.c.changed_at > now, table.c.changed_at), else_=now))
    ).rowcount
    if not updated:  # a database made without the migration's first row
        db.session.execute(sa.insert(table).values(id=ROW_ID, counter=1, changed_at=now))
