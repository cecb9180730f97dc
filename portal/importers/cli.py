"""CLI: `flask import cpsc|safety-gate|fda|us-recalls FILE` and `flask import sanctions FILE`."""
from __future__ import annotations

import logging
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .base import ImportFileError

import_cli = AppGroup("import", help="Import foreign recall records as draft warnings, or sanction spreadsheets.")
log = logging.getLogger("portal.importers")
LOG_EVERY = 200


def _progress(kind: str):
    """A progress bar in a terminal; a log line every LOG_EVERY records otherwise."""
    def bar(records):
        if sys.stderr.isatty():
            with click.progressbar(records, label=f"Importing {kind}", file=sys.stderr) as shown:
                yield from shown
            return
        total = len(records)
        for position, record in enumerate(records, start=1):
            if position % LOG_EVERY == 0 or position == total:
                line = f"import {kind}: {position}/{total} records"
                log.info(line)
                click.echo(line, err=True)
            yield record
    return bar


def _run(kind: str, path: str, report: str | None) -> None:
    from .service import import_file

    report_path = Path(report) if report else Path(current_app.instance_path) / "import-reports" / (
        f"{kind}-{datetime.now():%Y%m%d-%H%M%S}-skipped.csv")
    try:
        result = import_file(path, kind, progress=_progress(kind), report_path=report_path)
    except ImportFileError as exc:
        raise click.ClickException(f"{exc}; nothing was imported") from None
    click.echo(result.summary())
    if result.skipped:
        reasons: dict[str, int] = {}
        for _, _, reason in result.skipped:
            key = reason.split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        for reason, count in sorted(reasons.items(), key=lambda pair: -pair[1]):
            click.echo(f"  skipped {count}: {reason}")
        click.echo(f"Skipped rows, with the reason for each: {report_path}")


def _command(kind: str, help_text: str):
    @import_cli.command(kind, help=help_text)
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--report", type=click.Path(dir_okay=False), help="Where to write the CSV of skipped rows.")
    def command(path: str, report: str | None) -> None:
        _run(kind, path, report)
    return command


_command("cpsc", "Import a US CPSC recalls JSON file.")
_command("safety-gate", "Import an EU Safety Gate alerts JSON file.")
_command("fda", "Import a US FDA recalls XML file.")
_command("us-recalls", "Import the multi-agency US recalls JSON file (CPSC, FDA, NHTSA).")


@import_cli.command("sanctions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_sanctions_command(path: str) -> None:
    """Import enforcement results from an XLSX or CSV file (the template's columns); all or nothing."""
    from .sanctions import import_sanctions

    try:
        with open(path, "rb") as handle:
            report = import_sanctions(handle, Path(path).name, None)
    except ImportFileError as exc:
        raise click.ClickException(f"{exc}; nothing was imported") from None
    for row in report.rows:
        click.echo(f"row {row.row} ({row.decision or '-'}): " + ("; ".join(row.errors) if row.errors else "ok"))
    if not report.ok:
        bad = sum(1 for row in report.rows if row.errors)
        raise click.ClickException(f"{bad} of {len(report.rows)} row(s) have problems; nothing was imported")
    click.echo(f"{len(report.created)} enforcement result(s) recorded as drafts")
