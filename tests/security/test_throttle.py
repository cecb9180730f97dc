"""Throttling that protects without locking out, tested with two client addresses through ProxyFix."""
from __future__ import annotations

from datetime import timedelta

import time_machine

from portal.admin.throttle import delay_after
from portal.content.models import AuditEntry, utcnow
from portal.extensions import db
from tests.admin.helpers import login, make_user

ATTACKER = {"X-Forwarded-For": "198.51.100.66"}
OWNER = {"X-Forwarded-For": "203.0.113.10"}


def post(client, email, password, headers):
    return login(client, email, password, headers=headers)


def test_delays_grow_then_stop_at_a_ceiling():
    assert [delay_after(n, 3).total_seconds() for n in range(0, 7)] == [0, 0, 0, 2, 4, 8, 16]
    assert delay_after(40, 3) == timedelta(minutes=15)


def test_someone_elses_wrong_guesses_do_not_lock_the_owner_out(proxied_app):
    user = make_user("editor")
    attacker, owner = proxied_app.test_client(), proxied_app.test_client()
    start = utcnow()
    with time_machine.travel(start, tick=False):
        for _ in range(3):
            assert post(attacker, user.email, "doan-bua-mat-khau", ATTACKER).status_code == 401
        assert post(attacker, user.email, "doan-bua-mat-khau", ATTACKER).status_code == 429
        assert post(owner, user.email, "mat-khau-du-dai-123", OWNER).status_code == 302
        assert owner.get("/admin/", headers=OWNER).status_code == 200


def test_the_attackers_waits_grow(proxied_app):
    user = make_user("editor")
    attacker = proxied_app.test_client()
    moment = utcnow()
    waits = []
    for _ in range(6):
        with time_machine.travel(moment, tick=False):
            tries = 0
            response = post(attacker, user.email, "doan-bua-mat-khau", ATTACKER)
            while response.status_code == 401 and tries < 5:  # a guess is checked, then the next one waits
                tries += 1
                response = post(attacker, user.email, "doan-bua-mat-khau", ATTACKER)
            assert response.status_code == 429
            wait = int(response.headers["Retry-After"])
            waits.append(wait)
        moment += timedelta(seconds=wait)
    assert waits == sorted(waits) and waits[-1] > waits[0]


def test_address_limit_across_accounts(proxied_app):
    make_user("editor")
    attacker, owner = proxied_app.test_client(), proxied_app.test_client()
    with time_machine.travel(utcnow(), tick=False):
        for n in range(10):
            assert post(attacker, f"thu-{n}@example.vn", "doan-bua-mat-khau", ATTACKER).status_code == 401
        assert post(attacker, "editor@example.vn", "mat-khau-du-dai-123", ATTACKER).status_code == 429
        assert post(owner, "editor@example.vn", "mat-khau-du-dai-123", OWNER).status_code == 302


def test_forwarded_for_is_ignored_without_trusted_proxies(app):
    user = make_user("editor")
    client = app.test_client()
    with time_machine.travel(utcnow(), tick=False):
        for n in range(3):  # an attacker cannot dodge the limit by inventing addresses
            headers = {"X-Forwarded-For": f"192.0.2.{n}"}
            assert post(client, user.email, "doan-bua-mat-khau", headers).status_code == 401
        assert post(client, user.email, "doan-bua-mat-khau", {"X-Forwarded-For": "192.0.2.99"}).status_code == 429
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="login.failed")).scalar_one()
    assert entry.remote_addr == "127.0.0.1"


def test_refused_logins_are_audited_once_per_burst(proxied_app):
    user = make_user("editor")
    attacker = proxied_app.test_client()
    start = utcnow()
    for second in range(0, 40, 2):  # twenty attempts, most refused by the throttle
        with time_machine.travel(start + timedelta(seconds=second), tick=False):
            post(attacker, user.email, "doan-bua-mat-khau", ATTACKER)
    rows = db.session.execute(db.select(AuditEntry).where(AuditEntry.action.like("login.%"))).scalars().all()
    by_action = {row.action: row for row in rows}
    assert len(rows) == 2 and set(by_action) == {"login.failed", "login.throttled"}
    failed, throttled = by_action["login.failed"], by_action["login.throttled"]
    assert failed.remote_addr == "198.51.100.66" and failed.detail["reasons"] == ["wrong-password"]
    assert failed.detail["count"] + throttled.detail["count"] == 20
    with time_machine.travel(start + timedelta(hours=2), tick=False):  # a later burst gets its own row
        post(attacker, user.email, "doan-bua-mat-khau", ATTACKER)
    assert db.session.execute(db.select(db.func.count(AuditEntry.id)).filter_by(action="login.failed")).scalar() == 2
