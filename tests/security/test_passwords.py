"""Passwords (length, common ones refused, self-service change, forced change) and the
second factor (required roles, enrolment with a QR code, replay, recovery codes)."""
from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine

from portal.admin import accounts, twofactor
from portal.content.models import AuditEntry, RecoveryCode, User, utcnow
from portal.extensions import db
from tests.admin.helpers import PASSWORD, SECRETS, enrol_user, logged_in, login, make_user


def audit_actions() -> list[str]:
    return list(db.session.execute(db.select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


@pytest.mark.parametrize("password,message", [
    ("ngan-qua-11", "ít nhất 12 ký tự"),
    ("password1234", "quá dễ đoán"),
    ("123456789012", "quá dễ đoán"),
    ("qwertyuiop12", "quá dễ đoán"),
    ("iloveyou2024", "quá dễ đoán"),
    ("x" * 129, "dài quá"),
])
def test_weak_passwords_are_refused(app, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.check_password_policy(password, "bien.tap@example.vn")


def test_a_password_built_from_the_email_is_refused(app):
    with pytest.raises(accounts.AccountError, match="quá dễ đoán"):
        accounts.check_password_policy("nguyenvanan2026", "nguyenvanan@example.vn")


def test_a_long_unusual_password_is_accepted(app):
    accounts.check_password_policy("bốn mùa hoa phượng đỏ rực", "a@example.vn")
    accounts.check_password_policy(PASSWORD, "a@example.vn")


def test_admin_set_password_must_be_changed_at_first_login(app):
    admin_client, _admin = logged_in(app, "admin")
    response = admin_client.post("/admin/users/new", data={
        "email": "moi@example.vn", "role": "editor", "org": "newsroom", "password": "tam thoi cho tai khoan moi"})
    assert response.status_code == 302
    client = app.test_client()
    assert login(client, "moi@example.vn", "tam thoi cho tai khoan moi").status_code == 302
    for path in ("/admin/", "/admin/warnings/", "/admin/account/two-factor"):
        response = client.get(path)
        if path.endswith("two-factor"):
            assert response.status_code == 200  # the account pages stay reachable
        else:
            assert response.headers["Location"] == "/admin/account/password", path
    page = client.post("/admin/account/password", data={
        "current": "tam thoi cho tai khoan moi", "password": "password1234", "confirm": "password1234"})
    assert page.status_code == 422 and "quá dễ đoán" in page.get_data(as_text=True)
    page = client.post("/admin/account/password", data={
        "current": "tam thoi cho tai khoan moi", "password": "mot cau khac han", "confirm": "mot cau khac han!"})
    assert page.status_code == 422 and "không khớp" in page.get_data(as_text=True)
    page = client.post("/admin/account/password", data={
        "current": "sai roi khong phai", "password": "mot cau khac han nhe", "confirm": "mot cau khac han nhe"})
    assert page.status_code == 422 and "Mật khẩu hiện tại không đúng" in page.get_data(as_text=True)
    response = client.post("/admin/account/password", data={
        "current": "tam thoi cho tai khoan moi", "password": "mot cau khac han nhe", "confirm": "mot cau khac han nhe"})
    assert response.status_code == 302 and client.get("/admin/").status_code == 200
    assert "user.password.change" in audit_actions()


def test_cli_created_accounts_change_their_password_unless_told_otherwise(runner, app):
    result = runner.invoke(args=["users", "create", "cli@example.vn", "--role", "editor", "--password-stdin"],
                           input="mat khau tam thoi tu dong lenh\n")
    assert result.exit_code == 0, result.output
    assert accounts.find_user("cli@example.vn").must_change_password
    result = runner.invoke(args=["users", "reset-password", "cli@example.vn", "--password-stdin"],
                           input="mot mat khau tam khac nua\n")
    assert result.exit_code == 0 and "must be changed" in result.output


@pytest.mark.parametrize("role,required", [("editor", False), ("publisher", True), ("enforcement", True),
                                           ("admin", True)])
def test_roles_that_need_a_second_factor_are_sent_to_enrol(app, role, required):
    user = make_user(role, enrol=False)
    client = app.test_client()
    assert login(client, user).status_code == 302  # no second factor yet: the password is enough, once
    response = client.get("/admin/")
    if required:
        assert response.headers["Location"] == "/admin/account/two-factor"
    else:
        assert response.status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes(app):
    user = make_user("publisher", enrol=False)
    client = app.test_client()
    login(client, user)
    page = client.get("/admin/account/two-factor").get_data(as_text=True)
    assert '<svg' in page and 'class="qr"' in page and "<script" not in page
    with client.session_transaction() as state:
        secret = state["enrol_secret"]
    assert secret in page
    wrong = client.post("/admin/account/two-factor", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000"
                                                           else "111111"})
    assert wrong.status_code == 422 and "Mã không đúng" in wrong.get_data(as_text=True)
    done = client.post("/admin/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.execute(db.select(RecoveryCode.code_hash).filter_by(user_id=user.id)).scalars().all()
    assert len(stored) == 10 and not any(code.replace("-", "") in h for h in stored for code in codes)
    assert client.get("/admin/").status_code == 200
    assert "user.2fa.enable" in audit_actions()


def test_login_needs_the_code_and_a_code_works_once(app):
    user = make_user("publisher")
    totp = pyotp.TOTP(SECRETS[user.email])
    client = app.test_client()
    start = utcnow() + timedelta(minutes=1)
    with time_machine.travel(start, tick=False):
        response = client.post("/admin/login", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == "/admin/login/code"
        assert client.get("/admin/").status_code == 302  # the password alone opens nothing
        code = totp.now()
        assert client.post("/admin/login/code", data={"code": code}).status_code == 302
        assert client.get("/admin/").status_code == 200
        other = app.test_client()  # the same code, seen over a shoulder, a moment later
        other.post("/admin/login", data={"email": user.email, "password": PASSWORD})
        replay = other.post("/admin/login/code", data={"code": code})
        assert replay.status_code == 401 and "đã được dùng" in replay.get_data(as_text=True)
    login_row = db.session.execute(db.select(AuditEntry).filter_by(action="login")).scalars().all()[-1]
    assert login_row.detail == {"second_factor": "totp"}


def test_recovery_codes_work_once(app):
    user = make_user("enforcement", enrol=False)
    codes = enrol_user(user)
    db.session.commit()
    for attempt, expected in ((codes[0], 302), (codes[0].upper().replace("-", " "), 401)):
        client = app.test_client()
        client.post("/admin/login", data={"email": user.email, "password": PASSWORD})
        assert client.post("/admin/login/code", data={"code": attempt}).status_code == expected
    assert twofactor.remaining(db.session.get(User, user.id)) == 9
    assert "user.2fa.recovery_code_used" in audit_actions()


def test_admin_reset_of_the_second_factor(app, runner):
    user = make_user("publisher")
    client = app.test_client()
    assert login(client, user).status_code == 302
    assert runner.invoke(args=["users", "reset-2fa", user.email]).exit_code == 0
    db.session.expire_all()
    assert client.get("/admin/").status_code == 302  # sessions ended
    fresh = app.test_client()
    assert fresh.post("/admin/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    assert fresh.get("/admin/").headers["Location"] == "/admin/account/two-factor"
    assert "user.2fa.reset" in audit_actions()


def test_second_step_expires_and_is_throttled(app):
    user = make_user("publisher")
    client = app.test_client()
    start = utcnow()
    with time_machine.travel(start, tick=False):
        client.post("/admin/login", data={"email": user.email, "password": PASSWORD})
        statuses = [client.post("/admin/login/code", data={"code": "12345x"}).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert client.get("/admin/login/code").headers["Location"] == "/admin/login"
