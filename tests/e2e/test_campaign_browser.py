"""The 15 March campaign in a browser: the campaign page (vi, en), the home banner and the tag labels
on a phone (360×740) and a desktop (1280×800) screen; axe finds nothing serious, nothing scrolls sideways.

Screenshots go to $PORTAL_SCREENSHOTS when set, for a person to look at (`browser_checks.screenshot`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from portal.content.loader import load_paths
from portal.extensions import db

from tests.e2e.browser_checks import screenshot, serious_violations

pytestmark = pytest.mark.e2e

SCREENS = {"phone": (360, 740), "desktop": (1280, 800)}
BUNDLED = Path(__file__).resolve().parents[2] / "content" / "campaigns"
PAGES = {
    "campaign": ("/ngay-quyen-cua-nguoi-tieu-dung", "Sự kiện"),
    "campaign-en": ("/en/consumer-rights-day", "Events"),
    "home-banner": ("/", "Xem chương trình, sự kiện và tờ rơi"),
    "guide-tags": ("/huong-dan/cach-khieu-nai", "Chủ đề"),
}


@pytest.fixture(scope="module")
def campaign_server(live_server):
    """The live server with the bundled campaign file loaded and the banner window open all year."""
    app = live_server.app
    with app.app_context():
        load_paths([BUNDLED])
        db.session.remove()
    saved = {key: app.config.get(key) for key in ("PORTAL_CAMPAIGN_START", "PORTAL_CAMPAIGN_END")}
    app.config.update(PORTAL_CAMPAIGN_START="01-01", PORTAL_CAMPAIGN_END="12-31")
    yield live_server
    app.config.update(saved)


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_campaign_pages_fit_and_pass_axe(campaign_server, browser, name, screen):
    width, height = SCREENS[screen]
    path, expected = PAGES[name]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        response = page.goto(campaign_server.url + path)
        assert response is not None and response.status == 200
        assert expected in page.inner_text("main")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width} px ({scroll_width} px wide)"
        screenshot(page, f"{name}-{width}")
        bad = serious_violations(page)
        assert not bad, "\n".join(bad)
    finally:
        context.close()


def test_leaflet_link_downloads_a_pdf(campaign_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(campaign_server.url + "/ngay-quyen-cua-nguoi-tieu-dung")
        with page.expect_download() as caught:
            page.get_by_role("link", name="Tải tờ rơi (PDF, để in)").click()
        path = caught.value.path()
        assert Path(path).read_bytes().startswith(b"%PDF")
    finally:
        context.close()


def test_a_tag_label_leads_to_the_filtered_list(campaign_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(campaign_server.url + "/huong-dan/cach-khieu-nai")
        page.locator(".tag-labels").get_by_role("link", name="Khiếu nại").click()
        assert page.url.endswith("/huong-dan?tag=khieu-nai")
        assert "Khiếu nại khi bị xâm phạm quyền lợi" in page.inner_text("main .item-list")
    finally:
        context.close()
