"""Admin sessions that can be ended: epochs, idle timeout, absolute lifetime.

A session records the user's `session_epoch` when it starts; raising the epoch (logout,
password change or reset, role change, disabling, second-factor reset) ends every session of
that user, so a copied cookie is refused once its owner logs out. Sessions also end after
`SESSION_IDLE_MINUTES` without a request and `SESSION_LIFETIME_HOURS` after login. Logging in
starts from an empty session (a new CSRF token; nothing an attacker planted survives).
"""
from __future__ import annotations

from flask import current_app, session
from flask_login import login_user

from ..content.models import User, utcnow
from ..extensions import db
from ..params import whole_number

# How often the "last seen" time in the cookie is refreshed (each refresh re-sends the cookie).
SEEN_RESOLUTION = 15


def _now() -> int:
    return int(utcnow().timestamp())


def start(user: User) -> None:
    """Log ``user`` in on a fresh session."""
    session.clear()
    session.permanent = True
    login_user(user)
    now = _now()
    session.update(epoch=user.session_epoch or 0, login_at=now, seen_at=now)


def load(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of this session if the session still counts."""
    user_id = whole_number(user_id, max_digits=12)
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not still_valid(user):
        session.clear()
        return None
    now = _now()
    if now - session.get("seen_at", 0) >= SEEN_RESOLUTION:
        session["seen_at"] = now
    return user


def still_valid(user: User) -> bool:
    config = current_app.config
    now = _now()
    login_at, seen_at = session.get("login_at"), session.get("seen_at")
    if session.get("epoch") != (user.session_epoch or 0):
        return False
    if not isinstance(login_at, int) or not isinstance(seen_at, int):
        return False
    if now - login_at > config["SESSION_LIFETIME_HOURS"] * 3600:
        return False
    return now - seen_at <= config["SESSION_IDLE_MINUTES"] * 60


# The login between the password and the second factor, kept in the session for a few minutes.
PENDING_SECONDS = 300


def begin_second_factor(user: User) -> None:
    session.clear()
    session["pending_login"] = {"user": user.id, "epoch": user.session_epoch or 0, "at": _now()}


def pending_user() -> User | None:
    pending = session.get("pending_login")
    if not isinstance(pending, dict) or _now() - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, int(pending.get("user", 0)))
    if user is None or not user.active or (user.session_epoch or 0) != pending.get("epoch"):
        return None
    return user
