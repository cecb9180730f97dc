"""``GET /healthz``: whether this node can serve, for load balancers and monitoring.

JSON: the database (reachable or not), this node's search index (the last outbox row it
applied, how many rows and seconds it is behind) and the version. 200 when the database
answers, 503 when it does not (the load balancer then takes the node out). Never cached.
"""
from __future__ import annotations

import os
import time
from importlib import metadata

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError

from .content.models import SearchOutbox, utcnow
from .extensions import csrf, db

bp = Blueprint("health", __name__)
DISTRIBUTION = "haiphong-consumer-portal"


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown"


def _index() -> dict:
    from .search import nodes
    from .search.service import state

    store = state(current_app).store
    position = nodes.index_position(store)
    return {"node": nodes.node_id(current_app),
            "built": position is not None,
            "applied": position.last if position else None,
            "awaited_ids": len(position.gaps) if position else 0}


def _lag(applied: int | None) -> dict:
    """Rows after the index's position and the age of the oldest of them (database reads)."""
    behind = sa.select(sa.func.count(SearchOutbox.id), sa.func.min(SearchOutbox.created_at))
    if applied is not None:
        behind = behind.where(SearchOutbox.id > applied)
    rows, oldest = db.session.execute(behind).one()
    seconds = max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0
    return {"lag_rows": int(rows or 0), "lag_seconds": round(seconds, 3),
            "newest": db.session.execute(sa.select(sa.func.max(SearchOutbox.id))).scalar()}


@bp.route("/healthz")
def healthz():
    started = time.perf_counter()
    body: dict = {"status": "ok", "version": version()}
    try:
        index = _index()
    except Exception as exc:  # noqa: BLE001 - an unreadable index directory is reported, not raised
        index = {"error": type(exc).__name__}
    body["index"] = index
    try:
        db.session.execute(sa.text("SELECT 1"))
        body["database"] = {"reachable": True}
        index.update(_lag(index.get("applied")))
        db.session.rollback()
    except SQLAlchemyError as exc:
        db.session.rollback()
        body["status"] = "unavailable"
        body["database"] = {"reachable": False, "error": type(exc.orig or exc).__name__}
    body["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    response = jsonify(body)
    response.status_code = 200 if body["database"]["reachable"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def bare() -> str:
    """The cheapest Flask answer: the load benchmark's yardstick (PORTAL_BENCH_BARE=1 only)."""
    return "ok"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)
    if os.environ.get("PORTAL_BENCH_BARE") == "1":
        app.add_url_rule("/__bench/bare", "bench_bare", bare)
