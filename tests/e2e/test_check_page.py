""""Is my product recalled?" in a real browser, on a phone and a desktop: typed, scanned, axe-clean.

Headless Chromium on Linux has no ``BarcodeDetector``: the plain form is what it shows, and the
scanning path is exercised with a stand-in detector and a canvas as the camera.
"""
from __future__ import annotations

import pytest

from tests.e2e.browser_checks import screenshot, serious_violations

pytestmark = pytest.mark.e2e

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}
FAKE_SCANNER = """
window.BarcodeDetector = class {
  static getSupportedFormats() { return Promise.resolve(["ean_13", "qr_code"]); }
  constructor(options) { window.__scanFormats = options.formats; }
  detect() { return Promise.resolve([{ rawValue: "8931234567890", format: "ean_13" }]); }
};
navigator.mediaDevices.getUserMedia = function () {
  var canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 240;
  canvas.getContext("2d").fillRect(0, 0, 320, 240);
  return Promise.resolve(canvas.captureStream(5));
};
"""


@pytest.mark.parametrize("size", SIZES)
def test_typed_batch_number_finds_the_warning(live_server, browser, size):
    context = browser.new_context(viewport=SIZES[size])
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.click("text=Sản phẩm của tôi có bị thu hồi không?")
        page.wait_for_url("**/kiem-tra-ma")
        assert page.locator("[data-scan-controls]").is_hidden()  # no BarcodeDetector here: typing only
        page.fill("#code", "l 2409")
        page.press("#code", "Enter")
        page.wait_for_url("**/kiem-tra-ma?code=*")
        link = page.locator(".item-list .item__title a").first
        assert "Nồi chiên không dầu" in link.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        assert not serious_violations(page)
        screenshot(page, f"check-match-{size}")
        link.click()
        page.wait_for_url(f"**/canh-bao/{live_server.slugs['warning']}")
        assert page.locator("a[href='/kiem-tra-ma']").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_english_no_match_and_wrong_check_digit(live_server, browser, size):
    context = browser.new_context(viewport=SIZES[size])
    try:
        page = context.new_page()
        page.goto(live_server.url + "/en/check-code?code=8934567000012")
        body = page.inner_text("main")
        assert "The barcode's check digit is wrong." in body and "should be 7" in body
        assert "No warning is recorded for this code as of" in body
        assert page.locator("a[href='tel:18006838']").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
        assert not serious_violations(page)
        screenshot(page, f"check-no-match-en-{size}")
    finally:
        context.close()


def test_scanning_fills_the_code_and_checks_it(live_server, browser):
    context = browser.new_context(viewport=SIZES["phone"])
    try:
        context.add_init_script(FAKE_SCANNER)
        page = context.new_page()
        page.goto(live_server.url + "/kiem-tra-ma")
        start = page.locator("[data-scan-start]")
        start.wait_for(state="visible")
        assert page.evaluate("window.__scanFormats") == ["ean_13"]
        assert page.locator("[data-scan-stop]").is_hidden()
        screenshot(page, "check-scan-button-phone")
        start.click()
        page.wait_for_url("**/kiem-tra-ma?code=8931234567890")
        assert "Nồi chiên không dầu" in page.inner_text(".item-list")
    finally:
        context.close()


def test_bad_input_is_explained(live_server, browser):
    context = browser.new_context(viewport=SIZES["phone"])
    try:
        page = context.new_page()
        response = page.goto(live_server.url + "/kiem-tra-ma?code=" + "9" * 300)
        assert response.status == 400
        assert "Mã quá dài" in page.inner_text("[role=alert]")
        assert not serious_violations(page)
        screenshot(page, "check-bad-input-phone")
    finally:
        context.close()
