"""Several nodes following one outbox: where each node's index stands, pruning, catching up.

Every app node keeps its own index (``SEARCH_INDEX_DIR``) and follows the same
``search_outbox``. The process that follows the outbox for an index directory records the
node's position in ``search_nodes`` (node id, index directory, last outbox id applied, the
id below which everything is applied, last seen). With that:

- rows every *live* node has applied are pruned (a node is live while it was seen within
  ``SEARCH_NODE_RETENTION`` seconds); the row at the cut is kept, so the outbox never empties
  once written and its newest row (which dates the content generation) stays;
- a node that was away longer than the retention finds rows it never applied pruned (its
  position is below the oldest row kept) and rebuilds its index from the database by itself.

Out-of-order commits: an indexer remembers ids it skipped (gaps) and looks for them for a
while. ``safe_applied`` is the id below which nothing is awaited, and pruning stops there, so
a late commit is never pruned before every node has seen it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from ..content.models import SearchOutbox, UTCDateTime, utcnow
from ..extensions import db
from .store import IndexStore, Position

log = logging.getLogger(__name__)

HEARTBEAT = 5.0        # seconds between position records when nothing changed
PRUNE_INTERVAL = 60.0  # seconds between prunes by one node
DEFAULT_RETENTION = 7 * 24 * 3600


class SearchNode(db.Model):
    """One node's index and how far it follows the outbox."""

    __tablename__ = "search_nodes"

    node_id: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    index_dir: Mapped[str] = mapped_column(sa.String(1000))
    host: Mapped[str] = mapped_column(sa.String(255))
    last_applied: Mapped[int] = mapped_column(sa.BigInteger)
    safe_applied: Mapped[int] = mapped_column(sa.BigInteger)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


def node_id(app: Flask) -> str:
    """``SEARCH_NODE_ID``, else the host name and a digest of the index directory's path."""
    if app.config.get("SEARCH_NODE_ID"):
        return str(app.config["SEARCH_NODE_ID"])[:200]
    index_dir = os.path.realpath(app.config["SEARCH_INDEX_DIR"])
    return f"{socket.gethostname()[:150]}:{hashlib.sha1(index_dir.encode()).hexdigest()[:12]}"


def retention(app: Flask) -> float:
    return float(app.config.get("SEARCH_NODE_RETENTION", DEFAULT_RETENTION))


def safe_point(position: Position) -> int:
    """The id up to which every outbox row is applied (nothing below it is still awaited)."""
    return min(min(position.gaps) - 1, position.last) if position.gaps else position.last


def index_position(store: IndexStore) -> Position | None:
    generation = store.current()
    return store.read_position(generation) if generation else None


def record(app: Flask, store: IndexStore, now: datetime | None = None) -> SearchNode | None:
    """Write this node's position and ``last_seen`` (call inside an app context); commits."""
    position = index_position(store)
    if position is None:
        return None
    now = now or utcnow()
    ident = node_id(app)
    for _attempt in range(2):
        row = db.session.get(SearchNode, ident)
        if row is None:
            row = SearchNode(node_id=ident, started_at=now)
            db.session.add(row)
        row.index_dir = str(Path(store.root).resolve())[:1000]
        row.host = socket.gethostname()[:255]
        row.last_applied = position.last
        row.safe_applied = safe_point(position)
        row.last_seen = now
        try:
            db.session.commit()
            return row
        except IntegrityError:  # another process of this node inserted it first
            db.session.rollback()
    return None


def live_nodes(keep_for: float, now: datetime | None = None) -> list[SearchNode]:
    since = (now or utcnow()) - timedelta(seconds=keep_for)
    return list(db.session.execute(
        sa.select(SearchNode).where(SearchNode.last_seen >= since).order_by(SearchNode.node_id)).scalars())


def prune(keep_for: float, now: datetime | None = None) -> int:
    """Delete outbox rows every live node has applied; returns how many were deleted.

    The newest row at or below the cut is kept, so "oldest row kept" tells a returning node
    whether it missed anything.
    """
    nodes = live_nodes(keep_for, now)
    if not nodes:
        return 0
    floor = min(node.safe_applied for node in nodes)
    cut = db.session.execute(sa.select(sa.func.max(SearchOutbox.id)).where(SearchOutbox.id <= floor)).scalar()
    if cut is None:
        db.session.rollback()
        return 0
    deleted = db.session.execute(sa.delete(SearchOutbox).where(SearchOutbox.id < cut)).rowcount or 0
    db.session.commit()
    return deleted


def oldest_outbox_id() -> int | None:
    return db.session.execute(sa.select(sa.func.min(SearchOutbox.id))).scalar()


def missed_rows(store: IndexStore) -> bool:
    """Whether rows this node never applied were pruned (it was away longer than the retention)."""
    position = index_position(store)
    if position is None:
        return False  # no index yet: the indexer builds one anyway
    oldest = oldest_outbox_id()
    return oldest is not None and safe_point(position) < oldest - 1


@dataclass
class NodeTracker:
    """The follower's companion: catches up after a long absence, records, prunes.

    Failures here (for example a database without the ``search_nodes`` table yet) are logged
    and never stop the follower from applying the outbox.
    """

    app: Flask
    store: IndexStore
    _checked: float = 0.0
    _recorded: float = 0.0
    _recorded_last: int | None = None
    _pruned: float = 0.0

    def catch_up(self) -> bool:
        """Rebuild the index when rows it needs were pruned (checked every HEARTBEAT seconds)."""
        now = time.monotonic()
        if self._checked and now - self._checked < HEARTBEAT:
            return False
        self._checked = now
        try:
            missed = missed_rows(self.store)
            db.session.rollback()
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("search nodes: could not compare the index with the outbox", exc_info=True)
            return False
        if not missed:
            return False
        from .indexer import rebuild

        log.warning("search nodes: outbox rows this index never applied were pruned; rebuilding %s",
                    self.store.root)
        rebuild(self.store)
        self._recorded = 0.0
        return True

    def report(self) -> None:
        """Record the position when it moved or every HEARTBEAT seconds; prune now and then."""
        now = time.monotonic()
        position = index_position(self.store)
        last = position.last if position else None
        if self._recorded and last == self._recorded_last and now - self._recorded < HEARTBEAT:
            return
        try:
            record(self.app, self.store)
            self._recorded, self._recorded_last = now, last
            if now - self._pruned >= PRUNE_INTERVAL or not self._pruned:
                self._pruned = now
                deleted = prune(retention(self.app))
                if deleted:
                    log.info("search nodes: pruned %d outbox rows every live node has applied", deleted)
        except SQLAlchemyError:
            db.session.rollback()
            log.warning("search nodes: could not record this node's position", exc_info=True)
