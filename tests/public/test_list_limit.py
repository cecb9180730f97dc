"""Lists count and page through at most `queries.LIST_LIMIT` matches, and say so."""
from __future__ import annotations

import pytest

from portal.content import queries
from tests.factories import create, warning_data


@pytest.fixture
def limited(app, monkeypatch):
    monkeypatch.setattr(queries, "LIST_LIMIT", 3)
    for _ in range(5):
        create(warning_data())


def test_a_list_past_the_limit_says_more_than_and_offers_filters(client, limited):
    page = client.get("/canh-bao").get_data(as_text=True)
    assert "Hơn 3 kết quả" in page and "Hãy dùng bộ lọc" in page
    english = client.get("/en/warnings").get_data(as_text=True)
    assert "More than 3 results" in english and "Use the filters" in english


def test_a_page_past_the_limit_is_a_helpful_404(client, limited, monkeypatch):
    monkeypatch.setattr("portal.public.pages.PER_PAGE", 2)
    assert client.get("/canh-bao?page=2").status_code == 200
    response = client.get("/canh-bao?page=3")
    assert response.status_code == 404 and "Về trang đầu" in response.get_data(as_text=True)


def test_a_list_within_the_limit_counts_exactly(client, app, monkeypatch):
    monkeypatch.setattr(queries, "LIST_LIMIT", 3)
    for _ in range(3):
        create(warning_data())
    page = client.get("/canh-bao").get_data(as_text=True)
    assert "3 kết quả" in page and "Hơn 3" not in page
    assert client.get("/api/v1/warnings").get_json()["total_exact"] is True


def test_the_api_says_when_the_total_is_cut_and_refuses_pages_past_it(client, limited):
    body = client.get("/api/v1/warnings?per_page=2").get_json()
    assert body["total"] == 3 and body["total_exact"] is False and body["pages"] == 2
    assert len(client.get("/api/v1/warnings?per_page=2&page=2").get_json()["items"]) == 1
    refused = client.get("/api/v1/warnings?per_page=2&page=3")
    assert refused.status_code == 400 and refused.get_json()["error"]["parameter"] == "page"
