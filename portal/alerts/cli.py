"""`flask alerts send|purge`: run from cron, never from a web request.

    */5 * * * *  flask --app portal alerts send --immediate
    */15 * * * * flask --app portal alerts send --digest     (sends once a day, at the hour)

``send`` without a flag does both. The daily digest goes out on the first run at or after
PORTAL_ALERTS_DIGEST_HOUR (Asia/Ho_Chi_Minh, default 7); later runs that day find nothing due.
"""
from __future__ import annotations

import click
from flask import current_app

from .. import mail
from . import services, sending
from .models import DAILY, IMMEDIATE


@click.group("alerts", help="E-mail alerts for list filters and searches.")
def alerts_cli() -> None:
    pass


@alerts_cli.command("send", help="Queue the alerts that are due and deliver the mail.")
@click.option("--immediate", "only_immediate", is_flag=True, help="Only the immediate alerts.")
@click.option("--digest", "only_digest", is_flag=True, help="Only the daily digests that are due.")
@click.option("--no-deliver", is_flag=True, help="Queue only; leave delivery to `flask mail send`.")
def send_command(only_immediate: bool, only_digest: bool, no_deliver: bool) -> None:
    if not current_app.config.get("SERVER_NAME"):
        raise click.ClickException("set PORTAL_BASE_URL (e.g. https://tieudung.haiphong.gov.vn): "
                                   "the links in alerts are built from it")
    try:
        sending.digest_hour()
    except sending.AlertsConfigError as error:
        raise click.ClickException(str(error)) from None
    removed, _ = services.purge()
    if removed:
        click.echo(f"deleted {removed} unconfirmed subscription(s) older than {services.PENDING_DAYS} days")
    frequencies = [IMMEDIATE] if only_immediate and not only_digest else \
        [DAILY] if only_digest and not only_immediate else [IMMEDIATE, DAILY]
    failed = False
    for frequency in frequencies:
        report = sending.send(frequency)
        for line in report.errors:
            click.echo(line, err=True)
        failed = failed or bool(report.errors)
        click.echo(f"{frequency}: {report.subscriptions} subscription(s), {report.messages} message(s) "
                   f"with {report.items} item(s) queued, {report.skipped} taken by another sender")
    if not no_deliver:
        try:
            delivery = mail.deliver_pending()
        except (mail.MailNotConfigured, mail.MailConfigError) as error:
            click.echo(f"mail not delivered: {error}", err=True)
        else:
            for line in delivery.errors:
                click.echo(line, err=True)
            click.echo(f"mail: sent {delivery.sent}, to retry {delivery.retried}, failed {delivery.failed}")
    if failed:
        raise SystemExit(1)


@alerts_cli.command("purge", help=f"Delete unconfirmed subscriptions older than {services.PENDING_DAYS} days.")
def purge_command() -> None:
    removed, throttled = services.purge()
    click.echo(f"deleted {removed} unconfirmed subscription(s) and {throttled} expired rate-limit record(s)")
