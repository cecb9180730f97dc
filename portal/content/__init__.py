"""Content: models, services, the content-file format, Markdown and taxonomy."""
from flask import Flask


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables)
    from .cli import content_cli
    from .markdown import render_markdown

    app.cli.add_command(content_cli)
    app.jinja_env.filters["markdown"] = render_markdown
