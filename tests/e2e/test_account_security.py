"""An admin-made account's first login in a real browser, with the CSP on and axe watching:
it must change its password, then set up two-factor login from the server-rendered QR code."""
from __future__ import annotations

from unittest import mock

import pyotp
import pytest

from portal.admin import accounts
from portal.extensions import db
from tests.admin.helpers import PASSWORD, _cheap_hash
from tests.e2e.browser_checks import serious_violations

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "bốn mùa hoa phượng đỏ rực"


def test_first_login_changes_password_then_enrols(live_server, browser):
    with live_server.app.app_context():
        with mock.patch.object(accounts, "hash_password", _cheap_hash):
            accounts.create_user(None, "lan-dau@example.vn", "publisher", "newsroom", PASSWORD, label="test",
                                 must_change=True)
        db.session.commit()
        db.session.remove()
    base = live_server.url
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-mail").fill("lan-dau@example.vn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{base}/admin/warnings/")  # every page leads to the password change first
    page.wait_for_url(f"{base}/admin/account/password")
    assert serious_violations(page) == []
    page.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    with mock.patch.object(accounts, "hash_password", _cheap_hash):
        page.get_by_role("button", name="Đổi mật khẩu").click()
        page.wait_for_url(f"{base}/admin/account/two-factor")
    assert page.locator("figure.qr-figure svg title").count() == 1
    assert serious_violations(page) == []
    secret = page.locator("code.secret").inner_text().strip()
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    assert page.get_by_role("heading", name="Mã khôi phục").is_visible()
    assert page.locator("ul.recovery-codes li").count() == 10
    page.get_by_role("link", name="Tôi đã lưu mã, tiếp tục").click()
    page.wait_for_url(f"{base}/admin/")
    page.close()
