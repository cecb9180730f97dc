"""Compressed answers: brotli or gzip for text (HTML, feeds, JSON, CSS, JavaScript, SVG).

flask-compress encodes; this module decides what may be encoded, and keeps encoded bodies.

- Only a whole 200 answer to GET or HEAD whose client asked for br or gzip (``Accept-Encoding``),
  of a text type, of at least ``COMPRESS_MIN_SIZE`` bytes. Never a 304 or a 206 range, never a
  streamed export or sitemap, never XLSX, images or anything already encoded.
- Never an answer marked ``private``/``no-store`` or setting a cookie: those are the pages that
  carry a CSRF token or a session's data, which compression must not expose (BREACH).
- Validators: a public page's ETag is weak and names its content generation; a weak ETag stands
  for every encoding of the same content, so it is kept and a conditional request is still
  answered 304 before the view runs. A strong ETag (static files) gets the encoding appended
  (by flask-compress), and a conditional request is compared with that.
- Every answer that is or could be encoded says ``Vary: Accept-Encoding`` (304s too), so a
  shared cache keeps the encodings apart.

Registered before the feature packages so its after-request hook runs last, on the finished
answer: the page cache (portal/pagecache.py) keeps bodies uncompressed, and encoded bodies are
kept here in a small LRU keyed by the body's digest and the encoding, so a page answered from
the page cache is not compressed again for every request.
"""
from __future__ import annotations

import hashlib

from flask import Flask, Response, g, request
from flask_compress import Compress

from .lru import BoundedLRU

TEXT_TYPES = (
    "text/html", "text/css", "text/plain", "text/xml", "text/javascript", "application/javascript",
    "application/json", "application/problem+json", "application/ld+json", "application/manifest+json",
    "application/xml", "application/atom+xml", "application/rss+xml", "image/svg+xml",
)
STATIC_MAX = 1024 * 1024  # static files read into memory to be compressed, at most


def _body_key(_request) -> str:
    return g.compress_body_digest


def _may_encode(response: Response) -> bool:
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if response.mimetype not in TEXT_TYPES:
        return False
    headers = response.headers
    cache_control = headers.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-transform")):
        return False
    return not ("Set-Cookie" in headers or "Content-Encoding" in headers or "Content-Range" in headers)


def _vary(response: Response) -> None:
    vary = response.headers.get("Vary")
    if not vary:
        response.headers["Vary"] = "Accept-Encoding"
    elif "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding"


def init_app(app: Flask) -> None:
    """Install the hook; call it before the feature packages register theirs."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config.setdefault("COMPRESSED_BODIES_BYTES", 16 * 1024 * 1024)
    app.config.update(COMPRESS_REGISTER=False, COMPRESS_STREAMS=False, COMPRESS_MIMETYPES=list(TEXT_TYPES),
                      COMPRESS_CACHE_KEY=_body_key)
    max_bytes = int(app.config["COMPRESSED_BODIES_BYTES"])
    bodies = BoundedLRU(max_bytes, weight=len)  # encoded bodies, bounded by their total size
    app.config["COMPRESS_CACHE_BACKEND"] = (lambda: bodies) if max_bytes > 0 else None
    if max_bytes <= 0:
        app.config["COMPRESS_CACHE_KEY"] = None
    compress = Compress()
    compress.init_app(app)
    app.extensions["portal.compression"] = bodies

    @app.after_request
    def encode(response: Response) -> Response:
        if response.status_code == 304 or response.mimetype in TEXT_TYPES:
            _vary(response)
        if not _may_encode(response):
            return response
        if response.direct_passthrough and request.endpoint == "static":
            length = response.content_length
            if length is None or length > STATIC_MAX:
                return response
            file = response.response  # a small file: read it whole, so it can be encoded
            response.direct_passthrough = False
            response.set_data(b"".join(response.iter_encoded()))
            if hasattr(file, "close"):
                file.close()
        if response.is_streamed:
            return response
        if compress.cache is not None:
            g.compress_body_digest = hashlib.sha1(response.get_data()).hexdigest()
        return compress.after_request(response)
