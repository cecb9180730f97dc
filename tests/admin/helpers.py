"""Accounts and logins for admin tests."""
from __future__ import annotations

from functools import cache
from unittest import mock

from werkzeug.security import generate_password_hash

from portal.admin import accounts
from portal.content.models import User
from portal.extensions import db

PASSWORD = "mat-khau-du-dai-123"
ROLE_ORGS = {"editor": "newsroom", "publisher": "newsroom", "enforcement": "so-cong-thuong", "admin": "newsroom"}


@cache
def _cheap_hash(password: str) -> str:
    # Real scrypt parameters cost ~0.3 s per hash; tests use a light scrypt (same check code).
    return generate_password_hash(password, method="scrypt:1024:8:1")


def make_user(role: str, email: str | None = None, org: str | None = None, password: str = PASSWORD) -> User:
    with mock.patch.object(accounts, "hash_password", _cheap_hash):
        user = accounts.create_user(None, email or f"{role}@example.vn", role, org or ROLE_ORGS[role], password,
                                    label="test")
    db.session.commit()
    return user


def login(client, user: User | str, password: str = PASSWORD, **extra):
    email = user if isinstance(user, str) else user.email
    return client.post("/admin/login", data={"email": email, "password": password}, **extra)


def logged_in(app, role: str, email: str | None = None):
    """A new test client logged in as a new user of ``role``; returns (client, user)."""
    user = make_user(role, email)
    client = app.test_client()
    response = login(client, user)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client, user
