"""Signed links for the subscriber: confirm a subscription, manage an address's subscriptions.

Both are signed with SECRET_KEY (itsdangerous) and expire. Neither carries the address: the
confirmation link names the subscription and its random nonce, the manage link the hash of
the address (never shown, never reversible into a list of addresses). The unsubscribe link is
different: a random token stored on the subscription, valid as long as it exists, because it
must keep working in every alert ever sent.
"""
from __future__ import annotations

import hmac
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_MAX_AGE = timedelta(days=7)
MANAGE_MAX_AGE = timedelta(days=30)


class TokenExpired(ValueError):
    pass


class TokenInvalid(ValueError):
    pass


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"portal.alerts.{purpose}")


def confirm_token(subscription_id: int, nonce: str) -> str:
    return _serializer("confirm").dumps({"s": subscription_id, "n": nonce})


def read_confirm_token(token: str) -> tuple[int, str]:
    data = _load("confirm", token, CONFIRM_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("s"), int) or not isinstance(data.get("n"), str):
        raise TokenInvalid(token)
    return data["s"], data["n"]


def manage_token(address_hash: str) -> str:
    return _serializer("manage").dumps({"a": address_hash})


def read_manage_token(token: str) -> str:
    data = _load("manage", token, MANAGE_MAX_AGE)
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        raise TokenInvalid(token)
    return data["a"]


def _load(purpose: str, token: str, max_age: timedelta):
    if not token or len(token) > 500:
        raise TokenInvalid(token)
    try:
        return _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired:
        raise TokenExpired(token) from None
    except BadSignature:
        raise TokenInvalid(token) from None


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
