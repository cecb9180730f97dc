"""Hải Phòng consumer-protection portal."""
from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from flask import Flask
from jinja2 import BytecodeCache

from . import boundary, compression, config, security
from .extensions import babel, csrf, db, login_manager, migrate

# Feature packages, each with an init_app(app) that registers its blueprints, CLI and hooks.
FEATURES = ("portal.content", "portal.importers", "portal.public", "portal.search", "portal.feeds",
            "portal.api", "portal.admin", "portal.backup", "portal.mail", "portal.complaints",
            "portal.alerts")


class _SharedBytecodeCache(BytecodeCache):
    """Compiled templates shared by every app of the process (keyed by the source's checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = _SharedBytecodeCache()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application. ``test_config`` overrides the environment-derived config."""
    security.private_files()
    instance = Path(
        (test_config or {}).get("INSTANCE_PATH")
        or os.environ.get("PORTAL_INSTANCE")
        or Path(__file__).resolve().parent.parent / "instance"
    ).resolve()
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    app = Flask(
        __name__,
        instance_path=str(instance),
        static_folder=str(Path(__file__).resolve().parent.parent / "static"),
    )
    app.jinja_options = {**app.jinja_options, "bytecode_cache": TEMPLATE_CACHE}
    app.config.from_mapping(config.from_environment(instance))
    if test_config:
        app.config.update(test_config)
    if app.config.get("TESTING") and "PORTAL_GENERATION_TTL" not in (test_config or {}) \
            and "PORTAL_GENERATION_TTL" not in os.environ:
        app.config["PORTAL_GENERATION_TTL"] = 0  # tests publish and look at once
    # postgresql:// as PostgreSQL's tools write it -> SQLAlchemy's psycopg 3 URL, and its pool.
    app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if "SQLALCHEMY_ENGINE_OPTIONS" not in (test_config or {}):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["PORTAL_PRODUCTION"]:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")

    boundary.init_app(app)  # first of the before_request hooks: control characters stop here
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"),
                     render_as_batch=True)
    from .i18n import select_locale

    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")
    csrf.init_app(app)
    login_manager.init_app(app)
    compression.init_app(app)  # before the features: its after-request hook runs last, on the finished answer

    for name in FEATURES:
        import_module(name).init_app(app)
    from . import baseurl, health, icons, pagecache

    health.init_app(app)
    icons.init_app(app)
    pagecache.init_app(app)  # after the features: its after-request hook runs before theirs
    baseurl.init_app(app)
    security.init_app(app)
    return app
