"""Named actions on subscriptions: subscribe, confirm, unsubscribe, change, ask for the manage
link, purge. Each checks its input, changes the rows and queues its mail in one transaction.

Nothing here tells a visitor whether an address is subscribed: subscribing twice, or asking
for the manage link of an unknown address, answers exactly like the first time.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from .. import mail
from ..content.models import utcnow
from ..extensions import db
from . import messages, selection, tokens
from .models import (ACTIVE, FREQUENCIES, PENDING, AlertSent, AlertSubscription, AlertThrottle)

PENDING_DAYS = 7                      # an unconfirmed subscription is deleted after this
ADDRESS_LIMITS = ((timedelta(hours=1), 3), (timedelta(days=1), 10))  # mails per address
IP_LIMIT = (timedelta(hours=1), 20)   # subscribe / manage-link requests per client address
RESEND_PAUSE = timedelta(minutes=10)  # a pending subscription's confirmation is not resent sooner
THROTTLE_KEEP = timedelta(days=1)
MAX_PER_ADDRESS = 50                  # subscriptions one address may hold
# A plain address: ASCII, no quoting, no comments, a domain of dotted labels.
ADDRESS = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
                     r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


class AlertError(ValueError):
    """Input the action cannot take; the message is for the visitor, ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class TooManyRequests(AlertError):
    pass


def address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


def clean_address(raw: str | None) -> str:
    """The address as typed, trimmed, or AlertError saying what is wrong with it."""
    address = (raw or "").strip()
    if not address:
        raise AlertError(_("Hãy nhập địa chỉ e-mail của bạn."), "email")
    if len(address) > 254 or not ADDRESS.match(address) or ".." in address or not mail.valid_address(address):
        raise AlertError(_("Địa chỉ e-mail không hợp lệ. Hãy nhập một địa chỉ, không dấu, ví dụ ten@example.vn."),
                         "email")
    return address


def clean_frequency(raw: str | None) -> str:
    if raw not in FREQUENCIES:
        raise AlertError(_("Hãy chọn nhận tin ngay hoặc bản tin hằng ngày."), "frequency")
    return raw


def _ip_key(remote_addr: str | None) -> str:
    secret = current_app.config["SECRET_KEY"]
    return hashlib.sha256(f"{secret}|{remote_addr or '-'}".encode()).hexdigest()


def _count(scope: str, key: str, since: datetime) -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(AlertThrottle)
        .where(AlertThrottle.scope == scope, AlertThrottle.key == key, AlertThrottle.at >= since)
    ).scalar_one()


def check_client(remote_addr: str | None, now: datetime | None = None) -> None:
    """TooManyRequests when this client address asked too often; else counts this request."""
    now = now or utcnow()
    key = _ip_key(remote_addr)
    window, most = IP_LIMIT
    if _count("ip", key, now - window) >= most:
        raise TooManyRequests(_("Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau một giờ."))
    db.session.add(AlertThrottle(scope="ip", key=key, at=now))


def _address_may_receive(hashed: str, now: datetime) -> bool:
    """Whether one more confirmation or manage mail may go to this address (and count it)."""
    if any(_count("address", hashed, now - window) >= most for window, most in ADDRESS_LIMITS):
        return False
    db.session.add(AlertThrottle(scope="address", key=hashed, at=now))
    return True


@dataclass
class Subscribed:
    """What happened, for logs and tests; the visitor is told the same in every case."""

    subscription: AlertSubscription | None
    mailed: bool


def subscribe(raw_address: str | None, list_kind: str, args: Mapping, frequency: str | None, lang: str,
              remote_addr: str | None) -> Subscribed:
    """Record a pending subscription and queue its confirmation (double opt-in)."""
    address = clean_address(raw_address)
    frequency = clean_frequency(frequency)
    try:
        params = selection.normalise(list_kind, args)
    except selection.SubscriptionError as error:
        raise AlertError(str(error), error.field) from None
    lang = lang if lang in ("vi", "en") else "vi"
    now = utcnow()
    check_client(remote_addr, now)
    hashed = address_hash(address)
    what = selection.params_hash(list_kind, params)
    subscription = db.session.execute(
        sa.select(AlertSubscription).where(AlertSubscription.address_hash == hashed,
                                           AlertSubscription.list_kind == list_kind,
                                           AlertSubscription.params_hash == what)
    ).scalar_one_or_none()
    if subscription is not None and subscription.status == ACTIVE:
        db.session.commit()  # already confirmed: nothing to confirm, nothing sent
        return Subscribed(subscription, mailed=False)
    if subscription is None:
        held = db.session.execute(sa.select(sa.func.count()).select_from(AlertSubscription)
                                  .where(AlertSubscription.address_hash == hashed)).scalar_one()
        if held >= MAX_PER_ADDRESS:
            db.session.commit()
            return Subscribed(None, mailed=False)
        subscription = AlertSubscription(
            address=address, address_hash=hashed, list_kind=list_kind, params=params, params_hash=what,
            lang=lang, frequency=frequency, status=PENDING, created_at=now,
            confirm_nonce=secrets.token_urlsafe(24), unsubscribe_token=secrets.token_urlsafe(32))
        db.session.add(subscription)
        db.session.flush()
    else:
        subscription.frequency, subscription.lang = frequency, lang
        if subscription.confirmation_sent_at and now - subscription.confirmation_sent_at < RESEND_PAUSE:
            db.session.commit()
            return Subscribed(subscription, mailed=False)
    mailed = _address_may_receive(hashed, now)
    if mailed:
        subscription.confirmation_sent_at = now
        messages.queue_confirmation(subscription)
    db.session.commit()
    return Subscribed(subscription, mailed)


