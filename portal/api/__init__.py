"""Read-only JSON API under /api/v1/, its OpenAPI document and its documentation page.

``GET /api/v1/search`` is served by the search package; this package documents it and gives
it the same CORS headers as the rest of the API.
"""
from flask import Flask, Response, request


def allow_cross_origin(response: Response) -> Response:
    """Any origin may read the API (and the feeds and exports: open data)."""
    if request.path.startswith(("/api/", "/feeds/", "/en/feeds/")) or request.path.endswith((".csv", ".xlsx")):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def init_app(app: Flask) -> None:
    from ..extensions import csrf
    from .views import bp, docs

    app.register_blueprint(bp)
    # The documentation page in English (the Vietnamese one is /api/v1/; the path gives the language).
    app.add_url_rule("/en/api", "api_docs_en", docs)
    # Read-only and open to any origin: no forms, no cookies, nothing for CSRF to protect.
    csrf.exempt(bp)
    app.after_request(allow_cross_origin)
