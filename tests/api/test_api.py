"""The JSON API: shapes, filters, paging, visibility, errors and CORS."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.factories import _when, article_data, create, sanction_data, warning_data


def test_warning_list_and_item_use_stable_english_fields(client, app):
    item = create(warning_data(category="food", hazards=["microbiological"], risk_level="high",
                               measures=[{"type": "recall", "kind": "compulsory", "by": "Chi cục QLTT"}],
                               images=[{"src": "img/sua.jpg", "alt": "Hộp sữa"}]))
    body = client.get("/api/v1/warnings").get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    assert body["links"] == {"self": "http://localhost/api/v1/warnings?page=1", "next": None, "prev": None}
    listed = body["items"][0]
    single = client.get(f"/api/v1/warnings/{item.id}").get_json()
    assert listed == single
    assert single["id"] == item.id and single["type"] == "warning" and single["status"] == "active"
    assert single["url"] == f"http://localhost/canh-bao/{item.slug}"
    assert single["category"] == {"code": "food", "label_vi": "Thực phẩm", "label_en": "Food"}
    assert single["risk_level"]["label_en"] == "High"
    assert single["measures"][0]["type"]["code"] == "recall" and single["measures"][0]["kind"]["code"] == "compulsory"
    assert single["product"]["barcodes"] == ["8931234567890"]
    assert single["images"] == [{"src": "http://localhost/static/img/sua.jpg", "alt": "Hộp sữa"}]
    assert single["source"]["code"] == "eu-safety-gate"
    for field in ("published_at", "updated_at"):
        assert datetime.fromisoformat(single[field]).utcoffset() is not None


def test_sanction_representation(client, app):
    item = create(sanction_data(fine_vnd=7500000, online=True))
    body = client.get(f"/api/v1/sanctions/{item.id}").get_json()
    assert body["subject"]["kind"]["code"] == "enterprise" and body["fine_vnd"] == 7500000
    assert body["decision"] == {"number": item.decision_number, "date": "2026-11-01",
                                "authority": "Sở Công Thương Hải Phòng"}
    assert body["online"] is True and body["demo"] is True
    assert datetime.fromisoformat(body["published_until"]).utcoffset().total_seconds() == 7 * 3600


def test_filters_paging_and_links(client, app):
    for _ in range(5):
        create(warning_data(category="toys"))
    create(warning_data(category="food", hazards=["microbiological"]))
    body = client.get("/api/v1/warnings?category=toys&per_page=2&page=2").get_json()
    assert body["total"] == 5 and body["pages"] == 3 and len(body["items"]) == 2
    assert all(item["category"]["code"] == "toys" for item in body["items"])
    assert "page=3" in body["links"]["next"] and "page=1" in body["links"]["prev"]
    assert "category=toys" in body["links"]["next"]
    assert client.get("/api/v1/warnings?category=food,toys").get_json()["total"] == 6


def test_updated_since(client, app):
    create(warning_data())
    since = _when(0.01)
    assert client.get("/api/v1/warnings", query_string={"updated_since": since}).get_json()["total"] == 0
    assert client.get("/api/v1/warnings", query_string={"updated_since": _when(-0.01)}).get_json()["total"] == 1


def test_articles_filter_by_language_and_kind(client, app):
    original = create(article_data(kind="news"))
    create(article_data(lang="en", slug="english-news", title="News", kind="news", translation_of=original.slug))
    create(article_data())
    assert client.get("/api/v1/articles?kind=news").get_json()["total"] == 2
    english = client.get("/api/v1/articles?lang=en").get_json()["items"]
    assert [a["slug"] for a in english] == ["english-news"]
    assert english[0]["translations"] == {"vi": f"http://localhost/huong-dan/{original.slug}",
                                          "en": "http://localhost/en/guides/english-news"}


@pytest.mark.parametrize("make", [
    lambda: create(warning_data(published_at=_when(2))),
    lambda: create(warning_data(workflow="draft")),
    lambda: create(sanction_data(published_at=_when(-60), published_until=_when(-30))),
])
def test_items_not_public_are_404_json(client, app, make):
    item = make()
    kind = {"warning": "warnings", "sanction": "sanctions"}[item.item_type]
    response = client.get(f"/api/v1/{kind}/{item.id}")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    assert item.id not in [i["id"] for i in client.get(f"/api/v1/{kind}").get_json()["items"]]


@pytest.mark.parametrize("query, parameter", [
    ("per_page=101", "per_page"), ("page=0", "page"), ("category=nope", "category"),
    ("updated_since=yesterday", "updated_since"), ("date_from=0001-01-01", "date_from"),
    ("date_to=9999-12-31", "date_to"), ("lang=fr", "lang"),
])
def test_bad_parameters_are_400_naming_the_parameter(client, app, query, parameter):
    response = client.get(f"/api/v1/warnings?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == parameter


def test_unknown_parameters_are_ignored(client, app):
    create(warning_data())
    assert client.get("/api/v1/warnings?utm_source=zalo").get_json()["total"] == 1


def test_unknown_paths_and_methods_answer_json(client, app):
    assert client.get("/api/v1/nothing").status_code == 404
    assert client.get("/api/v1/warnings/99999999999999999999999").get_json()["error"]["status"] == 404
    response = client.post("/api/v1/warnings")
    assert response.status_code == 405 and response.is_json


def test_cors_is_open_for_get(client, app):
    for url in ("/api/v1/warnings", "/api/v1/search?q=sua", "/feeds/all.atom", "/api/v1/openapi.json"):
        assert client.get(url).headers["Access-Control-Allow-Origin"] == "*", url
    preflight = client.options("/api/v1/warnings", headers={"Origin": "https://example.org",
                                                             "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_openapi_document_and_docs_page(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["servers"] == [{"url": "http://localhost/api/v1"}]
    assert {"/warnings", "/warnings/{id}", "/articles", "/sanctions", "/search"} <= set(spec["paths"])
    assert {"Warning", "Sanction", "Article", "Error"} <= set(spec["components"]["schemas"])
    html = client.get("/api/v1/").get_data(as_text=True)
    assert "API dữ liệu mở" in html and "/api/v1/openapi.json" in html and "updated_since" in html


def test_taxonomies(client, app):
    body = client.get("/api/v1/taxonomies").get_json()
    assert {"code": "toys", "label_vi": "Đồ chơi", "label_en": "Toys"} in body["category"]
    assert client.get("/api/v1/taxonomies/risk_level").get_json()[0]["code"] == "serious"
    assert client.get("/api/v1/taxonomies/nope").status_code == 404
