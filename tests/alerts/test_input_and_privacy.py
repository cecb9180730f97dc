"""Hostile input is refused clearly, and subscriber addresses never reach a public surface."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.alerts.models import AlertSubscription
from portal.extensions import db
from portal.mail.models import OutgoingMail
from portal.search import service
from tests.factories import create, warning_data

from .conftest import confirm_from_mail, subscribe


def count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("address", [
    "", "   ", "no-at-sign", "a@b", "Tên <dan@example.vn>", "dan@example.vn, ke@xau.vn", "dan@example.vn;ke@xau.vn",
    "a b@example.vn", "dân@ví-dụ.vn", "dan@@example.vn", "dan..x@example.vn", "\"dan\"@example.vn",
    "dan@example.vn%0aBcc:ke@xau.vn", "x" * 250 + "@example.vn", "dan@-example.vn",
])
def test_unusable_addresses_get_a_clear_message_and_nothing_is_kept(web, address):
    response = subscribe(web, address)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Hãy nhập địa chỉ e-mail" in body or "Địa chỉ e-mail không hợp lệ" in body
    assert 'id="email-error"' in body and 'name="list" value="warnings"' in body
    assert count(AlertSubscription) == 0 and count(OutgoingMail) == 0


@pytest.mark.parametrize("address", ["dan@example.vn\r\nBcc: ke@xau.vn", "dan@example.vn\nSubject: x",
                                     "dan\r\n@example.vn", "\tdan@example.vn\tx"])
def test_header_injection_is_refused(web, address):
    response = subscribe(web, address)
    assert response.status_code == 400 and "Địa chỉ e-mail không hợp lệ" in response.get_data(as_text=True)
    assert count(AlertSubscription) == 0 and count(OutgoingMail) == 0


@pytest.mark.parametrize("address", ["dan@example.vn\x00", "dan\x07@example.vn", "dan@exa\x1bmple.vn"])
def test_control_characters_never_reach_a_stored_address_or_a_header(web, address):
    # The boundary (portal/boundary.py) strips control characters from every form value first.
    response = subscribe(web, address)
    assert response.status_code == 200
    stored = db.session.execute(sa.select(AlertSubscription.address)).scalar_one()
    assert stored in ("dan@example.vn",)
    assert db.session.execute(sa.select(OutgoingMail.recipient)).scalar_one() == "dan@example.vn"


@pytest.mark.parametrize("form, words", [
    ({"list": "warnings", "category": "not-a-category"}, "Bộ lọc có giá trị không hợp lệ"),
    ({"list": "warnings", "date_from": "2026-13-45"}, "Bộ lọc có giá trị không hợp lệ"),
    ({"list": "articles"}, "Không có danh sách này"),
    ({"list": ""}, "Không có danh sách này"),
    ({"list": "search", "q": "   "}, "Hãy nhập từ khóa"),
    ({"list": "sanctions", "online": "maybe"}, "Bộ lọc có giá trị không hợp lệ"),
])
def test_bad_lists_and_filters_are_refused_clearly(web, form, words):
    page = web.get("/nhan-tin-qua-email", query_string=form)
    assert page.status_code == 400 and words in page.get_data(as_text=True)
    response = web.post("/nhan-tin-qua-email", data={"email": "dan@example.vn", "frequency": "immediate", **form})
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert count(AlertSubscription) == 0


def test_a_missing_frequency_is_asked_for(web):
    response = web.post("/nhan-tin-qua-email", data={"email": "dan@example.vn", "list": "warnings", "frequency": "hourly"})
    assert response.status_code == 400 and "Hãy chọn nhận tin ngay" in response.get_data(as_text=True)
    assert count(AlertSubscription) == 0


def test_the_subscribe_page_describes_the_filter_it_was_opened_with(web):
    page = web.get("/nhan-tin-qua-email?list=warnings&category=toys&hazard=choking&page=3&updated_since=2026-01-01")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đồ chơi" in body and "Hóc, nghẹt" in body or "Đồ chơi" in body
    assert 'name="category" value="toys"' in body and 'name="hazard" value="choking"' in body
    assert 'name="page"' not in body and "updated_since" not in body


def test_list_and_search_pages_link_their_alerts_with_their_filter(web):
    body = web.get("/canh-bao?category=toys&risk_level=serious").get_data(as_text=True)
    assert "/nhan-tin-qua-email?list=warnings&amp;category=toys&amp;risk_level=serious" in body
    assert "Nhận tin qua e-mail cho danh sách đã lọc" in body
    assert "/nhan-tin-qua-email?list=sanctions" in web.get("/xu-ly-vi-pham").get_data(as_text=True)
    assert "/en/email-alerts?list=warnings" in web.get("/en/warnings").get_data(as_text=True)
    create(warning_data(title="Sữa bột nhiễm khuẩn"))
    service.apply_pending()
    assert "/nhan-tin-qua-email?list=search&amp;q=s%E1%BB%AFa+b%E1%BB%99t" in \
        web.get("/tim-kiem?q=sữa bột").get_data(as_text=True)
    assert "/nhan-tin-qua-email" not in web.get("/huong-dan").get_data(as_text=True)


def test_subscriber_addresses_appear_on_no_public_surface(web, mail_server):
    subscribe(web, "bimat@example.vn", category="toys")
    confirm_from_mail(web, mail_server, "bimat@example.vn")
    create(warning_data(title="Cảnh báo công khai"))
    service.apply_pending()
    for path in ("/", "/canh-bao", "/canh-bao?category=toys", "/xu-ly-vi-pham", "/feeds/warnings.atom",
                 "/feeds/warnings.rss", "/feeds/all.atom", "/api/v1/warnings", "/sitemap.xml", "/sitemaps/pages.xml",
                 "/canh-bao/export.csv", "/nhan-tin-qua-email/quan-ly", "/nhan-tin-qua-email?list=warnings"):
        response = web.get(path)
        assert response.status_code < 500, path
        assert "bimat" not in response.get_data(as_text=True), path
    # Search knows nothing of subscribers (the query itself is echoed, so count the results).
    assert web.get("/api/v1/search?q=bimat").get_json()["total"] == 0
    assert web.get("/api/v1/search?q=bimat%40example.vn").get_json()["total"] == 0
