"""Security headers on every response, and the client address behind trusted proxies.

Every response (public pages, admin, API, feeds, errors, static files) carries a
Content-Security-Policy without inline scripts or styles, ``nosniff``, a Referrer-Policy, a
Permissions-Policy (the camera stays available to the portal's own pages for barcode
scanning) and, in production, HSTS. ``PORTAL_TRUSTED_PROXIES`` (a count) makes werkzeug's
ProxyFix read the client address from that many ``X-Forwarded-For`` hops; without it the
address is the connecting one and ``X-Forwarded-For`` is ignored.
"""
from __future__ import annotations

import os

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
PERMISSIONS_POLICY = ", ".join((
    "camera=(self)", "microphone=()", "geolocation=()", "payment=()", "usb=()", "interest-cohort=()",
))
HSTS = "max-age=31536000; includeSubDomains"


def add_security_headers(response: Response, production: bool) -> Response:
    """Set the security headers on ``response`` (kept when a view already chose stricter ones)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers["Permissions-Policy"] = PERMISSIONS_POLICY
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if production:
        headers["Strict-Transport-Security"] = HSTS
    return response


def private_files() -> None:
    """Create files readable by the owner only from now on: the database, secret key, media, index.

    The process's umask is set to 077 (the portal's files hold drafts, accounts and personal
    data; nothing else on the machine needs to read them).
    """
    os.umask(0o077)


def init_app(app: Flask) -> None:
    """Install the header hook and, when configured, ProxyFix."""
    proxies = int(app.config.get("PORTAL_TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=0, x_port=0, x_prefix=0)

    @app.after_request
    def security_headers(response: Response) -> Response:
        return add_security_headers(response, bool(app.config.get("PORTAL_PRODUCTION")))