def pending_for_token(token: str) -> AlertSubscription:
    """The subscription a confirmation link names (TokenExpired / TokenInvalid otherwise)."""
    subscription_id, nonce = tokens.read_confirm_token(token)
    subscription = db.session.get(AlertSubscription, subscription_id)
    if subscription is None or not tokens.same(subscription.confirm_nonce, nonce):
        raise tokens.TokenInvalid(token)
    return subscription


def confirm(token: str) -> AlertSubscription:
    """Activate the subscription of a confirmation link; its alerts start from now."""
    subscription = pending_for_token(token)
    if subscription.status == PENDING:
        now = utcnow()
        subscription.status, subscription.confirmed_at, subscription.cursor_at = ACTIVE, now, now
        db.session.commit()
    return subscription


def by_unsubscribe_token(token: str) -> AlertSubscription | None:
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        sa.select(AlertSubscription).where(AlertSubscription.unsubscribe_token == token)
    ).scalar_one_or_none()


def _delete(subscriptions: list[AlertSubscription]) -> int:
    """Delete subscriptions and their ledgers: an unsubscribed address leaves nothing behind."""
    ids = [s.id for s in subscriptions]
    if ids:
        db.session.execute(sa.delete(AlertSent).where(AlertSent.subscription_id.in_(ids)))
        db.session.execute(sa.delete(AlertSubscription).where(AlertSubscription.id.in_(ids)))
    return len(ids)


def unsubscribe(token: str) -> bool:
    """One-click unsubscribe (RFC 8058): True when a subscription was removed."""
    subscription = by_unsubscribe_token(token)
    if subscription is None:
        return False
    _delete([subscription])
    db.session.commit()
    return True


def subscriptions_of(hashed: str) -> list[AlertSubscription]:
    return list(db.session.execute(
        sa.select(AlertSubscription).where(AlertSubscription.address_hash == hashed)
        .order_by(AlertSubscription.created_at, AlertSubscription.id)).scalars())


def manage(token: str) -> tuple[str, list[AlertSubscription]]:
    """The address hash of a manage link and its subscriptions (TokenExpired / TokenInvalid)."""
    hashed = tokens.read_manage_token(token)
    return hashed, subscriptions_of(hashed)


def change(token: str, subscription_id: int | None, action: str, frequency: str | None = None) -> str:
    """Change one subscription of a manage link (``frequency`` or ``unsubscribe``), or remove them
    all (``unsubscribe-all``). Returns the action done."""
    hashed, held = manage(token)
    if action == "unsubscribe-all":
        _delete(held)
        db.session.commit()
        return action
    subscription = next((s for s in held if s.id == subscription_id), None)
    if subscription is None:
        raise AlertError(_("Không tìm thấy đăng ký này; có thể nó đã được hủy."))
    if action == "unsubscribe":
        _delete([subscription])
    elif action == "frequency":
        subscription.frequency = clean_frequency(frequency)
    else:
        raise AlertError(_("Thao tác không hợp lệ."))
    db.session.commit()
    return action


def send_manage_link(raw_address: str | None, lang: str, remote_addr: str | None) -> bool:
    """Mail the manage link to an address that has subscriptions. True when mail was queued."""
    address = clean_address(raw_address)
    now = utcnow()
    check_client(remote_addr, now)
    hashed = address_hash(address)
    held = subscriptions_of(hashed)
    mailed = bool(held) and _address_may_receive(hashed, now)
    if mailed:
        messages.queue_manage_link(held[0].address, hashed, lang if lang in ("vi", "en") else "vi")
    db.session.commit()
    return mailed


def purge(now: datetime | None = None) -> tuple[int, int]:
    """Delete unconfirmed subscriptions older than PENDING_DAYS and throttle rows past their use.
    Returns (subscriptions, throttle rows) deleted."""
    now = now or utcnow()
    stale = list(db.session.execute(
        sa.select(AlertSubscription).where(AlertSubscription.status == PENDING,
                                           AlertSubscription.created_at < now - timedelta(days=PENDING_DAYS))
    ).scalars())
    removed = _delete(stale)
    throttled = db.session.execute(sa.delete(AlertThrottle).where(AlertThrottle.at < now - THROTTLE_KEEP)).rowcount
    db.session.commit()
    return removed, throttled or 0
