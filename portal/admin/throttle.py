"""Login throttling that slows guessing without locking the owner out.

Failures are counted per (account, client address) and per client address over a window.
After a few free failures each further one doubles the wait before the next attempt from
that pair (or that address) is even checked, up to a ceiling. The real owner, logging in
from another address, is never refused because somebody else guessed wrong. Refused and
failed attempts are audited as one row per burst (same account and address, gaps shorter
than the window) carrying a count, not one row per attempt.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from ..content.models import AuditEntry, LoginFailure, User, utcnow
from ..content.services import audit
from ..extensions import db

WINDOW = timedelta(minutes=15)
MAX_DELAY = timedelta(minutes=15)
PAIR_FREE_FAILURES = 3       # per (account, address)
ADDRESS_FREE_FAILURES = 10   # per address, over all accounts
FIRST_DELAY = timedelta(seconds=2)


class Throttled(Exception):
    """Too many recent failures for this account from this address (or from this address)."""

    def __init__(self, retry_after: timedelta):
        self.retry_after = retry_after
        super().__init__(retry_after)

    @property
    def seconds(self) -> int:
        return max(1, int(self.retry_after.total_seconds() + 0.999))


def delay_after(failures: int, free: int) -> timedelta:
    """How long to wait after ``failures`` recent failures when the first ``free`` cost nothing."""
    if failures < free:
        return timedelta(0)
    return min(MAX_DELAY, FIRST_DELAY * 2 ** min(failures - free, 20))


def _recent(where, now: datetime) -> tuple[int, datetime | None]:
    row = db.session.execute(
        db.select(db.func.count(LoginFailure.id), db.func.max(LoginFailure.at))
        .where(LoginFailure.at > now - WINDOW, where)
    ).one()
    return row[0], row[1]


def check(email: str, remote_addr: str, now: datetime | None = None) -> None:
    """Raise `Throttled` (and audit the refusal, aggregated) when this attempt must wait."""
    now = now or utcnow()
    waits = []
    for where, free in ((db.and_(LoginFailure.email == email, LoginFailure.remote_addr == remote_addr),
                         PAIR_FREE_FAILURES),
                        (LoginFailure.remote_addr == remote_addr, ADDRESS_FREE_FAILURES)):
        count, last = _recent(where, now)
        if last is not None:
            waits.append(last + delay_after(count, free) - now)
    wait = max(waits, default=timedelta(0))
    if wait > timedelta(0):
        record_burst("login.throttled", email, remote_addr, None, {}, now)
        db.session.commit()
        raise Throttled(wait)


def record_failure(email: str, remote_addr: str, user: User | None, reason: str) -> None:
    """Count a failed attempt and audit it (aggregated per burst). The caller commits."""
    now = utcnow()
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.at < now - WINDOW))  # the table stays small
    db.session.add(LoginFailure(email=email, remote_addr=remote_addr, at=now))
    record_burst("login.failed", email, remote_addr, user, {"reason": reason}, now)


def record_success(email: str, remote_addr: str) -> None:
    """Forget this pair's failures (other addresses' failures stay counted)."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == email,
                                                     LoginFailure.remote_addr == remote_addr))


def _last_at(entry: AuditEntry) -> datetime:
    try:
        return datetime.fromisoformat(entry.detail["last_at"])
    except (KeyError, TypeError, ValueError):
        return entry.at


def record_burst(action: str, email: str, remote_addr: str, user: User | None, detail: dict,
                 now: datetime) -> AuditEntry:
    """One audit row per burst of ``action`` for (email, address): a new row, or one more on the count."""
    entry = db.session.execute(
        db.select(AuditEntry)
        .where(AuditEntry.action == action, AuditEntry.actor_label == email,
               AuditEntry.remote_addr == remote_addr)
        .order_by(AuditEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    if entry is not None and _last_at(entry) > now - WINDOW:
        reasons = sorted({*entry.detail.get("reasons", []), *([detail["reason"]] if "reason" in detail else [])})
        entry.detail = {**entry.detail, "count": int(entry.detail.get("count", 1)) + 1,
                        "last_at": now.isoformat(), **({"reasons": reasons} if reasons else {})}
        return entry
    reasons = [detail["reason"]] if "reason" in detail else []
    entry = audit(action, user, detail={"email": email, "count": 1, "first_at": now.isoformat(),
                                        "last_at": now.isoformat(), **({"reasons": reasons} if reasons else {})},
                  label=email)
    entry.remote_addr = remote_addr
    return entry
