"""``flask backup create FILE`` and ``flask backup restore FILE [--replace]``."""
from __future__ import annotations

import sys
import time

import click
from flask.cli import AppGroup

from .archive import BackupError, Progress

backup_cli = AppGroup("backup", help="Back the portal up into one file, or restore it from one.")


class BarProgress(Progress):
    """Progress as click progress bars on standard error."""

    def __init__(self) -> None:
        self.bar = None

    def start(self, label: str, total: int) -> None:
        self.finish()
        self.bar = click.progressbar(length=max(total, 1), label=label, file=sys.stderr, show_pos=True)
        self.bar.__enter__()

    def advance(self, count: int) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False))
def create_command(path: str) -> None:
    """Write content with revisions, users, audit log, taxonomy and media files to PATH."""
    from .create import create_backup

    started, progress = time.monotonic(), BarProgress()
    try:
        summary = create_backup(path, progress=progress)
    except BackupError as exc:
        raise click.ClickException(f"{exc}; no backup was written") from None
    finally:
        progress.finish()
    click.echo(f"Backup written to {summary.path}: {sum(summary.rows.values())} rows in "
               f"{len(summary.rows)} tables, {summary.media_files} media files, "
               f"{_megabytes(summary.size)}, {time.monotonic() - started:.1f} s")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True,
              help="Replace what the database and the media folder hold (all of it, in one transaction).")
def restore_command(path: str, replace: bool) -> None:
    """Check the backup at PATH completely, then restore it into an empty portal."""
    from .restore import SearchRebuildFailed, restore_backup

    progress = BarProgress()
    try:
        summary = restore_backup(path, replace=replace, progress=progress)
    except BackupError as exc:
        raise click.ClickException(f"{exc}; nothing was changed") from None
    except SearchRebuildFailed as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        progress.finish()
    click.echo(f"Restored {sum(summary.rows.values())} rows in {len(summary.rows)} tables and "
               f"{summary.media_files} media files in {summary.restore_seconds:.1f} s; search index rebuilt "
               f"({summary.indexed} items) in {summary.index_seconds:.1f} s. "
               "Other nodes: run `flask search rebuild` on each.")
