"""What the admin lists: the dashboard's queues and the filtered content lists."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from ..content.models import (
    CONTENT_MODELS,
    DRAFT,
    PUBLISHED,
    REVIEW,
    WITHDRAWN,
    AuditEntry,
    ContentMixin,
    Revision,
    Sanction,
    User,
)
from ..content.workflow import DRAFT_ACTIONS, pending_stage
from ..extensions import db

LIST_FILTERS = ("draft", "review", "changes", "scheduled", "published", "withdrawn", "archived")


@dataclass
class Listing:
    items: list[Any]
    total: int
    page: int
    pages: int
    pending: dict[int, str] = field(default_factory=dict)  # item id → stage of its unpublished update


def pending_stages(kind: str, items: list[ContentMixin]) -> dict[int, str]:
    """`workflow.pending_stage` for a page of items in one statement (not one per row)."""
    ids = [item.id for item in items if item.status in (PUBLISHED, WITHDRAWN) and item.has_unpublished_changes]
    if not ids:
        return {}
    latest = (db.select(Revision.item_id, sa.func.max(Revision.id).label("revision_id"))
              .where(Revision.item_type == kind, Revision.item_id.in_(ids), Revision.action.in_(DRAFT_ACTIONS))
              .group_by(Revision.item_id).subquery())
    rows = db.session.execute(db.select(latest.c.item_id, Revision.data["workflow"].as_string())
                              .join(Revision, Revision.id == latest.c.revision_id))
    found = {item_id: stage or DRAFT for item_id, stage in rows}
    return {item_id: found.get(item_id, DRAFT) for item_id in ids}


def awaiting_review(types: list[str]) -> list[ContentMixin]:
    """New items submitted for review, and live items whose submitted update waits."""
    found: list[ContentMixin] = []
    for kind in types:
        model = CONTENT_MODELS[kind]
        rows = db.session.execute(db.select(model).where(sa.or_(
            model.status == REVIEW,
            sa.and_(model.status.in_((PUBLISHED, WITHDRAWN)), model.has_unpublished_changes.is_(True)),
        )).order_by(model.updated_at)).scalars()
        found.extend(row for row in rows if row.status == REVIEW or pending_stage(row) == REVIEW)
    return sorted(found, key=lambda item: item.updated_at)


def drafts(types: list[str], limit: int = 20) -> list[ContentMixin]:
    """Work in progress: new drafts and live items with unsubmitted changes.

    Imported drafts no editor has touched yet wait in the import queue, not here.
    """
    from ..importers.models import IMPORTED, ImportRecord

    found: list[ContentMixin] = []
    for kind in types:
        model = CONTENT_MODELS[kind]
        query = db.select(model).where(sa.or_(
            model.status == DRAFT,
            sa.and_(model.status.in_((PUBLISHED, WITHDRAWN)), model.has_unpublished_changes.is_(True)),
        ))
        if kind == "warning":
            query = query.where(~sa.exists().where(ImportRecord.warning_id == model.id, ImportRecord.state == IMPORTED,
                                                   ImportRecord.imported_version == model.version))
        rows = db.session.execute(query.order_by(model.updated_at.desc()).limit(limit * 2)).scalars()
        found.extend(row for row in rows if row.status == DRAFT or pending_stage(row) == DRAFT)
    return sorted(found, key=lambda item: item.updated_at, reverse=True)[:limit]


def scheduled(types: list[str], now: datetime) -> list[ContentMixin]:
    found: list[ContentMixin] = []
    for kind in types:
        model = CONTENT_MODELS[kind]
        found.extend(db.session.execute(db.select(model).where(
            model.status == PUBLISHED, model.published_at > now).order_by(model.published_at)).scalars())
    return sorted(found, key=lambda item: item.published_at)


def expiring_sanctions(now: datetime, days: int = 7) -> list[Sanction]:
    """Published enforcement results whose public window closes within ``days``."""
    return list(db.session.execute(db.select(Sanction).where(
        Sanction.status == PUBLISHED, Sanction.published_until > now,
        Sanction.published_until <= now + timedelta(days=days),
    ).order_by(Sanction.published_until)).scalars())


def recent_changes(types: list[str], limit: int = 15) -> list[tuple[Revision, ContentMixin | None, User | None]]:
    """The newest revisions of the given types, with their item and author.

    Revisions written by the importers are left out: a run writes thousands; the import queue lists them.
    """
    revisions = db.session.execute(
        db.select(Revision, User).outerjoin(User, User.id == Revision.author_id)
        .where(Revision.item_type.in_(types), Revision.action.not_in(("import", "import-update")))
        .order_by(Revision.id.desc()).limit(limit)
    ).all()
    return [(rev, db.session.get(CONTENT_MODELS[rev.item_type], rev.item_id), user) for rev, user in revisions]


def content_list(kind: str, stage: str, q: str, org: str, page: int, now: datetime,
                 author_id: int | None = None, per_page: int = 30) -> Listing:
    """One type's items, newest change first, filtered by stage, text, organisation and author."""
    model = CONTENT_MODELS[kind]
    query = db.select(model)
    if author_id is not None:
        query = query.where(model.id.in_(db.select(Revision.item_id).where(
            Revision.item_type == kind, Revision.author_id == author_id)))
    if stage in ("draft", "review", "withdrawn", "archived"):
        query = query.where(model.status == stage)
    elif stage == "published":
        query = query.where(model.status == PUBLISHED, model.published_at <= now)
    elif stage == "scheduled":
        query = query.where(model.status == PUBLISHED, model.published_at > now)
    elif stage == "changes":
        query = query.where(model.status.in_((PUBLISHED, WITHDRAWN)), model.has_unpublished_changes.is_(True))
    if q:
        words = q.replace("\\", "").replace("%", "").replace("_", " ").strip()
        pattern = f"%{words}%"
        columns = [model.title, model.slug, model.summary]
        if kind == "warning":
            columns += [model.product_name, model.brand, model.source_reference]
        elif kind == "sanction":
            columns += [model.subject_name, model.decision_number, model.tax_code]
        query = query.where(sa.or_(*(column.ilike(pattern) for column in columns)))
    if org in ("newsroom", "so-cong-thuong"):
        query = query.where(model.owner_org == org)
    total = db.session.execute(db.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.execute(
        query.order_by(model.updated_at.desc(), model.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).scalars())
    return Listing(items, total, page, pages, pending_stages(kind, items))


def audit_entries(action: str, actor: str, item_type: str, item_id: int | None, since: datetime | None,
                  until: datetime | None, page: int, per_page: int = 50) -> Listing:
    query = db.select(AuditEntry)
    if action:
        query = query.where(sa.or_(AuditEntry.action == action, AuditEntry.action.like(f"{action}.%"),
                                   AuditEntry.action.like(f"%.{action}")))
    if actor:
        query = query.where(AuditEntry.actor_label.ilike(f"%{actor.replace('%', '')}%"))
    if item_type in CONTENT_MODELS:
        query = query.where(AuditEntry.item_type == item_type)
    if item_id is not None:
        query = query.where(AuditEntry.item_id == item_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if until is not None:
        query = query.where(AuditEntry.at < until)
    total = db.session.execute(db.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = list(db.session.execute(
        query.order_by(AuditEntry.id.desc()).limit(per_page).offset((page - 1) * per_page)).scalars())
    return Listing(items, total, page, pages)


def revisions_of(item: ContentMixin) -> list[tuple[Revision, User | None]]:
    return [tuple(row) for row in db.session.execute(
        db.select(Revision, User).outerjoin(User, User.id == Revision.author_id)
        .filter(Revision.item_type == item.item_type, Revision.item_id == item.id)
        .order_by(Revision.id.desc())).all()]


def previous_revision(revision: Revision) -> Revision | None:
    return db.session.execute(db.select(Revision).filter(
        Revision.item_type == revision.item_type, Revision.item_id == revision.item_id,
        Revision.id < revision.id).order_by(Revision.id.desc()).limit(1)).scalar_one_or_none()

