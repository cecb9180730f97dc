"""The admin queue: filtered, paginated lists of complaints (indexed, bounded per page)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..content.models import User, utcnow
from ..extensions import db
from . import permissions as perm
from .models import OPEN_STATUSES, STATUSES, Complaint

PER_PAGE = 50


@dataclass
class QueueFilters:
    status: str = ""      # one of STATUSES, "open", or "" for all
    overdue: bool = False
    mine: bool = False

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        status = args.get("status", "open")
        return cls(status=status if status in STATUSES or status in ("open", "") else "open",
                   overdue=args.get("overdue") == "1", mine=args.get("mine") == "1")

    def as_args(self) -> dict[str, str]:
        out = {"status": self.status}
        if self.overdue:
            out["overdue"] = "1"
        if self.mine:
            out["mine"] = "1"
        return out


def select(actor: User, filters: QueueFilters) -> sa.Select:
    """The complaints ``actor`` may see under ``filters``, newest first."""
    perm.require(perm.can_handle(actor), "complaint.list")
    query = db.select(Complaint)
    if filters.status == "open":
        query = query.where(Complaint.status.in_(OPEN_STATUSES))
    elif filters.status:
        query = query.where(Complaint.status == filters.status)
    if filters.overdue:
        query = query.where(Complaint.status.in_(OPEN_STATUSES), Complaint.due_at < utcnow())
    if filters.mine:
        query = query.where(Complaint.assigned_to_id == actor.id)
    return query.order_by(Complaint.created_at.desc(), Complaint.id.desc())


def page(actor: User, filters: QueueFilters, number: int) -> tuple[list[Complaint], int]:
    """One page of the queue and the total count."""
    query = select(actor, filters)
    total = db.session.execute(db.select(sa.func.count()).select_from(query.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(query.limit(PER_PAGE).offset((max(number, 1) - 1) * PER_PAGE)).scalars().all()
    return list(rows), total


def handlers() -> list[User]:
    """Active complaint handlers, for the assignment menu."""
    return list(db.session.execute(
        db.select(User).where(User.role == perm.ROLE, User.active.is_(True)).order_by(User.email)).scalars())


def get(actor: User, complaint_id: int) -> Complaint | None:
    perm.require(perm.can_read_personal_data(actor), "complaint.read")
    return db.session.get(Complaint, complaint_id)
