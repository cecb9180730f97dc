"""GET /api/v1/check?code=: public warnings listing a barcode or batch number, as JSON."""
from __future__ import annotations

import pytest

from tests.factories import create, warning_data

CODE = "8934567000017"


@pytest.fixture
def coded(app):
    return {
        "vi": create(warning_data(slug="sua-bot-nhiem-chi", title="Sữa bột trẻ em nhiễm chì",
                                  product={"name": "Sữa bột", "barcodes": [CODE], "batches": ["LOT 2024-05"]})),
        "en": create(warning_data(slug="lead-in-formula", lang="en", title="Lead in baby formula",
                                  translation_of="sua-bot-nhiem-chi",
                                  product={"name": "Formula", "barcodes": [CODE], "batches": ["LOT 2024-05"]})),
        "draft": create(warning_data(slug="ban-nhap", title="Bản nháp", workflow="draft",
                                     product={"name": "Bản nháp", "barcodes": ["4006381333931"]})),
    }


def test_a_barcode_lists_every_public_version(client, coded):
    body = client.get(f"/api/v1/check?code={CODE}").get_json()
    assert body["kind"] == "barcode" and body["check_digit"] == {"valid": True, "expected": "7"}
    assert body["total"] == 2 and {item["slug"] for item in body["items"]} == {"sua-bot-nhiem-chi", "lead-in-formula"}
    assert body["items"][0]["product"]["barcodes"] == [CODE]
    assert body["message"] == "2 public warnings list this code."


def test_lang_keeps_one_language(client, coded):
    body = client.get(f"/api/v1/check?code={CODE}&lang=en").get_json()
    assert [item["slug"] for item in body["items"]] == ["lead-in-formula"]
    assert body["report"]["how_to_complain"].endswith("/en/about#khieu-nai")


def test_batch_number_is_free_text(client, coded):
    body = client.get("/api/v1/check", query_string={"code": "lot 2024 05"}).get_json()
    assert body["kind"] == "text" and body["check_digit"] is None and body["total"] == 2


def test_no_match_gives_the_date_and_how_to_report(client, coded):
    response = client.get("/api/v1/check?code=4006381333931")  # only a draft lists it
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 0 and body["items"] == []
    assert body["message"].startswith("No warning is recorded for this code as of 20")
    assert body["report"]["hotline"] == "1800 6838"
    assert body["report"]["how_to_complain"].endswith("/gioi-thieu#khieu-nai")


def test_wrong_check_digit_is_reported_and_the_code_still_looked_up(client, coded):
    coded_wrong = create(warning_data(slug="ma-sai", title="Mã in sai",
                                      product={"name": "Mã sai", "barcodes": [], "codes": ["8934567000012"]}))
    body = client.get("/api/v1/check?code=8934567000012").get_json()
    assert body["check_digit"] == {"valid": False, "expected": "7"}
    assert body["message"].startswith("The check digit of this barcode is wrong: after these digits it should be 7.")
    assert [item["slug"] for item in body["items"]] == [coded_wrong.slug]


@pytest.mark.parametrize("query", ["", "?code=", "?code=%20%20", "?code=" + "9" * 65, "?code=---", "?code=12%00",
                                   "?code=abc&lang=fr", "?code=" + "%F0%9F%92%8A" * 500])
def test_bad_input_is_a_400_naming_the_parameter(client, coded, query):
    response = client.get("/api/v1/check" + query)
    assert response.status_code == 400, query
    error = response.get_json()["error"]
    assert error["parameter"] in ("code", "lang") and error["message"]


def test_unicode_codes_are_looked_up_as_text(client, coded):
    for code in ("Lô số 5", "' OR 1=1 --", "<b>x</b>", "Ⅻ-٣"):
        response = client.get("/api/v1/check", query_string={"code": code})
        assert response.status_code == 200 and response.get_json()["total"] == 0, code
    assert client.get("/api/v1/check", query_string={"code": "💊"}).status_code == 400  # no letter or digit


def test_documented_in_openapi_and_on_the_docs_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/check"]["get"]["parameters"][0]["name"] == "code"
    assert "CheckResult" in spec["components"]["schemas"]
    assert "GET /check" in client.get("/api/v1/").get_data(as_text=True)
