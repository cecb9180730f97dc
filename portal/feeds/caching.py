"""HTTP caching for public pages, feeds, exports, sitemap and API.

Every public GET answer carries an ETag of its body and a Last-Modified taken from the
content *generation*: the latest moment anything public could have changed — an item saved,
a scheduled item going live, an enforcement result's window opening or closing. A request
with a matching If-None-Match / If-Modified-Since gets 304. The max-age is short because a
warning must reach readers within a minute; a CDN revalidates cheaply with the validators.
Admin pages and anything tied to a session (a logged-in editor, a flashed message, a form
token) are ``private, no-store``.
"""
from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Flask, Response, request, session

from ..content.models import Article, SearchOutbox, Sanction, Warning, utcnow
from ..extensions import db

PUBLIC_BLUEPRINTS = {"public", "search", "feeds", "api"}
PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300, stale-if-error=86400"
PRIVATE_CACHE = "private, no-store"
EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)


def content_generation(now: datetime | None = None) -> datetime:
    """The latest moment at or before ``now`` when public content changed or a boundary passed."""
    now = now or utcnow()
    moments = [sa.select(sa.func.max(SearchOutbox.created_at)).where(SearchOutbox.created_at <= now)]
    for model in (Article, Warning, Sanction):
        moments.append(sa.select(sa.func.max(model.updated_at)).where(model.updated_at <= now))
        moments.append(sa.select(sa.func.max(model.published_at)).where(model.published_at <= now))
    for boundary in (Sanction.published_from, Sanction.published_until):
        moments.append(sa.select(sa.func.max(boundary)).where(boundary <= now))
    row = db.session.execute(sa.select(*(moment.scalar_subquery() for moment in moments))).one()
    return max((moment for moment in row if moment is not None), default=EPOCH)


def _is_private() -> bool:
    if request.blueprint == "admin" or request.path.startswith("/admin"):
        return True
    return bool(session.modified or "_user_id" in session or "_flashes" in session)


def apply_caching(response: Response) -> Response:
    """after_request: validators, Cache-Control and 304 answers for public GET/HEAD requests."""
    if request.method not in ("GET", "HEAD"):
        return response
    if _is_private():
        response.headers["Cache-Control"] = PRIVATE_CACHE
        return response
    if request.blueprint not in PUBLIC_BLUEPRINTS or response.status_code != 200:
        return response
    if response.direct_passthrough or response.is_streamed:
        return response
    response.headers.setdefault("Cache-Control", PUBLIC_CACHE)
    response.last_modified = content_generation().replace(microsecond=0)
    if "ETag" not in response.headers:  # a view may tag its content itself (XLSX bytes carry the time)
        response.add_etag(weak=True)
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.after_request(apply_caching)
