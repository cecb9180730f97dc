"""CLI: `flask content load|dump PATH` and `flask import cpsc|safety-gate FILE`."""
from __future__ import annotations

import sys

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


import_cli = AppGroup("import", help="Import foreign recall records as draft warnings.")


def _import(kind: str, path: str) -> None:
    from .importers import ImportFileError, import_file

    try:
        def progress(records):
            with click.progressbar(records, label=f"Importing {kind}", file=sys.stderr) as bar:
                yield from bar

        report = import_file(path, kind, progress=progress)
    except ImportFileError as exc:
        raise click.ClickException(f"{exc}; nothing was imported") from None
    click.echo(f"{len(report.created)} imported as drafts, {len(report.existing)} already there, "
               f"{len(report.skipped)} skipped (no reference number)")


@import_cli.command("cpsc")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_cpsc(path: str) -> None:
    """Import a US CPSC recalls JSON file."""
    _import("cpsc", path)


@import_cli.command("safety-gate")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_safety_gate(path: str) -> None:
    """Import an EU Safety Gate alerts JSON file."""
    _import("safety-gate", path)
