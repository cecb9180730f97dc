"""Phone first: what a resident sees on the first screen of a 360×740 phone, and on a desktop.

The home page's search box and the first search result are on the first screen; the filters
fold behind a toggle on phones (open on desktops); no public list page scrolls sideways with
its filters open; every filter option shows (no inner scroll box); axe finds nothing serious.
Screenshots go to $PORTAL_SCREENSHOTS when set (`browser_checks.screenshot`).
"""
from __future__ import annotations

import pytest

from tests.e2e.browser_checks import screenshot, serious_violations
from tests.e2e.test_search_phone import wait_for_index

pytestmark = pytest.mark.e2e

SCREENS = {"phone": (360, 740), "desktop": (1280, 800)}
LIST_PAGES = ["/", "/canh-bao", "/en/warnings", "/huong-dan", "/en/guides", "/xu-ly-vi-pham", "/en/enforcement",
              "/tim-kiem?q=noi+chien", "/en/search?q=noi+chien", "/canh-bao?category=food&date_from=2024-01-01",
              "/tim-kiem?q=do+choi&type=warning&risk_level=high"]
OPEN_FILTERS = "document.querySelectorAll('details.filters').forEach(function (d) { d.open = true; })"


@pytest.fixture
def screen_page(browser, request):
    contexts = []

    def open_page(screen: str):
        width, height = SCREENS[screen]
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_home_search_box_is_on_the_first_screen(live_server, screen_page, screen):
    page = screen_page(screen)
    response = page.goto(live_server.url + "/")
    assert response.headers.get("content-encoding") == "br"  # Chromium asks for brotli and gets it
    height = page.evaluate("innerHeight")
    for selector in ("#home-search", ".hero .search-form .button"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box, height)
    screenshot(page, f"home-{SCREENS[screen][0]}", full_page=False)


@pytest.mark.parametrize("screen", SCREENS)
def test_first_search_result_is_on_the_first_screen(live_server, screen_page, screen):
    page = screen_page(screen)
    page.goto(live_server.url + "/")
    wait_for_index(page, live_server, "noi chien")
    page.goto(live_server.url + "/tim-kiem?q=noi+chien+khong+dau")
    height = page.evaluate("innerHeight")
    first = page.locator(".search-results .item").first
    badges = first.locator(".item__badges").bounding_box()
    title = first.locator(".item__title a").bounding_box()
    assert badges["y"] >= 0 and badges["y"] + badges["height"] <= height
    assert title["y"] + 30 <= height, f"the first result's title starts at {title['y']} px of {height}"
    assert "Nồi chiên không dầu" in first.inner_text()
    assert "Nghiêm trọng" in first.locator(".item__badges").inner_text()

    filters = page.locator("details.filters")
    if screen == "phone":  # folded: one line above the results, and it opens without JavaScript
        assert filters.get_attribute("open") is None
        screenshot(page, "search-360", full_page=False)
        page.locator(".filters__summary").click()
        assert page.locator("#s-category-food").is_visible()
    else:  # open beside the results
        assert filters.get_attribute("open") is not None
        assert page.locator("#s-category-food").is_visible()
        screenshot(page, "search-1280", full_page=False)


def test_search_filters_open_without_javascript_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/tim-kiem?q=noi+chien")
        assert not page.locator("#s-category-food").is_visible()
        page.locator(".filters__summary").click()
        assert page.locator("#s-category-food").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_pages_fit_the_screen_with_filters_open(live_server, screen_page, path, screen):
    page = screen_page(screen)
    response = page.goto(live_server.url + path)
    assert response is not None and response.status == 200, (path, response and response.status)
    page.evaluate(OPEN_FILTERS)
    width = page.evaluate("innerWidth")
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width, f"{path} scrolls sideways at {width} px ({scroll_width} px wide)"

    # Every field stays inside its panel, and no box inside a panel scrolls (hiding options).
    problems = page.evaluate("""() => {
      const out = [];
      document.querySelectorAll('.filters').forEach(function (panel) {
        const edge = panel.getBoundingClientRect();
        panel.querySelectorAll('input, select, button, label').forEach(function (field) {
          const box = field.getBoundingClientRect();
          if (box.width && (box.left < edge.left - 0.5 || box.right > edge.right + 0.5)) {
            out.push('outside the panel: ' + (field.id || field.name || field.textContent.trim()));
          }
        });
        panel.querySelectorAll('*').forEach(function (el) {
          const overflow = getComputedStyle(el).overflowY;
          if (['auto', 'scroll', 'hidden'].includes(overflow) && el.scrollHeight > el.clientHeight + 1
              && !el.classList.contains('visually-hidden')) {
            out.push('scroll box: ' + el.className + ' shows ' + el.clientHeight + ' of ' + el.scrollHeight + ' px');
          }
        });
      });
      return out;
    }""")
    assert not problems, (path, problems)

    if path in ("/canh-bao", "/tim-kiem?q=noi+chien"):
        food = page.locator(".filters label", has_text="Thực phẩm").first
        panel = page.locator(".filters").first.bounding_box()
        box = food.bounding_box()
        assert food.is_visible() and panel["y"] <= box["y"] and box["y"] + box["height"] <= panel["y"] + panel["height"]
        name = "warnings" if path == "/canh-bao" else "search"
        screenshot(page, f"{name}-filters-open-{width}")

    bad = serious_violations(page)
    assert not bad, "\n".join(bad)


def test_search_results_mark_a_withdrawn_warning(live_server, screen_page):
    page = screen_page("phone")
    page.goto(live_server.url + "/")
    wait_for_index(page, live_server, "kiem nghiem lai dat yeu cau")  # the withdrawn warning's reason
    page.goto(live_server.url + "/tim-kiem?q=kiem+nghiem+lai+dat+yeu+cau")
    item = page.locator(".search-results .item--withdrawn").first
    assert item.count() == 1
    assert "Đã rút cảnh báo" in item.locator(".item__badges").inner_text()
    assert item.locator(".badge--withdrawn").evaluate("e => getComputedStyle(e).display") != "none"
    screenshot(page, "search-withdrawn-360", full_page=False)
    bad = serious_violations(page)
    assert not bad, "\n".join(bad)
