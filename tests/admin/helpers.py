"""Accounts and logins for admin tests.

Users of the roles that need a second factor are enrolled with a known TOTP secret, and
`login` answers the second step with a fresh code, so tests that only need "a logged-in
publisher" keep working.
"""
from __future__ import annotations

from functools import cache
from unittest import mock

import pyotp
from werkzeug.security import generate_password_hash

from portal.admin import accounts, twofactor
from portal.content.models import User, utcnow
from portal.extensions import db

PASSWORD = "mat-khau-du-dai-123"
ROLE_ORGS = {"editor": "newsroom", "publisher": "newsroom", "enforcement": "so-cong-thuong", "admin": "newsroom"}
SECRETS: dict[str, str] = {}  # e-mail -> TOTP secret of users enrolled here


@cache
def _cheap_hash(password: str) -> str:
    # Real scrypt parameters cost ~0.3 s per hash; tests use a light scrypt (same check code).
    return generate_password_hash(password, method="scrypt:1024:8:1")


def make_user(role: str, email: str | None = None, org: str | None = None, password: str = PASSWORD,
              enrol: bool | None = None) -> User:
    """A user of ``role``; enrolled in two-factor login when the role needs it (or ``enrol``)."""
    with mock.patch.object(accounts, "hash_password", _cheap_hash):
        user = accounts.create_user(None, email or f"{role}@example.vn", role, org or ROLE_ORGS[role], password,
                                    label="test", must_change=False)
    if enrol if enrol is not None else twofactor.required_for(user):
        enrol_user(user)
    db.session.commit()
    return user


def enrol_user(user: User) -> list[str]:
    """Turn on ``user``'s second factor through the real service; returns the recovery codes."""
    secret = twofactor.new_secret()
    codes = twofactor.enrol(user, secret, pyotp.TOTP(secret).now())
    assert codes is not None
    SECRETS[user.email] = secret
    return codes


def totp_code(email: str) -> str:
    """A code the server will accept now: the step after the last one used (no replay refused)."""
    user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
    totp = pyotp.TOTP(SECRETS[email])
    now_step = totp.timecode(utcnow())
    if user.totp_last_counter is not None and user.totp_last_counter >= now_step:
        # Several logins of one user inside one 30-second step: a test-only shortcut, the
        # server still refuses a step it has seen.
        user.totp_last_counter = now_step - 1
        db.session.commit()
    return totp.generate_otp(now_step)


def login(client, user: User | str, password: str = PASSWORD, **extra):
    """Log in with ``password``, answering the second step when the account has one."""
    email = user if isinstance(user, str) else user.email
    response = client.post("/admin/login", data={"email": email, "password": password}, **extra)
    if response.status_code == 302 and response.headers["Location"] == "/admin/login/code":
        response = client.post("/admin/login/code", data={"code": totp_code(email.strip().lower())}, **extra)
    return response


def logged_in(app, role: str, email: str | None = None):
    """A new test client logged in as a new user of ``role``; returns (client, user)."""
    user = make_user(role, email)
    client = app.test_client()
    response = login(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, user
