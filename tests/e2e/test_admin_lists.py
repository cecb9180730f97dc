"""Issue 12 in a real browser, on a phone and a desktop: the warning before leaving a changed
form, and the bulk action flow on an admin list (choose, confirm, per-item results), under axe.

Screenshots go to $PORTAL_SCREENSHOTS when set (`browser_checks.screenshot`).
"""
from __future__ import annotations

import pytest

from portal.content import workflow
from portal.content.models import User, Warning
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.e2e.browser_checks import screenshot, serious_violations
from tests.e2e.test_editor_flow import log_in
from tests.factories import warning_data

pytestmark = pytest.mark.e2e
SIZES = [(360, 740), (1280, 800)]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0


@pytest.mark.parametrize("width,height", SIZES)
def test_leaving_a_changed_form_asks_first(live_server, browser, width, height):
    with live_server.app.app_context():
        email = make_user("editor", f"unsaved-{width}@example.vn").email
        db.session.remove()
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": height})
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    page.on("dialog", on_dialog)
    log_in(page, base, email)
    page.goto(f"{base}/admin/warnings/new")
    page.get_by_role("link", name="Bảng điều khiển").click()  # nothing typed: leaves without asking
    page.wait_for_url(f"{base}/admin/")
    assert dialogs == []

    page.goto(f"{base}/admin/warnings/new")
    title = f"Bản nháp chưa lưu ({width} px)"
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_role("link", name="Bảng điều khiển").click(no_wait_after=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url == f"{base}/admin/warnings/new"  # stayed, with the text
    assert page.get_by_label("Tiêu đề").input_value() == title
    screenshot(page, f"unsaved-form-{width}")
    assert serious_violations(page) == [] and no_sideways_scroll(page)

    page.get_by_role("button", name="Lưu nháp", exact=True).last.click()  # submitting never asks
    page.get_by_text("Đã lưu (phiên bản 1)").wait_for()
    assert dialogs == ["beforeunload"]
    page.get_by_role("link", name="Bảng điều khiển").click()  # saved: leaves without asking
    page.wait_for_url(f"{base}/admin/")
    assert dialogs == ["beforeunload"]
    page.close()
    with live_server.app.app_context():
        assert db.session.execute(db.select(Warning).filter_by(title=title)).scalar_one().status == "draft"
        db.session.remove()


@pytest.mark.parametrize("width,height", SIZES)
def test_bulk_publish_on_a_list(live_server, browser, width, height):
    marker = f"Lô {width}"
    with live_server.app.app_context():
        email = make_user("publisher", f"bulk-{width}@example.vn").email
        author = db.session.execute(db.select(User).filter_by(email=email)).scalar_one()
        ready = warning_data(title=f"{marker}: ấm siêu tốc rò điện", risk_level="high")
        ready.pop("published_at")
        workflow.create_item(author, "warning", ready)
        workflow.create_item(author, "warning", {"type": "warning", "slug": f"lo-{width}-thieu", "lang": "vi",
                                                 "title": f"{marker}: bản nháp chỉ có tiêu đề"})
        db.session.commit()
        db.session.remove()
    base = live_server.url
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        log_in(page, base, email)
        page.goto(f"{base}/admin/warnings/?q={marker}")
        assert page.get_by_text("Chưa chọn").count() == 1  # the title-only draft has no risk level yet
        assert serious_violations(page) == [] and no_sideways_scroll(page)
        pick_all = page.get_by_label("Chọn tất cả các mục trên trang này")
        assert pick_all.is_visible()  # shown by admin.js
        pick_all.check()
        assert page.locator("input[name=item]:checked").count() == 2
        page.get_by_label("Thao tác với các mục đã chọn").select_option("publish")
        screenshot(page, f"bulk-list-{width}")
        page.get_by_role("button", name="Tiếp tục…").click()

        page.get_by_role("heading", name="Xác nhận: xuất bản 2 mục").wait_for()
        assert serious_violations(page) == [] and no_sideways_scroll(page)
        screenshot(page, f"bulk-confirm-{width}")
        page.get_by_role("button", name="Xác nhận: Xuất bản").click()

        page.get_by_role("heading", name="Kết quả: Xuất bản").wait_for()
        assert page.get_by_text("Đã thực hiện 1 mục; chưa thực hiện 1 mục.").is_visible()
        refused = page.locator("tr.result--refused")
        assert refused.count() == 1 and "Còn thiếu thông tin bắt buộc" in refused.inner_text()
        assert serious_violations(page) == [] and no_sideways_scroll(page)
        screenshot(page, f"bulk-results-{width}")

        page.goto(f"{base}/admin/warnings/?q={marker}")
        live_row = page.locator("tr", has_text="ấm siêu tốc rò điện")
        assert live_row.get_by_text("Đang công khai").is_visible()
        assert live_row.get_by_role("link", name="Xem").is_visible()
    finally:
        page.close()
        with live_server.app.app_context():
            # Leave the shared server's public lists as the other browser tests expect them.
            for item in db.session.execute(db.select(Warning).where(Warning.title.like(f"{marker}:%"))).scalars():
                item.status = "archived"
            db.session.commit()
            db.session.remove()
