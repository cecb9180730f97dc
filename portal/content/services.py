"""Bookkeeping shared by every service that changes content.

Every change of state writes, in the caller's transaction: a `Revision` (the item as a
content dict), an `AuditEntry`, and a `SearchOutbox` row for the search index to follow.
Workflow services (publish, withdraw, ...) build on `record_change`.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import has_request_context, request

from ..extensions import db
from . import generation
from .models import DRAFT, REVIEW, AuditEntry, ContentMixin, Revision, SearchOutbox, User, utcnow
from .schema import iso, to_dict


def actor_label(actor: User | None, fallback: str = "cli") -> str:
    return actor.email if actor is not None else fallback


def audit(action: str, actor: User | None = None, item: ContentMixin | None = None,
          detail: dict[str, Any] | None = None, label: str | None = None) -> AuditEntry:
    """Add an audit entry to the session (the caller commits)."""
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        actor_label=label or actor_label(actor),
        item_type=item.item_type if item is not None else None,
        item_id=item.id if item is not None else None,
        detail=detail or {},
        remote_addr=(request.remote_addr or "") if has_request_context() else "",
        at=utcnow(),
    )
    db.session.add(entry)
    return entry


def enqueue_search(item_type: str, item_id: int, op: str = "upsert") -> None:
    """Tell the search indexer that an item changed (or is gone: op="delete")."""
    db.session.add(SearchOutbox(item_type=item_type, item_id=item_id, op=op, created_at=utcnow()))


def record_change(item: ContentMixin, action: str, actor: User | None = None, note: str = "",
                  data: dict[str, Any] | None = None, label: str | None = None,
                  public: bool | None = None) -> Revision:
    """Write the revision, audit entry and outbox row for a change to ``item``.

    ``data`` is the snapshot to keep (default: the row as it now is); the row itself is
    flushed so it has an id. The version is bumped for every change after creation.
    ``public`` says whether the public can see the change (default: whether the item is out
    of draft and review); a public change bumps the content generation.
    """
    if item.id is None:
        db.session.add(item)
        db.session.flush()
    else:
        item.version = (item.version or 0) + 1
    item.updated_at = utcnow()
    revision = Revision(
        item_type=item.item_type, item_id=item.id, version=item.version,
        data=_jsonable(data if data is not None else to_dict(item)), action=action, note=note,
        author_id=actor.id if actor is not None else None, created_at=utcnow(),
    )
    db.session.add(revision)
    db.session.flush()
    item.latest_revision_id = revision.id
    audit(f"{item.item_type}.{action}", actor, item, {"version": item.version, "note": note} if note else
          {"version": item.version}, label=label)
    enqueue_search(item.item_type, item.id)
    if public is None:
        public = item.status not in (DRAFT, REVIEW)
    if public:
        generation.bump()
    return revision


def record_changes(changes: list[tuple[ContentMixin, str]], label: str | None = None) -> None:
    """`record_change` for many items at once (the loader's batches): the same rows, a few flushes.

    ``changes`` holds (item, action) pairs; new items are added to the session here.
    """
    new = {id(item) for item, _ in changes if item.id is None}
    db.session.add_all(item for item, _ in changes if id(item) in new)
    db.session.flush()
    now = utcnow()
    revisions = []
    for item, action in changes:
        if id(item) not in new:
            item.version = (item.version or 0) + 1
        item.updated_at = now
        revisions.append(Revision(item_type=item.item_type, item_id=item.id, version=item.version,
                                  data=_jsonable(to_dict(item)), action=action, note="", author_id=None,
                                  created_at=now))
    db.session.add_all(revisions)
    db.session.flush()
    for (item, action), revision in zip(changes, revisions):
        item.latest_revision_id = revision.id
        audit(f"{item.item_type}.{action}", None, item, {"version": item.version}, label=label)
        enqueue_search(item.item_type, item.id)
    if any(item.status not in (DRAFT, REVIEW) for item, _ in changes):
        generation.bump()


def _jsonable(value: Any) -> Any:
    """Dates in a content dict become ISO strings so the snapshot is plain JSON."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
