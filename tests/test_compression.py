"""Brotli and gzip answers for HTML, feeds and JSON; validators, 304s and Vary stay right."""
from __future__ import annotations

import gzip
import io
import json

import brotli
import pytest
from openpyxl import load_workbook

from portal.lru import BoundedLRU
from tests.factories import create, warning_data

DECODERS = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.fixture
def warnings(app):
    return [create(warning_data(title=f"Nồi cơm điện có nguy cơ rò điện, mẫu {n}")) for n in range(3)]


def vary(response) -> list[str]:
    return [part.strip().lower() for part in response.headers.get("Vary", "").split(",")]


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/", "/canh-bao", "/en/warnings", "/feeds/warnings.atom", "/en/feeds/all.rss",
                                 "/api/v1/warnings", "/tim-kiem?q=noi+com"])
def test_text_answers_are_compressed_as_asked(client, warnings, url, encoding):
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": encoding})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 2
    assert DECODERS[encoding](packed.data) == plain.data
    assert "accept-encoding" in vary(plain) and "accept-encoding" in vary(packed)


def test_the_client_preference_decides(client, warnings):
    assert client.get("/", headers={"Accept-Encoding": "gzip, deflate, br, zstd"}).headers["Content-Encoding"] == "br"
    assert client.get("/", headers={"Accept-Encoding": "br;q=0.5, gzip"}).headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in client.get("/", headers={"Accept-Encoding": "identity"}).headers
    assert "Content-Encoding" not in client.get("/", headers={"Accept-Encoding": "compress"}).headers


def test_a_conditional_request_for_a_compressed_page_is_still_answered_304(client, warnings):
    first = client.get("/canh-bao", headers={"Accept-Encoding": "br"})
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')  # weak: the same validator for every encoding of the page
    again = client.get("/canh-bao", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert "accept-encoding" in vary(again)
    assert client.get("/canh-bao", headers={"If-None-Match": etag}).status_code == 304
    feed = client.get("/feeds/warnings.atom", headers={"Accept-Encoding": "gzip"})
    assert client.get("/feeds/warnings.atom", headers={"Accept-Encoding": "gzip",
                                                        "If-None-Match": feed.headers["ETag"]}).status_code == 304


def test_a_search_page_revalidates_compressed(client, warnings):
    from portal.search import service

    service.apply_pending()
    first = client.get("/tim-kiem?q=noi+com", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    again = client.get("/tim-kiem?q=noi+com", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_a_page_from_the_page_cache_is_compressed_too(client, warnings):
    client.get("/canh-bao")
    hit = client.get("/canh-bao", headers={"Accept-Encoding": "br"})
    assert hit.headers.get("X-Page-Cache") == "hit"
    assert hit.headers["Content-Encoding"] == "br"
    assert b"N\xe1\xbb\x93i c\xc6\xa1m \xc4\x91i\xe1\xbb\x87n" in brotli.decompress(hit.data)  # "Nồi cơm điện"
    # ...and a page first rendered for a compressing client is kept uncompressed for the next one.
    client.get("/en/warnings", headers={"Accept-Encoding": "gzip"})
    plain = client.get("/en/warnings")
    assert plain.headers.get("X-Page-Cache") == "hit" and "Content-Encoding" not in plain.headers
    assert plain.data.startswith(b"<!doctype html>")


def test_static_text_files_are_compressed_with_their_own_validator(client):
    css = client.get("/static/css/portal.css", headers={"Accept-Encoding": "br"})
    assert css.status_code == 200 and css.headers["Content-Encoding"] == "br"
    assert brotli.decompress(css.data).startswith(b"/* ")
    etag = css.headers["ETag"]
    assert etag.endswith(':br"')  # a strong validator names its encoding
    assert client.get("/static/css/portal.css", headers={"Accept-Encoding": "br", "If-None-Match": etag}).status_code == 304
    css.close()


def test_what_is_not_compressed(app, client, warnings):
    asked = {"Accept-Encoding": "gzip, br"}
    png = client.get("/static/img/og-default.png", headers=asked)
    assert png.status_code == 200 and "Content-Encoding" not in png.headers
    png.close()
    icon = client.get("/favicon.ico", headers=asked)
    assert "Content-Encoding" not in icon.headers
    icon.close()
    xlsx = client.get("/canh-bao/export.xlsx", headers=asked)
    assert xlsx.status_code == 200 and "Content-Encoding" not in xlsx.headers
    assert load_workbook(io.BytesIO(xlsx.data)).active.max_row == 4  # the header and three warnings
    csv = client.get("/canh-bao/export.csv", headers=asked)  # streamed: sent as it is written
    assert csv.status_code == 200 and "Content-Encoding" not in csv.headers
    robots = client.get("/robots.txt", headers=asked)  # a tiny body
    assert len(robots.data) < app.config["COMPRESS_MIN_SIZE"] and "Content-Encoding" not in robots.headers
    login = client.get("/admin/login", headers=asked)  # private: carries a CSRF token (BREACH)
    assert "private" in login.headers["Cache-Control"] and "Content-Encoding" not in login.headers
    health = client.get("/api/v1/warnings?page=abc", headers=asked)  # an error answer
    assert health.status_code == 400 and "Content-Encoding" not in health.headers
    assert "error" in json.loads(health.data)


def test_encoded_bodies_are_kept_within_their_budget():
    bodies = BoundedLRU(10, weight=len)  # bytes, as the compression hook keeps them
    bodies.set("a", b"12345")
    bodies.set("b", b"12345")
    assert bodies.get("a") == b"12345"  # now the most recently used
    bodies.set("c", b"123")
    assert bodies.get("b") is None and bodies.get("a") == b"12345" and bodies.get("c") == b"123"
    bodies.set("huge", b"x" * 11)
    assert bodies.get("huge") is None and len(bodies) == 2


def test_a_page_is_compressed_once_and_then_served_from_the_kept_bodies(app, client, warnings, monkeypatch):
    import flask_compress.flask_compress as fc

    calls = []
    real = fc._compress_data
    monkeypatch.setattr(fc, "_compress_data", lambda *args: calls.append(args[2]) or real(*args))
    first = client.get("/canh-bao", headers={"Accept-Encoding": "br"})
    second = client.get("/canh-bao", headers={"Accept-Encoding": "br"})
    assert first.data == second.data
    assert calls == ["br"]
    client.get("/canh-bao", headers={"Accept-Encoding": "gzip"})
    assert calls == ["br", "gzip"]
