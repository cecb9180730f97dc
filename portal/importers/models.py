"""The import record: one row per foreign source record, whatever became of it.

Identity is (authority, reference): the draft it created may change slug or language, be
translated or discarded, and the next run still finds it here. A record can instead be
*linked* to a warning the portal already had (bundled or written by hand).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..content.models import UTCDateTime, User, Warning, utcnow
from ..extensions import db

IMPORTED, LINKED, DISCARDED = "imported", "linked", "discarded"


class ImportRecord(db.Model):
    """A source record (authority + reference) and the warning it became or was linked to."""

    __tablename__ = "import_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), index=True)  # cpsc | safety-gate | fda | us-recalls
    authority: Mapped[str] = mapped_column(sa.String(200))
    reference: Mapped[str] = mapped_column(sa.String(100))
    state: Mapped[str] = mapped_column(sa.String(20), default=IMPORTED, index=True)
    warning_id: Mapped[int | None] = mapped_column(sa.ForeignKey("warning.id"), index=True)
    warning: Mapped[Warning | None] = relationship(foreign_keys=[warning_id])
    source_date: Mapped[date | None] = mapped_column(sa.Date, index=True)
    source_language: Mapped[str] = mapped_column(sa.String(10), default="en")
    # The source's own text (title, summary, what_to_do, body), shown beside the translation.
    original: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    image_urls: Mapped[list] = mapped_column(sa.JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(sa.String(64), default="")  # hash of the last imported content
    imported_version: Mapped[int] = mapped_column(default=0)  # warning version the import last wrote
    notes: Mapped[list] = mapped_column(sa.JSON, default=list)  # [{at, text}] changes not applied
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    confirmed_category: Mapped[str] = mapped_column(sa.String(40), default="")
    confirmed_risk_level: Mapped[str] = mapped_column(sa.String(20), default="")
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("authority", "reference", name="uq_import_record_identity"),)
