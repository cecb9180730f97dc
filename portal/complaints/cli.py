"""`flask complaints purge`: erase personal data of closed complaints past the retention period."""
from __future__ import annotations

import click
from flask import current_app

from .retention import purge_closed


@click.group("complaints", help="Complaints and reports from residents.")
def complaints_cli() -> None:
    pass


@complaints_cli.command("purge", help="Erase contact details, texts and attachments of complaints closed more "
                                      "than PORTAL_COMPLAINT_RETENTION_DAYS ago (statistics rows stay).")
@click.option("--dry-run", is_flag=True, help="Only count what would be erased.")
def purge_command(dry_run: bool) -> None:
    report = purge_closed(dry_run=dry_run)
    days = current_app.config["COMPLAINT_RETENTION_DAYS"]
    verb = "would erase" if dry_run else "erased"
    click.echo(f"{verb} personal data of {report.complaints} complaint(s) closed more than {days} days ago "
               f"({report.files} attachment file(s))")
