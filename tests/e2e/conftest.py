"""Browser-test fixtures: a real server on 127.0.0.1 with small fixture content, and Chromium.

`live_server` serves an app whose database is a copy of the migrated template, filled with a
few items created through the real services (so the tests do not depend on the bundled files).
`browser` is the system Chromium driven by Playwright; without Chromium the tests skip, unless
the CI variable is set, in which case they fail. Every page it opens reports Content-Security-
Policy violations (the console's "Refused to ..." messages and `securitypolicyviolation`
events); a test that caused one fails at teardown (`csp_violations`, autouse).
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from portal import create_app
from portal.extensions import db
from tests.factories import _when, article_data, create, sanction_data, warning_data

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass
class LiveServer:
    url: str
    app: Flask
    slugs: dict[str, str]


def fill_fixture_content() -> dict[str, str]:
    """A few items of every kind, like the bundled content; returns named slugs."""
    warning = create(warning_data(
        slug="noi-chien-khong-dau-qua-nhiet", title="Nồi chiên không dầu có nguy cơ quá nhiệt gây cháy",
        summary="Một số lô nồi chiên không dầu có thể quá nhiệt khi dùng lâu, gây cháy và bỏng.",
        category="electrical", hazards=["fire", "burns"], risk_level="serious",
        product={"name": "Nồi chiên không dầu 5,5 lít", "brand": "Mẫu Thử", "model": "AF-550",
                 "barcodes": ["8931234567890"], "batches": ["L2409", "L2410"],
                 "production_dates": "Tháng 9 đến tháng 10/2024", "origin_country": "Trung Quốc"},
        what_to_do="1. **Ngừng sử dụng** nồi chiên ngay.\n2. Liên hệ nơi bán để được đổi hoặc hoàn tiền.",
        units="Khoảng 1.200 sản phẩm", importer="Công ty TNHH Nhập khẩu Mẫu",
        measures=[{"type": "recall", "kind": "voluntary", "by": "Nhà nhập khẩu"},
                  {"type": "listing-removed", "kind": "compulsory", "by": "Sàn thương mại điện tử"}],
        images=[{"src": "img/og-default.png", "alt": "Ảnh minh họa nồi chiên không dầu bị thu hồi"}],
        body="Bộ điều nhiệt có thể hỏng, khiến nhiệt độ tăng không kiểm soát.\n\n"
             "Xem thêm [hướng dẫn](https://example.org/huong-dan).",
        change_note="Bổ sung số lô L2410.",
    ))
    for n in range(3):
        create(warning_data(title=f"Đồ chơi nhồi bông có chi tiết nhỏ dễ bong ra, mẫu số {n + 1}",
                            risk_level=["high", "medium", "low"][n], published_at=_when(-3 - n)))
    withdrawn = create(warning_data(slug="sua-tam-tre-em-da-rut", status="withdrawn",
                                    withdrawn_reason="Kết quả kiểm nghiệm lại đạt yêu cầu.",
                                    category="cosmetics", hazards=["chemical"], risk_level="medium"))
    guide = create(article_data(
        slug="cach-khieu-nai", title="Khiếu nại khi bị xâm phạm quyền lợi: bắt đầu từ đâu",
        summary="Các bước khiếu nại và khi nào gọi tổng đài 1800 6838.", tags=["khieu-nai"],
        body="## Bước 1\n\nLiên hệ người bán trước.\n\n## Bước 2\n\nGiữ hóa đơn và ảnh chụp."))
    create(article_data(slug="how-to-complain", lang="en", title="How to complain and when to call 1800 6838",
                        translation_of="cach-khieu-nai", tags=["khieu-nai"], body="## Step 1\n\nContact the seller."))
    create(article_data(slug="ngay-15-3", title="Ngày Quyền của người tiêu dùng Việt Nam 15/3", tags=["15-3"]))
    sanction = create(sanction_data(slug="xu-phat-cua-hang-minh-hoa", fine_vnd=15_000_000))
    return {"warning": warning.slug, "withdrawn": withdrawn.slug, "guide": guide.slug, "sanction": sanction.slug}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, databases):
    folder = tmp_path_factory.mktemp("live")
    database = databases.fresh(folder)  # its own database: it outlives the per-test ones
    app = create_app({
        "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "e2e-secret",
        "SQLALCHEMY_DATABASE_URI": database, "SEARCH_INDEX_DIR": str(folder / "search-index"),
        "MEDIA_DIR": str(folder / "media"), "WTF_CSRF_ENABLED": False,
    })
    with app.app_context():
        slugs = fill_fixture_content()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, slugs=slugs)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()
        databases.drop(database)


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


# Runs in every page before its own scripts; Playwright's init scripts are not subject to the CSP.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("securitypolicyviolation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class CheckedBrowser:
    """The Playwright browser, with every context reporting CSP violations into ``violations``."""

    def __init__(self, chromium):
        self._chromium = chromium
        self.violations: list[str] = []

    def new_context(self, **options):
        context = self._chromium.new_context(**options)
        context.add_init_script(REPORT_VIOLATIONS)

        def on_console(message):
            text = message.text
            if "securitypolicyviolation" in text or "Content Security Policy" in text:
                self.violations.append(f"{message.page.url if message.page else '?'}: {text}")

        context.on("console", on_console)
        return context

    def new_page(self, **options):
        context = self.new_context(**options)
        page = context.new_page()
        return page

    def __getattr__(self, name):
        return getattr(self._chromium, name)


@pytest.fixture(autouse=True)
def csp_violations(request):
    """Fail a browser test whose pages reported a Content-Security-Policy violation."""
    if "browser" not in request.fixturenames:
        yield []
        return
    checked = request.getfixturevalue("browser")
    checked.violations.clear()
    yield checked.violations
    assert not checked.violations, "CSP violations:\n" + "\n".join(checked.violations)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but no Chromium was found (looked for /usr/bin/chromium and chromium on PATH)")
        pytest.skip("no Chromium found (/usr/bin/chromium or chromium on PATH); browser tests skipped outside CI")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield CheckedBrowser(chromium)
        finally:
            chromium.close()
