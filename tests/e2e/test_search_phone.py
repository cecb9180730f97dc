"""A resident on a 360 px phone searches without diacritics from the home page.

The live server's search index is built and followed by the outbox follower started with its
first request, exactly as under `make run`.
"""
from __future__ import annotations

import time

import pytest

from tests.e2e.browser_checks import serious_violations

pytestmark = pytest.mark.e2e


def wait_for_index(page, server, query: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        response = page.request.get(f"{server.url}/api/v1/search", params={"q": query})
        if response.ok and response.json()["total"] > 0:
            return
        time.sleep(0.2)
    raise AssertionError("the search index never caught up with the fixture content")


def test_unaccented_search_on_a_phone_opens_the_warning(live_server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        wait_for_index(page, live_server, "noi chien")

        page.fill("#home-search", "noi chien khong dau qua nhiet")
        page.press("#home-search", "Enter")
        page.wait_for_url("**/tim-kiem?**")
        assert page.input_value("#search-q") == "noi chien khong dau qua nhiet"
        first = page.locator(".search-results .item__title a").first
        assert "Nồi chiên không dầu" in first.inner_text()
        assert page.locator(".search-results mark", has_text="Nồi").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        bad = serious_violations(page)
        assert not bad, "\n".join(bad)

        first.click()
        page.wait_for_url(f"**/canh-bao/{live_server.slugs['warning']}")
        assert "Nồi chiên không dầu có nguy cơ quá nhiệt gây cháy" in page.inner_text("h1")
    finally:
        context.close()
