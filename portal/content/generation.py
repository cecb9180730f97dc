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


def _latest_boundary(column, status: str, now: datetime) -> sa.ScalarSelect:
    """The newest value of ``column`` at or before ``now`` among rows in ``status``: one index seek."""
    return (sa.select(column).where(column.class_.status == status, column <= now)
            .order_by(column.desc()).limit(1).scalar_subquery())


def current(now: datetime | None = None) -> Generation:
    """The generation at ``now`` (one statement; cost independent of the number of items)."""
    now = now or utcnow()
    row = sa.select(ContentGeneration.counter, ContentGeneration.changed_at).where(ContentGeneration.id == ROW_ID)
    counter, changed_at, *boundaries = db.session.execute(sa.select(
        row.with_only_columns(ContentGeneration.counter).scalar_subquery(),
        row.with_only_columns(ContentGeneration.changed_at).scalar_subquery(),
        *(_latest_boundary(column, status, now) for column, status in BOUNDARIES),
    )).one()
    boundary = max((b for b in boundaries if b is not None), default=None)
    edge = _campaign_edge(now)
    if edge is not None and (boundary is None or edge > boundary):
        boundary = edge
    changed = min(changed_at, now) if changed_at is not None else None  # another node's clock may be ahead
    modified = max((moment for moment in (changed, boundary) if moment is not None), default=EPOCH)
    return Generation(counter=counter or 0, boundary=boundary, modified=modified)


def _campaign_edge(now: datetime) -> datetime | None:
    """The latest edge of the campaign banner's window (a boundary with no write at all)."""
    if not has_app_context():
        return None
    return campaign_window.latest_edge(current_app.config, now)


def bump(now: datetime | None = None) -> None:
    """Record a public change, in the caller's transaction (the caller commits)."""
    now = sa.literal(now or utcnow(), UTCDateTime())
    table = ContentGeneration.__table__
    updated = db.session.execute(
        sa.update(table).where(table.c.id == ROW_ID)
        .values(counter=table.c.counter + 1,
                changed_at=sa.case((table.c.changed_at > now, table.c.changed_at), else_=now))
    ).rowcount
    if not updated:  # a database made without the migration's first row
        db.session.execute(sa.insert(table).values(id=ROW_ID, counter=1, changed_at=now))
