"""Sessions that end: a copied cookie is refused after logout, reset, disable, role change;
idle timeout and absolute lifetime; a fresh session at login."""
from __future__ import annotations

from datetime import timedelta

import time_machine

from portal.admin import accounts
from portal.content.models import User, utcnow
from portal.extensions import db
from tests.admin.helpers import PASSWORD, logged_in, login, make_user


def copy_cookie(client, to):
    """A second client carrying ``client``'s session cookie (what a thief would replay)."""
    to.set_cookie("session", client.get_cookie("session").value)
    return to


def test_replayed_cookie_after_logout_is_refused(app):
    client, _user = logged_in(app, "editor")
    thief = copy_cookie(client, app.test_client())
    assert thief.get("/admin/").status_code == 200  # the copy works while the session lives
    assert client.post("/admin/logout").status_code == 302
    assert thief.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_logout_ends_the_users_other_sessions_too(app):
    client, user = logged_in(app, "editor")
    other = app.test_client()
    assert login(other, user).status_code == 302
    client.post("/admin/logout")
    assert other.get("/admin/").status_code == 302


def test_password_reset_by_an_admin_ends_the_users_sessions(app):
    client, user = logged_in(app, "editor")
    admin_client, _admin = logged_in(app, "admin")
    response = admin_client.post(f"/admin/users/{user.id}", data={
        "role": "editor", "org": "newsroom", "active": "y", "password": "mot cau mat khau moi that dai"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).must_change_password


def test_disable_then_enable_does_not_revive_old_cookies(app, runner):
    client, user = logged_in(app, "editor")
    kept = copy_cookie(client, app.test_client())
    assert runner.invoke(args=["users", "disable", user.email]).exit_code == 0
    assert runner.invoke(args=["users", "enable", user.email]).exit_code == 0
    db.session.expire_all()
    assert kept.get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_role_change_ends_sessions(app):
    client, user = logged_in(app, "editor")
    admin_client, _admin = logged_in(app, "admin")
    assert admin_client.post(f"/admin/users/{user.id}", data={
        "role": "publisher", "org": "newsroom", "active": "y"}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_idle_timeout_and_absolute_lifetime(app):
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["SESSION_LIFETIME_HOURS"]) == (30, 12)
    start = utcnow()
    user = make_user("editor")
    client = app.test_client()
    with time_machine.travel(start, tick=False):
        assert login(client, user).status_code == 302
    # Active every 25 minutes: the idle limit never hits, the 12-hour limit does.
    for step in range(1, 29):
        with time_machine.travel(start + timedelta(minutes=25 * step), tick=False):
            assert client.get("/admin/").status_code == 200, step
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert client.get("/admin/").status_code == 302
    with time_machine.travel(start + timedelta(hours=13), tick=False):
        assert login(client, user).status_code == 302
    with time_machine.travel(start + timedelta(hours=13, minutes=31), tick=False):
        assert client.get("/admin/").status_code == 302  # 31 minutes idle


def test_limits_are_configurable(app):
    app.config.update(SESSION_IDLE_MINUTES=5)
    start = utcnow()
    user = make_user("editor")
    client = app.test_client()
    with time_machine.travel(start, tick=False):
        login(client, user)
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert client.get("/admin/").status_code == 302


def test_the_cookie_expires_with_the_absolute_lifetime(app):
    client, _user = logged_in(app, "editor")
    cookie = client.get_cookie("session")
    assert cookie.expires is not None
    lifetime = cookie.expires - utcnow()
    assert timedelta(hours=11) < lifetime <= timedelta(hours=12)


def test_login_starts_a_fresh_session(app):
    user = make_user("editor")
    client = app.test_client()
    with client.session_transaction() as planted:
        planted["csrf_token"] = "planted-by-an-attacker"
        planted["something"] = "else"
    assert login(client, user).status_code == 302
    with client.session_transaction() as fresh:
        assert "something" not in fresh and fresh.get("csrf_token") != "planted-by-an-attacker"
        assert fresh["epoch"] == user.session_epoch


def test_own_password_change_keeps_this_session_and_ends_others(app):
    client, user = logged_in(app, "editor")
    other = app.test_client()
    login(other, user)
    response = client.post("/admin/account/password", data={
        "current": PASSWORD, "password": "hai con meo trang tren mai nha", "confirm": "hai con meo trang tren mai nha"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert other.get("/admin/").status_code == 302
    assert accounts.password_matches(db.session.get(User, user.id), "hai con meo trang tren mai nha")
