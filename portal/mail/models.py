"""The mail outbox: every message is a row written in the transaction of the change that caused
it (a complaint filed, an alert due), and sent afterwards by `flask mail send` or right after the
response. A committed change never loses its mail; a rolled-back one never sends it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..content.models import UTCDateTime, utcnow
from ..extensions import db


class OutgoingMail(db.Model):
    """One message to one recipient. ``dedupe_key`` (unique when set) makes queueing the same
    message twice a no-op, e.g. ``alert:<subscription>:<warning>``."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(320))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text, nullable=True)
    headers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), nullable=True, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.String(500), nullable=True)
    failed: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        # The sender's walk: unsent, not given up, due first.
        sa.Index("ix_outgoing_mail_pending", "sent_at", "failed", "next_attempt_at"),
    )
