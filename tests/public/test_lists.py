"""List pages: filters as GET forms, active filters, pagination that keeps the filters."""
from __future__ import annotations

import re

from portal.content.models import OldSlug
from portal.extensions import db
from tests.factories import _when, create, sanction_data, warning_data


def text(response) -> str:
    return response.get_data(as_text=True)


def item_titles(page: str) -> list[str]:
    return re.findall(r'class="item__title"><a href="[^"]+"[^>]*>([^<]+)</a>', page)


def test_warning_filters_category_risk_and_status(client):
    create(warning_data(title="Đồ chơi nguy hiểm", category="toys", risk_level="serious"))
    create(warning_data(title="Mỹ phẩm chứa thủy ngân", category="cosmetics", hazards=["chemical"], risk_level="high"))
    create(warning_data(title="Bánh kẹo đã rút", category="food", hazards=["microbiological"], risk_level="medium",
                        status="withdrawn", withdrawn_reason="Đã xác minh an toàn."))

    assert item_titles(text(client.get("/canh-bao?category=cosmetics"))) == ["Mỹ phẩm chứa thủy ngân"]
    assert item_titles(text(client.get("/canh-bao?hazard=microbiological"))) == ["Bánh kẹo đã rút"]
    assert item_titles(text(client.get("/canh-bao?status=withdrawn"))) == ["Bánh kẹo đã rút"]
    both = item_titles(text(client.get("/canh-bao?risk_level=serious&risk_level=high")))
    assert sorted(both) == ["Mỹ phẩm chứa thủy ngân", "Đồ chơi nguy hiểm"]

    page = text(client.get("/canh-bao?category=cosmetics"))
    assert 'id="f-category-cosmetics" name="category" value="cosmetics" checked' in page
    assert "Danh mục: <strong>Mỹ phẩm</strong>" in page
    assert 'href="/canh-bao">Xóa tất cả bộ lọc</a>' in page


def test_warning_filters_by_source_and_date_range(client):
    create(warning_data(title="Cảnh báo tháng Một", published_at="2026-01-15T09:00:00+07:00",
                        source={"authority": "Cục Quản lý thị trường", "reference": "QLTT-1"}))
    create(warning_data(title="Cảnh báo tháng Ba", published_at="2026-03-10T09:00:00+07:00"))
    assert item_titles(text(client.get("/canh-bao?date_from=2026-03-01&date_to=2026-03-31"))) == ["Cảnh báo tháng Ba"]
    assert item_titles(text(client.get("/canh-bao?source=domestic"))) == ["Cảnh báo tháng Một"]
    assert item_titles(text(client.get("/canh-bao?source=eu-safety-gate"))) == ["Cảnh báo tháng Ba"]


def test_bad_filter_value_explains_itself(client):
    create(warning_data(title="Một cảnh báo"))
    response = client.get("/canh-bao?date_from=15-03-2026")
    assert response.status_code == 400
    page = text(response)
    assert "Ngày không hợp lệ" in page and "Một cảnh báo" in page
    response = client.get("/en/warnings?category=nonsense")
    assert response.status_code == 400 and "was ignored" in text(response)


def test_pagination_keeps_filters_and_handles_bad_pages(client):
    for n in range(23):
        create(warning_data(title=f"Cảnh báo đồ chơi {n:02d}", category="toys", published_at=_when(-1 - n / 24)))
    create(warning_data(title="Cảnh báo thực phẩm", category="food"))

    first = text(client.get("/canh-bao?category=toys"))
    assert len(item_titles(first)) == 20 and "23 kết quả" in first
    assert 'href="/canh-bao?category=toys&amp;page=2"' in first
    second = client.get("/canh-bao?category=toys&page=2")
    assert second.status_code == 200 and len(item_titles(text(second))) == 3
    assert 'href="/canh-bao?category=toys" rel="prev"' in text(second)

    invalid = client.get("/canh-bao?page=abc")
    assert invalid.status_code == 400
    assert "Số trang không hợp lệ" in text(invalid) and len(item_titles(text(invalid))) == 20
    beyond = client.get("/canh-bao?page=9")
    assert beyond.status_code == 404
    assert "Không có trang 9" in text(beyond) and item_titles(text(beyond)) == []
    assert client.get("/en/warnings?page=-1").status_code == 400


