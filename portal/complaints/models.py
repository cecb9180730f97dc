"""Complaints and reports from residents, their attachments, their history, and the counters
that rate-limit the public forms.

Personal data lives only in the ``contact_*`` columns, the free text the person wrote and the
attachment files; `services.purge_closed` blanks them after the retention period and keeps the
row (kind, sector, status, months) for the anonymous statistics.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.models import UTCDateTime, utcnow
from ..extensions import db

KINDS = ("report", "complaint")
STATUSES = ("received", "forwarded", "in_progress", "resolved", "rejected")
OPEN_STATUSES = ("received", "forwarded", "in_progress")
CLOSED_STATUSES = ("resolved", "rejected")


class Complaint(db.Model):
    """A report (may be anonymous) or a complaint (contact details required) from a resident."""

    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    sector: Mapped[str] = mapped_column(sa.String(30))
    lang: Mapped[str] = mapped_column(sa.String(2), default="vi")
    status: Mapped[str] = mapped_column(sa.String(20), default="received")
    # "2026-11": the month filed (Asia/Ho_Chi_Minh), for statistics without date functions.
    month: Mapped[str] = mapped_column(sa.String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    # What happened (the person's words: personal data possible, erased by the purge).
    business_name: Mapped[str] = mapped_column(sa.String(300), default="")
    business_address: Mapped[str] = mapped_column(sa.String(500), default="")
    product: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    happened_on: Mapped[str] = mapped_column(sa.String(10), default="")  # ISO date or ""
    happened_where: Mapped[str] = mapped_column(sa.String(300), default="")
    wanted: Mapped[str] = mapped_column(sa.Text, default="")

    # Contact details: personal data, erased by the purge.
    contact_name: Mapped[str] = mapped_column(sa.String(200), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(20), default="")  # digits only
    contact_address: Mapped[str] = mapped_column(sa.String(500), default="")
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    # Handling.
    assigned_org: Mapped[str] = mapped_column(sa.String(200), default="")
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    warning_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning.id"), nullable=True)
    sanction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sanction.id"), nullable=True)

    attachments: Mapped[list["ComplaintAttachment"]] = relationship(
        back_populates="complaint", order_by="ComplaintAttachment.id", cascade="all, delete-orphan")
    events: Mapped[list["ComplaintEvent"]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan")

    __table_args__ = (
        sa.Index("ix_complaint_created", "created_at", "id"),
        sa.Index("ix_complaint_status_due", "status", "due_at"),
        sa.Index("ix_complaint_assignee", "assigned_to_id", "status"),
        sa.Index("ix_complaint_closed", "closed_at", "purged_at"),
        sa.Index("ix_complaint_stats", "month", "status", "sector"),
    )

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, now: datetime) -> bool:
        return self.is_open and self.due_at is not None and self.due_at < now


class ComplaintAttachment(db.Model):
    """A checked file the person sent: an image re-encoded as JPEG, or a PDF kept as sent."""

    __tablename__ = "complaint_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaint.id"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(64))  # <32 hex>.jpg|.pdf under the files folder
    original_name: Mapped[str] = mapped_column(sa.String(200), default="")
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="attachments")


class ComplaintEvent(db.Model):
    """One step in a complaint's history: filed, status change, assignment, note, message.

    ``public`` steps (status changes and messages to the person) show on the status page;
    notes are internal.
    """

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(sa.ForeignKey("complaint.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), nullable=True)
    actor_label: Mapped[str] = mapped_column(sa.String(200), default="")
    kind: Mapped[str] = mapped_column(sa.String(20))  # filed|status|assign|note|message|link|purge
    status: Mapped[str] = mapped_column(sa.String(20), default="")
    text: Mapped[str] = mapped_column(sa.Text, default="")
    public: Mapped[bool] = mapped_column(default=False)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class ComplaintAttempt(db.Model):
    """One use of a public complaint form from a client address, for rate limits.

    ``action`` is "file" (a complaint filed) or "lookup" (a status lookup that matched nothing).
    Rows older than a day are deleted as new ones come.
    """

    __tablename__ = "complaint_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(10))
    remote_addr: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_complaint_attempt_addr", "action", "remote_addr", "at"),
                      sa.Index("ix_complaint_attempt_at", "at"))
