"""Security headers on every kind of response, HSTS in production, ProxyFix only when configured."""
from __future__ import annotations

import pytest

from portal import create_app
from portal.security import CONTENT_SECURITY_POLICY
from tests.admin.helpers import logged_in

PATHS = ["/", "/en/", "/canh-bao", "/tim-kiem?q=a", "/api/v1/warnings", "/api/v1/khong-co", "/feeds/warnings.atom",
         "/canh-bao/export.csv", "/sitemap.xml", "/robots.txt", "/khong-co-trang-nay", "/static/css/portal.css",
         "/admin/login", "/admin/"]


def assert_headers(response, path):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY, path
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "form-action 'self'", "script-src 'self'"):
        assert directive in csp
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin"), path
    assert "camera=(self)" in headers["Permissions-Policy"] and "geolocation=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    response.close()
    assert_headers(response, path)
    assert "Strict-Transport-Security" not in response.headers


def test_logged_in_admin_pages_and_errors_carry_the_headers(app):
    client, _user = logged_in(app, "admin")
    for path in ("/admin/", "/admin/users/", "/admin/audit", "/admin/warnings/999999"):
        response = client.get(path)
        assert_headers(response, path)
        assert "no-store" in response.headers["Cache-Control"]
        assert response.headers["X-Frame-Options"] == "DENY"


def test_a_server_error_carries_the_headers(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("test")

    response = app.test_client().get("/boom-for-test")
    assert response.status_code == 500
    assert_headers(response, "/boom-for-test")


def test_hsts_only_in_production(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_PRODUCTION", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    response = app.test_client().get("/static/css/portal.css")
    response.close()
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_client_address_ignores_forwarded_for_without_trusted_proxies(app):
    assert app.config["PORTAL_TRUSTED_PROXIES"] == 0
    with app.test_request_context("/", headers={"X-Forwarded-For": "203.0.113.7"},
                                  environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        from flask import request
        assert request.remote_addr == "10.0.0.1"


def test_trusted_proxy_count_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    seen = {}

    @app.get("/whoami-for-test")
    def whoami():
        from flask import request
        seen["addr"] = request.remote_addr
        return "ok"

    app.test_client().get("/whoami-for-test", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
                          environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert seen["addr"] == "203.0.113.7"  # one trusted hop: the last address the proxy added
    monkeypatch.setenv("PORTAL_TRUSTED_PROXIES", "many")
    with pytest.raises(ValueError, match="PORTAL_TRUSTED_PROXIES"):
        create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
