"""A resident subscribes to e-mail alerts for a filtered warnings list, on a phone and on a
desktop screen, and confirms from the e-mail's link (read from the mail outbox)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.alerts.models import AlertSubscription
from portal.extensions import db
from portal.mail.models import OutgoingMail

from tests.e2e.browser_checks import screenshot, serious_violations

pytestmark = pytest.mark.e2e


def confirmation_path(server, address: str) -> str:
    with server.app.app_context():
        text = db.session.execute(sa.select(OutgoingMail.body_text).where(OutgoingMail.recipient == address)).scalar_one()
        db.session.remove()
    url = re.search(r"https?://\S+/xac-nhan/\S+", text).group(0)
    return url[url.index("/nhan-tin-qua-email"):]


def status_of(server, address: str) -> str:
    with server.app.app_context():
        status = db.session.execute(sa.select(AlertSubscription.status).where(
            AlertSubscription.address == address)).scalar_one()
        db.session.remove()
    return status


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 800)])
def test_subscribing_from_the_filtered_warnings_list(live_server, browser, width, height):
    address = f"nguoidan{width}@example.vn"
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/canh-bao?risk_level=serious&category=electrical")
        link = page.get_by_role("link", name="Nhận tin qua e-mail cho danh sách đã lọc")
        assert link.is_visible()
        screenshot(page, f"warnings-list-{width}")
        link.click()
        page.wait_for_url("**/nhan-tin-qua-email?**")
        assert "Nghiêm trọng" in page.inner_text("main") and "Thiết bị điện" in page.inner_text("main")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not serious_violations(page), serious_violations(page)
        screenshot(page, f"subscribe-{width}")

        page.get_by_role("button", name="Đăng ký nhận tin").click()  # no address yet
        assert "Hãy nhập địa chỉ e-mail" in page.inner_text("main")
        assert not serious_violations(page)
        screenshot(page, f"subscribe-error-{width}")

        page.get_by_label("Địa chỉ e-mail").fill(address)
        page.get_by_label("Bản tin tổng hợp mỗi ngày một lần (buổi sáng)").check()
        page.get_by_role("button", name="Đăng ký nhận tin").click()
        page.get_by_role("heading", name="Hãy kiểm tra hộp thư").wait_for()
        assert status_of(live_server, address) == "pending"
        screenshot(page, f"check-mailbox-{width}")

        page.goto(live_server.url + confirmation_path(live_server, address))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert not serious_violations(page)
        screenshot(page, f"confirm-{width}")
        assert status_of(live_server, address) == "pending"  # opening the link confirms nothing
        page.get_by_role("button", name="Xác nhận đăng ký").click()
        page.get_by_role("heading", name="Đã xác nhận đăng ký").wait_for()
        assert "mỗi ngày" in page.inner_text("main")
        assert status_of(live_server, address) == "active"
        screenshot(page, f"confirmed-{width}")
    finally:
        context.close()
