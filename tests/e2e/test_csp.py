"""The Content-Security-Policy in a real browser: the violation check itself notices a violation."""
from __future__ import annotations

import pytest

from portal.security import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.e2e


def test_an_inline_script_is_blocked_and_reported(live_server, browser, csp_violations):
    page = browser.new_page()
    page.route(f"{live_server.url}/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
        body="<!doctype html><title>t</title><p id=p>before</p>"
             "<script>document.getElementById('p').textContent = 'ran'</script>"))
    page.goto(f"{live_server.url}/csp-probe")
    page.wait_for_timeout(200)
    assert page.text_content("#p") == "before"
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # seen: this test's violation is the expected one


def test_public_and_admin_pages_carry_the_policy(live_server, browser):
    page = browser.new_page()
    for path in ("/", "/canh-bao", "/admin/login", "/api/v1/warnings", "/feeds/warnings.atom", "/khong-co"):
        response = page.goto(live_server.url + path)
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path
