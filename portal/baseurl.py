"""``PORTAL_BASE_URL``: every absolute URL is built from it, whatever the request's Host says.

Flask builds absolute URLs (sitemap, robots.txt, feeds, OpenGraph, JSON-LD, API links) from
the request's host and scheme. Behind a proxy those come from headers a client can forge, so
when the base URL is set this middleware replaces them in the WSGI environment before the
app sees the request: ``Host``, scheme, port and path prefix are the base URL's, and the
``X-Forwarded-Host/-Proto/-Port/-Prefix`` headers are dropped (so ProxyFix, wherever it sits,
cannot bring a forged host back; ``X-Forwarded-For`` is left to it). The client's own Host is
kept in ``environ["portal.client_host"]`` for logs.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask

FORWARDED = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT",
             "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")


class BaseURLError(ValueError):
    pass


def parse_base_url(value: str) -> tuple[str, str, str]:
    """(scheme, host[:port], path prefix) of a base URL such as ``https://tieudung.haiphong.gov.vn``."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseURLError(f"PORTAL_BASE_URL must look like https://host[:port][/prefix], not {value!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise BaseURLError(f"PORTAL_BASE_URL takes no query, fragment or credentials: {value!r}")
    try:
        parts.port
    except ValueError:
        raise BaseURLError(f"PORTAL_BASE_URL has a bad port: {value!r}") from None
    return parts.scheme, parts.netloc.lower(), parts.path.rstrip("/")


class BaseURLMiddleware:
    """WSGI middleware: the request's host, scheme and prefix are the base URL's."""

    def __init__(self, wsgi_app, base_url: str):
        self.wsgi_app = wsgi_app
        self.scheme, self.host, self.prefix = parse_base_url(base_url)
        parts = urlsplit(base_url.strip())
        self.server_name = parts.hostname
        self.server_port = str(parts.port or (443 if self.scheme == "https" else 80))

    def __call__(self, environ, start_response):
        environ["portal.client_host"] = environ.get("HTTP_HOST", "")
        for name in FORWARDED:
            environ.pop(name, None)
        environ["HTTP_HOST"] = self.host
        environ["SERVER_NAME"] = self.server_name
        environ["SERVER_PORT"] = self.server_port
        environ["wsgi.url_scheme"] = self.scheme
        if self.prefix:
            path = environ.get("PATH_INFO", "")
            if path == self.prefix or path.startswith(self.prefix + "/"):
                environ["PATH_INFO"] = path[len(self.prefix):] or "/"
            environ["SCRIPT_NAME"] = self.prefix
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Wrap the app when PORTAL_BASE_URL is set; URLs built outside a request use it too."""
    base_url = (app.config.get("PORTAL_BASE_URL") or "").strip()
    if not base_url:
        return
    scheme, host, prefix = parse_base_url(base_url)
    app.config.update(SERVER_NAME=host, PREFERRED_URL_SCHEME=scheme, APPLICATION_ROOT=prefix or "/")
    app.wsgi_app = BaseURLMiddleware(app.wsgi_app, base_url)
