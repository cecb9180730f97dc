"""Importers of foreign recall records (US CPSC, EU Safety Gate, US FDA, the multi-agency US file)
and of enforcement officers' sanction spreadsheets; the import queue's records."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (register the table)
    from .base import AUTHORITY_SEARCH_PAGES
    from .cli import import_cli

    app.cli.add_command(import_cli)
    app.jinja_env.globals["authority_search_page"] = lambda authority: AUTHORITY_SEARCH_PAGES.get(authority or "", "")
