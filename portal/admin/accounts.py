"""Accounts: creating and disabling users, and logging in with a rate limit.

Passwords are hashed with scrypt (werkzeug). Failed logins are kept in `LoginFailure`:
five failures for one account, or twenty from one address, within fifteen minutes lock
further attempts (HTTP 429) until the window has passed. Every login, failure, lock-out and
account change writes an audit entry.
"""
from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..content import permissions as perm
from ..content.models import LoginFailure, User, utcnow
from ..content.services import audit
from ..extensions import db

FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
MIN_PASSWORD_LENGTH = 10
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_LABELS = {"editor": "Biên tập viên", "publisher": "Người duyệt và xuất bản",
               "enforcement": "Cán bộ xử lý vi phạm", "admin": "Quản trị tài khoản"}
ORG_LABELS = {"newsroom": "Ban biên tập", "so-cong-thuong": "Sở Công Thương"}
_DUMMY_HASH: list[str] = []


class AccountError(ValueError):
    """A bad account change; ``field`` names the form field, ``message`` is Vietnamese."""

    def __init__(self, message: str, field: str | None = None):
        self.message, self.field = message, field
        super().__init__(message)


class RateLimited(Exception):
    """Too many failed logins for this account or address."""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def check_password_policy(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH), "password")


def _check_role(role: str, org: str) -> None:
    if role not in perm.ROLES:
        raise AccountError(_("Vai trò không hợp lệ."), "role")
    if org not in perm.ORGS:
        raise AccountError(_("Đơn vị không hợp lệ."), "org")


def create_user(actor: User | None, email: str, role: str, org: str, password: str,
                label: str | None = None) -> User:
    """Create an account. ``actor`` None is the command line (label "cli")."""
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "create-user")
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(_("Địa chỉ e-mail không hợp lệ."), "email")
    if find_user(email) is not None:
        raise AccountError(_("Đã có tài khoản với e-mail này."), "email")
    _check_role(role, org)
    check_password_policy(password)
    user = User(email=email, role=role, org=org, password_hash=hash_password(password), active=True,
                created_at=utcnow())
    db.session.add(user)
    db.session.flush()
    audit("user.create", actor, detail={"user": email, "role": role, "org": org}, label=label)
    return user


def update_user(actor: User | None, user: User, role: str, org: str, active: bool, label: str | None = None) -> None:
    """Change an account's role, organisation or whether it may log in."""
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "update-user")
        if actor.id == user.id and (not active or role != "admin"):
            raise AccountError(_("Bạn không thể tự khóa hoặc tự bỏ quyền quản trị của mình."), "active")
    _check_role(role, org)
    before = {"role": user.role, "org": user.org, "active": user.active}
    user.role, user.org, user.active = role, org, active
    after = {"role": role, "org": org, "active": active}
    if before != after:
        action = "user.disable" if before["active"] and not active else (
            "user.enable" if active and not before["active"] else "user.update")
        audit(action, actor, detail={"user": user.email, "before": before, "after": after}, label=label)


def set_active(actor: User | None, user: User, active: bool, label: str | None = None) -> None:
    update_user(actor, user, user.role, user.org, active, label=label)


def set_password(actor: User | None, user: User, password: str, label: str | None = None) -> None:
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "set-password")
    check_password_policy(password)
    user.password_hash = hash_password(password)
    audit("user.password", actor, detail={"user": user.email}, label=label)


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("not a real password, only spends the time"))
    return _DUMMY_HASH[0]


def is_rate_limited(email: str, remote_addr: str) -> bool:
    since = utcnow() - FAILURE_WINDOW
    count = db.select(db.func.count(LoginFailure.id)).where(LoginFailure.at > since)
    by_account = db.session.execute(count.where(LoginFailure.email == email)).scalar_one()
    by_address = db.session.execute(count.where(LoginFailure.remote_addr == remote_addr)).scalar_one()
    return by_account >= MAX_FAILURES_PER_ACCOUNT or by_address >= MAX_FAILURES_PER_ADDRESS


def authenticate(email: str, password: str, remote_addr: str) -> User | None:
    """Check a login and commit its audit entry. Raise `RateLimited` when locked out."""
    email = normalise_email(email)[:254]
    remote_addr = (remote_addr or "")[:64]
    if is_rate_limited(email, remote_addr):
        audit("login.rate_limited", None, detail={"email": email}, label=email)
        db.session.commit()
        raise RateLimited(email)
    user = find_user(email)
    password_ok = check_password_hash(user.password_hash if user else _dummy_hash(), password or "")
    if user is None or not password_ok or not user.active:
        reason = "unknown-account" if user is None else ("wrong-password" if not password_ok else "disabled")
        db.session.add(LoginFailure(email=email, remote_addr=remote_addr, at=utcnow()))
        audit("login.failed", user, detail={"email": email, "reason": reason}, label=email)
        db.session.commit()
        return None
    user.last_login_at = utcnow()
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == email))
    audit("login", user)
    db.session.commit()
    return user
