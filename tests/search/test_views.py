"""The search page and GET /api/v1/search."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.search import service
from portal.search.query import SearchRequest, parse_query


def test_search_page_shows_highlighted_results_and_prefilled_box(client, corpus):
    response = client.get("/tim-kiem?q=sua+tre+em+nhiem+chi")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'value="sua tre em nhiem chi"' in html
    assert '<a href="/canh-bao/sua-bot-nhiem-chi" lang="vi"><mark>Sữa</mark> bột <mark>trẻ</mark>' in html
    assert "Cảnh báo sản phẩm (1)" in html


def test_english_search_page(client, corpus):
    response = client.get("/en/search?q=formula")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/en/warnings/lead-in-baby-formula"' in html
    assert 'lang="en"' in html


def test_type_facet_links_and_filter(client, corpus):
    html = client.get("/tim-kiem?q=s%E1%BB%AFa+b%E1%BB%99t").get_data(as_text=True)
    assert "type=sanction" in html and "Kết quả xử lý vi phạm (1)" in html
    only = client.get("/tim-kiem?q=s%E1%BB%AFa+b%E1%BB%99t&type=sanction").get_data(as_text=True)
    assert "/xu-ly-vi-pham/xu-phat-dai-phat" in only and "/canh-bao/sua-bot-nhiem-chi" not in only


def test_barcode_leads_straight_to_the_warning(client, corpus):
    response = client.get("/tim-kiem?q=8931111111116")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/canh-bao/do-choi-nam-cham")


def test_empty_and_no_result_states(client, corpus):
    empty = client.get("/tim-kiem")
    assert empty.status_code == 200 and "Nhập từ khóa" in empty.get_data(as_text=True)
    none = client.get("/tim-kiem?q=nam+chamm").get_data(as_text=True)
    assert "Không tìm thấy kết quả nào" in none
    assert "Có phải bạn muốn tìm:" in none and "q=nam+cham" in none


def test_hostile_queries_are_searched_as_words(client, corpus):
    for q in ('"(((', "AND OR", "*", "title:chì", "\\", '"', "NOT", "a" * 5000, "chì)"):
        response = client.get("/tim-kiem", query_string={"q": q})
        assert response.status_code == 200, q
    assert "<mark>chì</mark>" in client.get("/tim-kiem", query_string={"q": "(chì)"}).get_data(as_text=True)
    assert "Không tìm thấy" in client.get("/tim-kiem", query_string={"q": "title:chì"}).get_data(as_text=True)


def test_bad_parameters_explain_themselves(client, corpus):
    response = client.get("/tim-kiem?q=chi&type=bogus&page=abc")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Loại nội dung không hợp lệ" in html and "Số trang không hợp lệ" in html


def test_api_search(client, corpus):
    body = client.get("/api/v1/search?q=nhiem+chi").get_json()
    assert body["query"] == "nhiem chi" and body["total"] == 1 and body["page"] == 1
    result = body["results"][0]
    assert set(result) >= {"type", "id", "slug", "url", "title", "snippet", "published_at"}
    assert result["type"] == "warning" and result["slug"] == "sua-bot-nhiem-chi"
    assert result["url"].endswith("/canh-bao/sua-bot-nhiem-chi")
    assert result["published_at"].endswith("+07:00")
    sanctions = client.get("/api/v1/search?q=s%E1%BB%AFa+b%E1%BB%99t&type=sanction").get_json()
    assert [r["type"] for r in sanctions["results"]] == ["sanction"]


def test_api_errors_name_the_parameter(client, corpus):
    response = client.get("/api/v1/search?q=chi&type=nothing")
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "type"
    response = client.get("/api/v1/search?q=chi&page=0")
    assert response.status_code == 400 and response.get_json()["error"]["parameter"] == "page"


def test_api_never_lists_hidden_items(client, corpus):
    body = client.get("/api/v1/search?q=s%E1%BB%AFa+b%E1%BB%99t").get_json()
    slugs = {r["slug"] for r in body["results"]}
    assert "ban-nhap" not in slugs and "sap-cong-bo" not in slugs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_string_searches_without_error(corpus, text):
    parse_query(text)
    result = service.run_search(SearchRequest(q=text))
    assert result.total >= len(result.hits)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from('"()*:^~-+ANDORNOT chìđ0123/\\'), max_size=30))
def test_operator_soup_never_fails_on_the_page(client, corpus, text):
    assert client.get("/tim-kiem", query_string={"q": text}).status_code == 200


def test_bad_dates_are_explained_not_failed(client, corpus):
    for args in ("date_from=9999-99-99", "date_from=0001-01-01", "date_from=2026-05-01&date_to=2026-01-01"):
        response = client.get(f"/tim-kiem?q=chi&{args}")
        assert response.status_code == 400, args
        assert "Ngày không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/api/v1/search?q=chi&date_to=soon").status_code == 400
