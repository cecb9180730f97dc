"""A resident files a complaint on a phone and follows it by its code; a complaint handler
moves it to resolved in the admin; the resident is told by e-mail (a real SMTP server in
process). axe finds no serious or critical violation on the pages on the way; screenshots at
360×740 and 1280×800 go to /work/wt/shots/complaints/ when that folder exists."""
from __future__ import annotations

import re
import time

import pytest
from PIL import Image

from portal import mail
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.e2e.browser_checks import screenshot, serious_violations
from tests.e2e.test_editor_flow import log_in
from tests.mailserver import MailServer

pytestmark = pytest.mark.e2e
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def smtp(live_server):
    server = MailServer().start()
    config = live_server.app.config
    saved = {key: config.get(key) for key in ("PORTAL_SMTP_URL", "PORTAL_MAIL_FROM")}
    config.update(PORTAL_SMTP_URL=server.url, PORTAL_MAIL_FROM="phananh@haiphong.example.vn")
    try:
        yield server
    finally:
        config.update(saved)
        server.stop()


def wait_for_mail(live_server, server: MailServer, count: int) -> list:
    """The messages received, once ``count`` have arrived (the outbox is flushed as `flask mail send` would)."""
    for _ in range(50):
        with live_server.app.app_context():
            mail.deliver_pending()
            db.session.remove()
        if len(server.messages) >= count:
            break
        time.sleep(0.2)
    return list(server.messages)


@pytest.fixture
def receipt(tmp_path):
    path = tmp_path / "hoa-don.jpg"
    Image.new("RGB", (900, 1200), (235, 235, 225)).save(path, "JPEG")
    return path


def test_resident_files_and_follows_a_complaint_officer_resolves_it(live_server, browser, smtp, receipt):
    base = live_server.url
    with live_server.app.app_context():
        officer = make_user("complaints", "e2e-canbo@example.vn", org="so-cong-thuong").email
        db.session.remove()

    phone = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = phone.new_page()
    page.goto(f"{base}/phan-anh")
    assert no_horizontal_scroll(page)
    assert serious_violations(page) == []
    screenshot(page, "form-360")
    page.get_by_label("Khiếu nại, yêu cầu").check()
    page.get_by_label("Lĩnh vực").select_option("food")
    page.get_by_label("Tên cơ sở kinh doanh").fill("Siêu thị mini Hoa Sen")
    page.get_by_label("Sản phẩm hoặc dịch vụ").fill("Sữa chua uống 180 ml")
    page.get_by_label("Sự việc đã xảy ra").fill("Sữa chua mua hôm qua đã phồng hộp, có mùi lạ dù còn hạn sử dụng.")
    page.get_by_label("Bạn mong muốn được giải quyết thế nào").fill("Hoàn tiền và kiểm tra lô hàng.")
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_label("E-mail", exact=True).fill("binh@example.vn")
    page.get_by_label("Địa chỉ liên hệ").fill("8 Điện Biên Phủ, phường Hồng Bàng")
    page.get_by_label("Ảnh hoặc tài liệu PDF").set_input_files(str(receipt))
    page.get_by_label("Tôi đồng ý").check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    page.wait_for_url(f"{base}/phan-anh/da-gui")
    code = page.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    assert serious_violations(page) == [] and no_horizontal_scroll(page)
    screenshot(page, "sent-360")

    page.goto(f"{base}/phan-anh/tra-cuu")
    page.get_by_label("Mã theo dõi").fill(code.lower().replace("-", ""))
    page.get_by_label("E-mail hoặc số điện thoại đã khai").fill("binh@example.vn")
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_role("heading", name=f"Phản ánh {code}").is_visible()
    assert "Đã tiếp nhận" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "status-received-360")

    desk = browser.new_context(viewport=DESKTOP).new_page()
    log_in(desk, base, officer)
    desk.get_by_role("link", name="Phản ánh, khiếu nại").click()
    desk.get_by_role("link", name=code).click()
    assert "Trần Văn Bình" in desk.locator("main").inner_text()
    assert serious_violations(desk) == []
    screenshot(desk, "admin-detail-1280")
    for status in ("Đã chuyển cơ quan có thẩm quyền", "Đang giải quyết", "Đã giải quyết"):
        desk.get_by_label("Tình trạng mới").select_option(label=status)
        desk.get_by_role("button", name="Đổi tình trạng").click()
        assert desk.locator(".flash--success").inner_text() == "Đã đổi tình trạng."
    assert "Đã giải quyết" in desk.locator(".status-line").inner_text()
    desk.goto(f"{base}/admin/complaints/?status=")
    assert serious_violations(desk) == []
    screenshot(desk, "admin-queue-1280")

    messages = wait_for_mail(live_server, smtp, 4)
    mine = [m for m in messages if m["To"] == "binh@example.vn"]
    assert [m["Subject"] for m in mine] == [
        f"Đã tiếp nhận phản ánh {code}", f"Phản ánh {code}: Đã chuyển cơ quan có thẩm quyền",
        f"Phản ánh {code}: Đang giải quyết", f"Phản ánh {code}: Đã giải quyết"]
    assert "/phan-anh/tra-cuu" in mine[-1].get_content()

    page.goto(f"{base}/phan-anh/tra-cuu")
    page.get_by_label("Mã theo dõi").fill(code)
    page.get_by_label("E-mail hoặc số điện thoại đã khai").fill("BINH@example.vn")
    page.get_by_role("button", name="Tra cứu").click()
    assert "Đã giải quyết" in page.locator("table").inner_text()
    screenshot(page, "status-resolved-360")

    for size, name in ((PHONE, "360"), (DESKTOP, "1280")):
        view = browser.new_context(viewport=size).new_page()
        view.goto(f"{base}/thong-ke/phan-anh")
        assert "Đã giải quyết" in view.locator("main").inner_text() and no_horizontal_scroll(view)
        assert serious_violations(view) == []
        screenshot(view, f"statistics-{name}")
        view.goto(f"{base}/en/complaints")
        assert serious_violations(view) == [] and no_horizontal_scroll(view)
        screenshot(view, f"form-en-{name}")
        view.context.close()
    phone.close()
    desk.context.close()


def test_a_form_with_mistakes_comes_back_with_its_text_on_a_phone(live_server, browser):
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/phan-anh")
    page.get_by_label("Khiếu nại, yêu cầu").check()
    page.get_by_label("Sự việc đã xảy ra").fill("Quá ngắn")
    page.get_by_label("E-mail", exact=True).fill("khong-hop-le")
    page.get_by_role("button", name="Gửi", exact=True).click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "Địa chỉ e-mail không hợp lệ" in summary.inner_text()
    assert page.get_by_label("Sự việc đã xảy ra").input_value() == "Quá ngắn"
    assert serious_violations(page) == [] and no_horizontal_scroll(page)
    screenshot(page, "errors-360")
    page.context.close()
