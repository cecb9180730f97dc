"""What only a browser shows: the home page and a warning on a phone and a desktop screen.

axe-core finds no serious or critical accessibility violation, nothing scrolls sideways at
360 px, and the skip link is the first thing the keyboard reaches. Screenshots go to
$PORTAL_SCREENSHOTS when set, for a person to look at (`browser_checks.screenshot`).
"""
from __future__ import annotations

import pytest

from tests.e2e.browser_checks import screenshot, serious_violations

pytestmark = pytest.mark.e2e

SCREENS = {"phone": (360, 740), "desktop": (1280, 900)}


def pages(server) -> dict[str, tuple[str, str]]:
    """name → (path, text the main content must show)."""
    return {
        "home": ("/", "Cảnh báo nghiêm trọng mới nhất"),
        "home-en": ("/en/", "Latest serious warnings"),
        "warning": (f"/canh-bao/{server.slugs['warning']}", "Người tiêu dùng cần làm gì"),
        "warning-en": (f"/en/warnings/{server.slugs['warning']}", "What consumers should do"),
    }


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", ["home", "home-en", "warning", "warning-en"])
def test_page_fits_screen_and_passes_axe(live_server, browser, name, screen):
    width, height = SCREENS[screen]
    path, expected = pages(live_server)[name]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert expected in page.inner_text("main")

        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width} px ({scroll_width} px wide)"

        screenshot(page, f"{name}-{width}")

        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip-link"
        box = page.locator(".skip-link").bounding_box()
        assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link stays off screen when focused"

        bad = serious_violations(page)
        assert not bad, "\n".join(bad)
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/canh-bao?risk_level=serious", "/en/warnings?page=abc", "/huong-dan",
                                  "/en/guides/how-to-complain", "/xu-ly-vi-pham", "/en/enforcement/{sanction}",
                                  "/gioi-thieu", "/canh-bao/{withdrawn}", "/en/no-such-page"])
def test_other_pages_pass_axe_on_a_phone(live_server, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(live_server.url + path.format(**live_server.slugs))
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        bad = serious_violations(page)
        assert not bad, "\n".join(bad)
    finally:
        context.close()


def test_filter_form_works_without_javascript(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/canh-bao")
        page.locator("summary.filters__summary").click()
        page.get_by_label("Nghiêm trọng").check()
        page.get_by_role("button", name="Lọc").click()
        assert "risk_level=serious" in page.url
        items = page.locator("main .item-list .item")
        assert items.count() == 1
        assert "Nồi chiên không dầu" in items.first.inner_text()
    finally:
        context.close()
