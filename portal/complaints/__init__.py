"""Complaints and reports from residents: the public form and status page, the handlers' queue
in the admin, anonymous statistics, and the retention purge (`flask complaints purge`).

Personal data never leaves this package's admin pages: no public page, search index, feed,
API, sitemap or export reads the contact columns, the person's words or the attachments.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (tables for the metadata, migrations and backups)
    from . import permissions, settings
    from .admin_views import admin_bp
    from .cli import complaints_cli
    from .public_views import bp

    settings.init_app(app)
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(complaints_cli)
    app.jinja_env.globals["can_handle_complaints"] = permissions.can_handle
