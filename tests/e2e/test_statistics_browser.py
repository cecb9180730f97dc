"""The statistics page in a browser: phone and desktop, Vietnamese and English, axe, no JavaScript.

Screenshots go to $PORTAL_SCREENSHOTS when set, for a person to look at (`browser_checks.screenshot`).
"""
from __future__ import annotations

import pytest

from tests.e2e.browser_checks import screenshot, serious_violations


pytestmark = pytest.mark.e2e

SCREENS = {"phone": (360, 740), "desktop": (1280, 800)}
PAGES = {"vi": ("/thong-ke", "Cảnh báo theo tháng"), "en": ("/en/statistics", "Warnings by month")}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", PAGES)
def test_statistics_fits_the_screen_and_passes_axe(live_server, browser, lang, screen):
    width, height = SCREENS[screen]
    path, heading = PAGES[lang]
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert heading in page.inner_text("main")
        charts = page.locator("main svg[role=img]")
        assert charts.count() >= 6  # every chart with figures in the fixture year is drawn
        assert page.locator("main svg[role=img] rect.chart__bar").count() > 0
        box = charts.first.bounding_box()
        assert box is not None and 0 < box["width"] <= width
        page.locator("details.chart__data summary").first.click()  # the first chart's table
        assert page.locator("details.chart__data table").first.is_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{path} scrolls sideways at {width} px ({scroll_width} px wide)"
        screenshot(page, f"statistics-{lang}-{width}")
        bad = serious_violations(page)
        assert not bad, "\n".join(bad)
    finally:
        context.close()


def test_year_selector_works_without_javascript(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/thong-ke")
        year = page.get_by_label("Năm").input_value()
        page.get_by_role("button", name="Xem").click()
        assert f"year={year}" in page.url
        assert page.locator("h1").inner_text() == f"Thống kê {year}"
    finally:
        context.close()


def test_a_bad_year_explains_itself(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        response = page.goto(live_server.url + "/en/statistics?year=1901")
        assert response is not None and response.status == 404
        assert "No figures for 1901" in page.inner_text("main")
        bad = serious_violations(page)
        assert not bad, "\n".join(bad)
    finally:
        context.close()