def test_sanction_filters(client):
    create(sanction_data(subject={"name": "Cơ sở trực tuyến", "kind": "individual"}, online=True,
                         violation_kind="misleading-information",
                         decision={"number": "1/QĐ", "date": "2026-02-01", "authority": "Sở Công Thương Hải Phòng"}))
    create(sanction_data(subject={"name": "Cửa hàng tại chợ", "kind": "household-business"}, online=False,
                         violation_kind="counterfeit",
                         decision={"number": "2/QĐ", "date": "2025-12-01", "authority": "Đội Quản lý thị trường số 1"}))

    assert item_titles(text(client.get("/xu-ly-vi-pham?online=1"))) == ["Cơ sở trực tuyến"]
    assert item_titles(text(client.get("/xu-ly-vi-pham?online=0"))) == ["Cửa hàng tại chợ"]
    assert item_titles(text(client.get("/xu-ly-vi-pham?year=2025"))) == ["Cửa hàng tại chợ"]
    assert item_titles(text(client.get("/xu-ly-vi-pham?violation_kind=misleading-information"))) == ["Cơ sở trực tuyến"]
    by_authority = text(client.get("/en/enforcement?authority=Đội Quản lý thị trường số 1"))
    assert item_titles(by_authority) == ["Cửa hàng tại chợ"]
    assert "Issuing authority: <strong>Đội Quản lý thị trường số 1</strong>" in by_authority

    page = text(client.get("/xu-ly-vi-pham"))
    assert '<option value="2026">2026</option>' in page and '<option value="2025">2025</option>' in page
    assert '<option value="Đội Quản lý thị trường số 1">' in page
    assert client.get("/xu-ly-vi-pham?year=nam-ngoai").status_code == 400


def test_old_slug_redirects_permanently(client):
    warning = create(warning_data(slug="ten-moi"))
    db.session.add(OldSlug(item_type="warning", item_id=warning.id, slug="ten-cu"))
    db.session.commit()
    response = client.get("/canh-bao/ten-cu")
    assert response.status_code == 301 and response.headers["Location"].endswith("/canh-bao/ten-moi")
    response = client.get("/en/warnings/ten-cu")
    assert response.status_code == 301 and response.headers["Location"].endswith("/en/warnings/ten-moi")


NASTY = ["", "%", "'", "\"><script>alert(1)</script>", "\x00", "9" * 30, "-1", "1e5", "ü", "2026-13-45", "a,b,,"]
LIST_PARAMS = {
    "/canh-bao": ("category", "hazard", "risk_level", "source", "status", "date_from", "date_to", "page"),
    "/en/enforcement": ("year", "violation_kind", "online", "authority", "page"),
    "/huong-dan": ("kind", "tag", "lang", "page"),
}


def test_no_list_input_gives_a_server_error(client):
    create(warning_data())
    create(sanction_data())
    for path, params in LIST_PARAMS.items():
        for name in params:
            for value in NASTY:
                response = client.get(path, query_string={name: value})
                assert response.status_code in (200, 400, 404), (path, name, value, response.status_code)
                assert "<script>alert(1)" not in response.get_data(as_text=True), (path, name)


def test_url_builder_options_in_the_query_are_ignored(client):
    warning = create(warning_data())
    for path in ("/canh-bao", "/en/enforcement", "/huong-dan", "/", f"/canh-bao/{warning.slug}"):
        for name in ("_external", "_anchor", "_scheme", "_method"):
            response = client.get(path, query_string={name: "javascript"})
            assert response.status_code == 200, (path, name, response.status_code)
            assert "javascript" not in response.get_data(as_text=True), (path, name)


def test_filter_errors_are_summarised_above_the_results(client):
    page = text(client.get("/canh-bao?date_from=bad&risk_level=extreme"))
    summary = page[page.index("Một số bộ lọc không hợp lệ"):page.index('class="result-count"')]
    assert "Từ ngày:</strong> Ngày không hợp lệ" in summary
    assert "Mức độ rủi ro:</strong> Giá trị của bộ lọc này không hợp lệ" in summary
