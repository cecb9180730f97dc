"""Localised, helpful error pages; the 500 page renders without the database."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True)


def test_not_found_is_localised_and_helpful(client):
    response = client.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = text(response)
    assert '<html lang="vi">' in page and "Không tìm thấy trang" in page
    assert 'action="/tim-kiem"' in page and 'href="/"' in page
    english = client.get("/en/no-such-page")
    assert english.status_code == 404
    assert '<html lang="en">' in text(english) and "Page not found" in text(english)
    assert 'action="/en/search"' in text(english)


def test_unknown_item_is_404(client):
    assert client.get("/canh-bao/khong-ton-tai").status_code == 404
    assert client.get("/en/guides/missing").status_code == 404
    assert client.get("/xu-ly-vi-pham/khong-ton-tai").status_code == 404


@pytest.fixture
def failing_app(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/test-loi", "test_loi", explode)
    app.add_url_rule("/en/test-error", "test_error_en", explode)
    return app


def test_server_error_page_is_localised_and_needs_no_database(failing_app):
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2] if len(args) > 2 else "")

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        client = failing_app.test_client()
        response = client.get("/test-loi")
        english = client.get("/en/test-error")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 500 and english.status_code == 500
    assert "Đã có lỗi xảy ra" in text(response) and "1800 6838" in text(response)
    assert "Something went wrong" in text(english)
    assert statements == []
