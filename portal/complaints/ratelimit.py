"""Rate limits of the public complaint forms, per client address (ProxyFix's remote_addr).

Same idea as the login throttle (`portal/admin/throttle.py`): rows in a small table, counted
over a window; no third-party service. Filing is limited per hour (a person files a few at
most); status lookups are limited by the lookups that matched nothing, so codes cannot be
probed while the owner, who types the right pair, is never slowed.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from ..content.models import utcnow
from ..extensions import db
from .models import ComplaintAttempt

WINDOW = timedelta(hours=1)
LIMITS = {"file": "COMPLAINT_FILINGS_PER_HOUR", "lookup": "COMPLAINT_FAILED_LOOKUPS_PER_HOUR"}


class RateLimited(Exception):
    """Too many recent attempts of this kind from this address."""

    def __init__(self, retry_after: timedelta):
        self.retry_after = retry_after
        super().__init__(retry_after)

    @property
    def minutes(self) -> int:
        return max(1, int(self.retry_after.total_seconds() // 60) + 1)


def check(action: str, remote_addr: str, now: datetime | None = None) -> None:
    """Raise `RateLimited` when ``remote_addr`` used up its attempts of ``action`` in the window."""
    now = now or utcnow()
    limit = int(current_app.config[LIMITS[action]])
    count, first = db.session.execute(
        db.select(db.func.count(ComplaintAttempt.id), db.func.min(ComplaintAttempt.at))
        .where(ComplaintAttempt.action == action, ComplaintAttempt.remote_addr == remote_addr,
               ComplaintAttempt.at > now - WINDOW)
    ).one()
    if count >= limit:
        raise RateLimited((first + WINDOW) - now if first else WINDOW)


def record(action: str, remote_addr: str) -> None:
    """Count one attempt (the caller commits); rows older than a day go."""
    now = utcnow()
    db.session.execute(db.delete(ComplaintAttempt).where(ComplaintAttempt.at < now - timedelta(days=1)))
    db.session.add(ComplaintAttempt(action=action, remote_addr=remote_addr or "", at=now))
