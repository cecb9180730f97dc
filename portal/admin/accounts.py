"""Accounts: creating, changing and disabling users; passwords; checking a login.

Passwords are hashed with scrypt (werkzeug), need at least 12 characters and are refused when
zxcvbn (offline, with its lists of common passwords, words and names) finds them easy to
guess. A password set by someone else (an admin, or `flask users create`) must be changed at
the first login. Changing a password, a role, disabling an account or resetting its second
factor ends every session of that user (`end_sessions`). Throttling lives in `throttle.py`,
the second factor in `twofactor.py`. Every account change writes an audit entry.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from ..content import permissions as perm
from ..content.models import RecoveryCode, User, utcnow
from ..content.services import audit
from ..extensions import db

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128  # ASVS 2.1.2: at least 64 allowed, more than 128 denied
MIN_PASSWORD_SCORE = 3  # zxcvbn: 3 is "safely unguessable" for an online attack with throttling
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_LABELS = {"editor": "Biên tập viên", "publisher": "Người duyệt và xuất bản",
               "enforcement": "Cán bộ xử lý vi phạm", "admin": "Quản trị tài khoản",
               "complaints": "Cán bộ xử lý phản ánh, khiếu nại"}
ORG_LABELS = {"newsroom": "Ban biên tập", "so-cong-thuong": "Sở Công Thương"}
_DUMMY_HASH: list[str] = []


class AccountError(ValueError):
    """A bad account change; ``field`` names the form field, ``message`` is Vietnamese."""

    def __init__(self, message: str, field: str | None = None):
        self.message, self.field = message, field
        super().__init__(message)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(email=normalise_email(email))).scalar_one_or_none()


def check_password_policy(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long, or easy to guess (common, or built from the e-mail)."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Mật khẩu cần ít nhất %(n)s ký tự.", n=MIN_PASSWORD_LENGTH), "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(_("Mật khẩu dài quá %(n)s ký tự.", n=MAX_PASSWORD_LENGTH), "password")
    hints = [part for part in re.split(r"[@._+-]", normalise_email(email)) if len(part) > 2]
    if zxcvbn(password[:100], user_inputs=hints + ["haiphong", "hai phong", "congthuong"])["score"] < MIN_PASSWORD_SCORE:
        raise AccountError(_("Mật khẩu này quá dễ đoán (mật khẩu phổ biến, từ thông dụng hoặc dãy ký tự quen thuộc). "
                             "Hãy dùng một cụm vài từ mà người khác khó đoán."), "password")


def end_sessions(user: User) -> None:
    """End every open session of ``user``: their cookies carry an older epoch from now on."""
    user.session_epoch = (user.session_epoch or 0) + 1


def _check_role(role: str, org: str) -> None:
    if role not in perm.ROLES:
        raise AccountError(_("Vai trò không hợp lệ."), "role")
    if org not in perm.ORGS:
        raise AccountError(_("Đơn vị không hợp lệ."), "org")


def create_user(actor: User | None, email: str, role: str, org: str, password: str,
                label: str | None = None, must_change: bool | None = None) -> User:
    """Create an account. ``actor`` None is the command line (label "cli").

    ``must_change`` (default: when an admin sets it) makes the user choose a new password at
    the first login.
    """
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "create-user")
    email = normalise_email(email)
    if not EMAIL_RE.match(email) or len(email) > 254:
        raise AccountError(_("Địa chỉ e-mail không hợp lệ."), "email")
    if find_user(email) is not None:
        raise AccountError(_("Đã có tài khoản với e-mail này."), "email")
    _check_role(role, org)
    check_password_policy(password, email)
    must_change = actor is not None if must_change is None else must_change
    user = User(email=email, role=role, org=org, password_hash=hash_password(password), active=True,
                created_at=utcnow(), must_change_password=must_change, session_epoch=0)
    db.session.add(user)
    db.session.flush()
    audit("user.create", actor, detail={"user": email, "role": role, "org": org, "must_change_password": must_change},
          label=label)
    return user


def update_user(actor: User | None, user: User, role: str, org: str, active: bool, label: str | None = None) -> None:
    """Change an account's role, organisation or whether it may log in (ending its sessions)."""
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
        if before["role"] != role:
            action = "user.role" if action == "user.update" else action
        end_sessions(user)
        audit(action, actor, detail={"user": user.email, "before": before, "after": after}, label=label)


def set_active(actor: User | None, user: User, active: bool, label: str | None = None) -> None:
    update_user(actor, user, user.role, user.org, active, label=label)


def set_password(actor: User | None, user: User, password: str, label: str | None = None) -> None:
    """An admin (or the CLI) sets ``user``'s password: it must be changed at the next login."""
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "set-password")
    check_password_policy(password, user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    end_sessions(user)
    audit("user.password.reset", actor, detail={"user": user.email}, label=label)


def change_own_password(user: User, current: str, new: str) -> None:
    """The user replaces their own password (needs the current one); ends their other sessions."""
    if not check_password_hash(user.password_hash, current or ""):
        raise AccountError(_("Mật khẩu hiện tại không đúng."), "current")
    if new == current:
        raise AccountError(_("Mật khẩu mới phải khác mật khẩu hiện tại."), "password")
    check_password_policy(new, user.email)
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    end_sessions(user)
    audit("user.password.change", user, detail={"user": user.email})


def reset_second_factor(actor: User | None, user: User, label: str | None = None) -> None:
    """Remove ``user``'s authenticator and recovery codes (they enrol again at the next login)."""
    if actor is not None:
        perm.require(perm.can_manage_users(actor), "reset-2fa")
    user.totp_secret, user.totp_last_counter = None, None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user)
    audit("user.2fa.reset", actor, detail={"user": user.email}, label=label)


def password_matches(user: User | None, password: str) -> bool:
    """Check ``password`` against ``user`` (or spend the same time on a dummy hash when None)."""
    ok = check_password_hash(user.password_hash if user else _dummy_hash(), password or "")
    return ok and user is not None


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(hash_password("not a real password, only spends the time"))
    return _DUMMY_HASH[0]
