"""E-mail alert subscriptions, the ledger of what each was sent, and the request throttle.

A subscription is one address following one list filter or one search, in one language, at
one frequency. It is created ``pending`` and becomes ``active`` only when its address confirms
(double opt-in); an unconfirmed one is deleted after `PENDING_DAYS`. Unsubscribing deletes the
row and its ledger: nothing of an unsubscribed address is kept.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..content.models import UTCDateTime, utcnow
from ..extensions import db

PENDING, ACTIVE = "pending", "active"
IMMEDIATE, DAILY = "immediate", "daily"
FREQUENCIES = (IMMEDIATE, DAILY)
LIST_KINDS = ("warnings", "sanctions", "search")


class AlertSubscription(db.Model):
    """One address following one filter (``params``) of one list (``list_kind``) or a search."""

    __tablename__ = "alert_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(sa.String(320))
    # sha256 of the lower-cased address: finds an address's subscriptions (manage page, limits).
    address_hash: Mapped[str] = mapped_column(sa.String(64))
    list_kind: Mapped[str] = mapped_column(sa.String(20))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {name: [values]}, canonical
    params_hash: Mapped[str] = mapped_column(sa.String(64))
    lang: Mapped[str] = mapped_column(sa.String(2), default="vi")
    frequency: Mapped[str] = mapped_column(sa.String(10), default=IMMEDIATE)
    status: Mapped[str] = mapped_column(sa.String(10), default=PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmation_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Items that became public before this moment are never sent (the sender's window start).
    cursor_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Random secrets: the confirmation link's nonce, and the unsubscribe link's token.
    confirm_nonce: Mapped[str] = mapped_column(sa.String(43))
    unsubscribe_token: Mapped[str] = mapped_column(sa.String(64), unique=True)

    __table_args__ = (
        sa.UniqueConstraint("address_hash", "list_kind", "params_hash", name="uq_alert_subscription_what"),
        # The sender's walk (active, one frequency, by id) and the purge of stale pending rows.
        sa.Index("ix_alert_subscription_due", "status", "frequency", "id"),
        sa.Index("ix_alert_subscription_pending", "status", "created_at"),
    )


class AlertSent(db.Model):
    """One item sent to one subscription. The unique key stops a second sending, whatever runs
    concurrently; ``item_root`` is the original of a translation, so a translation published
    later is not news again."""

    __tablename__ = "alert_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(sa.ForeignKey("alert_subscription.id", ondelete="CASCADE"))
    item_type: Mapped[str] = mapped_column(sa.String(20))
    item_root: Mapped[int] = mapped_column()
    item_id: Mapped[int] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "item_type", "item_root", name="uq_alert_sent_item"),
    )


class AlertThrottle(db.Model):
    """One confirmation or manage-link request, for the limits per address and per client
    address. Only hashes are kept, and only for a day."""

    __tablename__ = "alert_throttle"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(sa.String(10))  # address | ip
    key: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_alert_throttle_key", "scope", "key", "at"),)
