"""Sending alerts: `flask alerts send` walks the active subscriptions of one frequency and
queues one message per subscription with its new items. Never called from a web request.

Exactly once per (subscription, item), even with two senders at the same moment:
1. a subscription is claimed by a compare-and-set UPDATE of its cursor (only one sender's
   UPDATE matches the cursor it read; the other's matches nothing and moves on);
2. in the same transaction its new items get ledger rows (`AlertSent`, unique per item) and the
   message is queued with a dedupe key, so even a lost claim cannot send an item twice;
3. the commit makes the ledger, the cursor and the queued message true together.

The window of a run reaches back `LOOKBACK` before the cursor: an item published a moment
before a run but committed (or indexed for search) a moment after it is still found next time,
and the ledger keeps it from going twice. Nothing before the confirmation is ever sent.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..content.models import utcnow
from ..content.queries import VN
from ..extensions import db
from ..params import whole_number
from . import messages, selection
from .models import ACTIVE, DAILY, AlertSent, AlertSubscription

log = logging.getLogger(__name__)

LOOKBACK = timedelta(minutes=30)
# A search also waits for this node's index to follow the outbox: it looks back further (its
# index query is by day anyway, and the ledger keeps what was sent from going again).
SEARCH_LOOKBACK = timedelta(days=1)
IMMEDIATE_LIMIT = 20   # items in one immediate message; the rest wait for the next run
DIGEST_LIMIT = 100     # items in one digest
BATCH = 200            # subscriptions read at a time


@dataclass
class SendReport:
    subscriptions: int = 0
    messages: int = 0
    items: int = 0
    skipped: int = 0   # claimed by another sender at the same time
    errors: list[str] = field(default_factory=list)


class AlertsConfigError(ValueError):
    pass


def digest_hour() -> int:
    """PORTAL_ALERTS_DIGEST_HOUR (config.py, from the environment): 0 to 23, default 7."""
    raw = current_app.config.get("PORTAL_ALERTS_DIGEST_HOUR", "7")
    hour = whole_number(str(raw), 0, 23)
    if hour is None:
        raise AlertsConfigError(f"PORTAL_ALERTS_DIGEST_HOUR must be an hour from 0 to 23, not {raw!r}")
    return hour


def last_digest_moment(now: datetime) -> datetime:
    """The latest daily digest time (the configured hour, Asia/Ho_Chi_Minh) at or before ``now``."""
    local = now.astimezone(VN)
    moment = datetime.combine(local.date(), time(digest_hour()), tzinfo=VN)
    if moment > local:
        moment -= timedelta(days=1)
    return moment


def _due(frequency: str, now: datetime) -> sa.ColumnElement[bool]:
    clauses = [AlertSubscription.status == ACTIVE, AlertSubscription.frequency == frequency]
    if frequency == DAILY:
        clauses.append(AlertSubscription.cursor_at < last_digest_moment(now))
    return sa.and_(*clauses)


def send(frequency: str, now: datetime | None = None) -> SendReport:
    """Queue the alerts due at ``now`` for every active subscription of ``frequency``."""
    now = now or utcnow()
    report = SendReport()
    cache: dict = {}  # each filter's list query, built once per run
    after = 0
    while True:
        ids = list(db.session.execute(
            sa.select(AlertSubscription.id).where(_due(frequency, now), AlertSubscription.id > after)
            .order_by(AlertSubscription.id).limit(BATCH)).scalars())
        db.session.rollback()
        if not ids:
            return report
        for subscription_id in ids:
            _send_one(subscription_id, frequency, now, report, cache)
        after = ids[-1]


def _send_one(subscription_id: int, frequency: str, now: datetime, report: SendReport, cache: dict) -> None:
    subscription = db.session.get(AlertSubscription, subscription_id)
    if subscription is None or subscription.status != ACTIVE or subscription.frequency != frequency:
        db.session.rollback()
        return
    seen = subscription.cursor_at
    try:
        claimed = db.session.execute(
            sa.update(AlertSubscription)
            .where(AlertSubscription.id == subscription_id, AlertSubscription.cursor_at == seen,
                   AlertSubscription.status == ACTIVE)
            .values(cursor_at=now).execution_options(synchronize_session=False)
        ).rowcount == 1
    except DBAPIError as error:  # SQLite: another sender holds the write lock past the timeout
        db.session.rollback()
        report.skipped += 1
        log.info("alerts: subscription %s busy (%s)", subscription_id, type(error.orig).__name__)
        return
    if not claimed:
        db.session.rollback()
        report.skipped += 1
        return
    report.subscriptions += 1
    digest = frequency == DAILY
    limit = DIGEST_LIMIT if digest else IMMEDIATE_LIMIT
    lookback = SEARCH_LOOKBACK if subscription.list_kind == "search" else LOOKBACK
    start = max(subscription.confirmed_at or now, (seen or now) - lookback)
    try:
        matches = selection.new_matches(subscription, start, now, limit, cache)
    except Exception as error:  # noqa: BLE001 - e.g. the search index is missing: try again next run
        db.session.rollback()
        report.errors.append(f"subscription {subscription_id}: {type(error).__name__}: {error}")
        log.exception("alerts: subscription %s failed", subscription_id)
        return
    if not matches:
        db.session.commit()
        return
    if len(matches) >= limit:
        # More than one message holds: the window stays where it was, and the next run finds
        # the rest (the ledger leaves out what this message holds).
        db.session.execute(sa.update(AlertSubscription).where(AlertSubscription.id == subscription_id)
                           .values(cursor_at=seen).execution_options(synchronize_session=False))
    for match in matches:
        db.session.add(AlertSent(subscription_id=subscription_id, item_type=match.item.item_type,
                                 item_root=match.root, item_id=match.item.id, sent_at=now))
    messages.queue_alert(subscription, matches, digest=digest)
    try:
        db.session.commit()
    except IntegrityError:  # another sender recorded one of these items first: it sends them
        db.session.rollback()
        report.skipped += 1
        return
    report.messages += 1
    report.items += len(matches)
