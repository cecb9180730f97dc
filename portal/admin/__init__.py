"""The editors' admin: accounts, dashboard, editing, workflow, history, audit log."""
from __future__ import annotations

from datetime import timedelta

from flask import Flask, g


def init_app(app: Flask) -> None:
    from ..content.images import media
    from ..extensions import login_manager
    from . import account_views, auth, bulk_views, content_views, imports, people, sessions, steps  # noqa: F401  (routes)
    from .blueprint import bp
    from .cli import media_cli, users_cli
    from .display import register_template_helpers

    login_manager.login_view = "admin.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    login_manager.user_loader(sessions.load)
    # The cookie itself expires with the absolute lifetime (Flask's default would be 31 days).
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["SESSION_LIFETIME_HOURS"])

    @app.before_request
    def load_user_from_this_request():
        # Flask-Login caches the user in `g`, which outlives a request when an app context was
        # already pushed (tests, embedded servers): always load it from this request's cookie.
        g.pop("_login_user", None)

    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.register_blueprint(bp)
    app.register_blueprint(media)
    app.cli.add_command(users_cli)
    app.cli.add_command(media_cli)
    register_template_helpers(app)
