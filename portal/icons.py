"""``GET /favicon.ico``: the site's icon at the address browsers and feed readers ask for unprompted.

The file is ``static/img/favicon.ico`` (16, 32 and 48 px, drawn from ``favicon.svg``), read once
and answered from memory. It carries validators (an ETag from its bytes, Last-Modified; a
conditional request is answered 304) and may be kept for a week: its address cannot carry a
version, and an old icon for a week harms no one.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request

bp = Blueprint("icons", __name__)
MAX_AGE = 7 * 24 * 3600


@lru_cache(maxsize=4)
def _icon(path: str) -> tuple[bytes, str, datetime]:
    file = Path(path)
    body = file.read_bytes()
    modified = datetime.fromtimestamp(int(file.stat().st_mtime), timezone.utc)
    return body, hashlib.sha1(body).hexdigest(), modified


@bp.route("/favicon.ico")
def favicon():
    body, etag, modified = _icon(str(Path(current_app.static_folder) / "img" / "favicon.ico"))
    response = Response(body, mimetype="image/vnd.microsoft.icon")
    response.set_etag(etag)
    response.last_modified = modified
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
