"""``GET /favicon.ico``: the site's icon at the address browsers and feed readers ask for unprompted.

The file is ``static/img/favicon.ico`` (16, 32 and 48 px, drawn from ``favicon.svg``). It is sent
with its validators (ETag, Last-Modified; a conditional request is answered 304) and may be
kept for a week: its address cannot carry a version, and an old icon for a week harms no one.
"""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, send_from_directory

bp = Blueprint("icons", __name__)
MAX_AGE = 7 * 24 * 3600


@bp.route("/favicon.ico")
def favicon():
    folder = Path(current_app.static_folder) / "img"
    response = send_from_directory(folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=MAX_AGE)
    response.cache_control.public = True
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
