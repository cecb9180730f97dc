"""Outgoing e-mail: an outbox table, SMTP delivery, and the `flask mail` commands.

Other features queue messages with `portal.mail.queue(...)` inside their own transaction.
Delivery happens in `flask mail send` (run it from cron every minute) and, unless
PORTAL_MAIL_SEND_AFTER_REQUEST=0, right after the response of a request that queued mail
(the visitor never waits for the SMTP server).
"""
from __future__ import annotations

import click
from flask import Flask, current_app, g

from .models import OutgoingMail
from .outbox import (DeliveryReport, MailNotConfigured, deliver_pending, pending_count, queue,
                     valid_address)
from .settings import MailConfigError, parse_smtp_url

__all__ = ["OutgoingMail", "queue", "deliver_pending", "valid_address", "MailNotConfigured",
           "MailConfigError", "DeliveryReport", "init_app"]


def init_app(app: Flask) -> None:
    url = app.config.get("PORTAL_SMTP_URL") or ""
    if url.strip():
        # A wrong URL stops the start, with the reason, rather than the first message.
        parse_smtp_url(url, app.config.get("PORTAL_MAIL_FROM") or None)
    app.after_request(_deliver_after_response)
    app.cli.add_command(mail_cli)


def _deliver_after_response(response):
    if not g.get("portal_mail_queued"):
        return response
    app = current_app._get_current_object()
    if not app.config.get("PORTAL_MAIL_SEND_AFTER_REQUEST", True) or not (app.config.get("PORTAL_SMTP_URL") or "").strip():
        return response

    def deliver() -> None:
        with app.app_context():
            try:
                deliver_pending(limit=20)
            except Exception:  # the outbox keeps the message; `flask mail send` retries it
                app.logger.exception("sending mail after the response failed")

    response.call_on_close(deliver)
    return response


@click.group("mail", help="Outgoing e-mail (the outbox).")
def mail_cli() -> None:
    pass


@mail_cli.command("send", help="Send the messages that are due (run from cron every minute).")
@click.option("--limit", default=500, show_default=True, type=click.IntRange(1, 100_000))
def send_command(limit: int) -> None:
    try:
        report = deliver_pending(limit=limit)
    except (MailNotConfigured, MailConfigError) as error:
        raise click.ClickException(str(error)) from None
    for line in report.errors:
        click.echo(line, err=True)
    click.echo(f"sent {report.sent}, to retry {report.retried}, failed {report.failed}, "
               f"still waiting {pending_count()}")


@mail_cli.command("status", help="How many messages wait, and where they would go.")
def status_command() -> None:
    url = current_app.config.get("PORTAL_SMTP_URL") or ""
    if url.strip():
        click.echo("server: " + parse_smtp_url(url, current_app.config.get("PORTAL_MAIL_FROM") or None).describe())
    else:
        click.echo("server: not configured (PORTAL_SMTP_URL is empty)")
    click.echo(f"waiting: {pending_count()}")
