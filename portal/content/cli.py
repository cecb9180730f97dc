"""CLI: `flask content load|dump PATH` (the importers have their own package, portal.importers)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .loader import LoadError, dump_all, load_paths

content_cli = AppGroup("content", help="Load and dump content files (Markdown with YAML front matter).")


@content_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def load_command(paths: tuple[str, ...]) -> None:
    """Load content files (files or folders, read recursively); all or nothing."""
    try:
        report = load_paths(paths)
    except LoadError as exc:
        for error in exc.errors:
            click.echo(f"error: {error}", err=True)
        raise click.ClickException(f"{len(exc.errors)} problem(s); nothing was loaded") from None
    click.echo(f"{len(report.created)} created, {len(report.updated)} updated, "
               f"{len(report.unchanged)} unchanged")


@content_cli.command("dump")
@click.argument("path", type=click.Path(file_okay=False))
def dump_command(path: str) -> None:
    """Write every item of the database as content files under PATH."""
    count = dump_all(path)
    click.echo(f"{count} item(s) written to {path}")
