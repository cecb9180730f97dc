"""Erasing personal data of closed complaints once the retention period has passed.

The row stays (code, kind, sector, status, months, organisation) for the anonymous
statistics; contact details, the person's own words, history texts, messages and attachment
files are erased. Run by `flask complaints purge` (audited; ``--dry-run`` only counts).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from ..content.models import utcnow
from ..content.services import audit
from ..extensions import db
from . import attachments
from .models import CLOSED_STATUSES, Complaint, ComplaintAttachment

PERSONAL_FIELDS = ("business_address", "description", "happened_on", "happened_where", "wanted",
                   "contact_name", "contact_email", "contact_phone", "contact_address", "rejection_reason")
BATCH = 200


@dataclass
class PurgeReport:
    complaints: int = 0
    files: int = 0


def due_for_purge(now: datetime | None = None, limit: int = BATCH) -> list[Complaint]:
    now = now or utcnow()
    cutoff = now - timedelta(days=int(current_app.config["COMPLAINT_RETENTION_DAYS"]))
    return list(db.session.execute(
        db.select(Complaint)
        .where(Complaint.status.in_(CLOSED_STATUSES), Complaint.closed_at < cutoff, Complaint.purged_at.is_(None))
        .order_by(Complaint.closed_at, Complaint.id).limit(limit)
    ).scalars())


def purge_one(complaint: Complaint, now: datetime) -> list[str]:
    """Erase one complaint's personal data (the caller commits, then removes the returned files)."""
    for name in PERSONAL_FIELDS:
        setattr(complaint, name, "")
    for event in complaint.events:
        event.text = ""
    files = [attachment.stored_name for attachment in complaint.attachments]
    db.session.execute(db.delete(ComplaintAttachment).where(ComplaintAttachment.complaint_id == complaint.id))
    db.session.expire(complaint, ["attachments"])
    complaint.purged_at = now
    complaint.version += 1
    return files


def purge_closed(dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Erase the personal data of every closed complaint past the retention period."""
    now = now or utcnow()
    report = PurgeReport()
    while True:
        batch = due_for_purge(now)
        if dry_run:
            report.complaints += len(batch)
            report.files += sum(len(complaint.attachments) for complaint in batch)
            if len(batch) < BATCH:
                break
            # A dry run changes nothing, so the next batch would be the same: count the rest in SQL.
            report.complaints = _count_due(now)
            break
        if not batch:
            break
        files = [name for complaint in batch for name in purge_one(complaint, now)]
        report.complaints += len(batch)
        report.files += len(files)
        audit("complaint.purge", None, detail={"complaints": len(batch), "ids": [c.id for c in batch],
                                              "retention_days": int(current_app.config["COMPLAINT_RETENTION_DAYS"])},
              label="cli")
        db.session.commit()
        for name in files:  # after the commit: a failed commit keeps the files its rows name
            attachments.remove(name)
    if dry_run:
        db.session.rollback()
    return report


def _count_due(now: datetime) -> int:
    cutoff = now - timedelta(days=int(current_app.config["COMPLAINT_RETENTION_DAYS"]))
    return db.session.execute(
        db.select(db.func.count(Complaint.id))
        .where(Complaint.status.in_(CLOSED_STATUSES), Complaint.closed_at < cutoff, Complaint.purged_at.is_(None))
    ).scalar_one()
