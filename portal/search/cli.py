"""``flask search rebuild`` and ``flask search status``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from . import service


@click.group("search", help="Search index: rebuild it, or show how far it follows the outbox.")
def search_cli() -> None:
    pass


@search_cli.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Build a new index from the database beside the live one, then swap it in."""
    bar = None

    def on_total(total: int) -> None:
        nonlocal bar
        bar = click.progressbar(length=total, label="Indexing", show_pos=True)
        bar.__enter__()

    try:
        count = service.rebuild(progress=lambda n: bar.update(n) if bar else None, on_total=on_total)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    click.echo(f"Indexed {count} public or scheduled items; the new index is live.")


@search_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Show the last outbox row applied to the live index and the newest one."""
    info = service.status()
    if info["index"] is None:
        click.echo("No index yet: run `flask search rebuild`.")
        return
    click.echo(f"Index: {info['index']}")
    click.echo(f"Outbox rows applied up to {info['applied']}; newest row {info['newest']}"
               + (f"; {info['waiting_gaps']} earlier ids still awaited" if info["waiting_gaps"] else ""))
