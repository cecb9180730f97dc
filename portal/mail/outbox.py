"""Queue mail in the caller's transaction; deliver it over SMTP outside any web request's work.

`queue()` adds an `OutgoingMail` row to the session: it is committed (or rolled back) with the
change that caused it. `deliver_pending()` claims due rows one at a time (a claim is an UPDATE
that moves the row's next attempt past a lease, so two senders on two nodes never take the same
row), sends each, and marks it sent. A temporary failure retries later with growing pauses; a
permanent refusal (SMTP 5xx for the recipient) or too many attempts marks the row failed.
Delivery is at least once: a sender killed between the SMTP acceptance and the mark can send one
message twice after the lease ends, never lose it.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from .models import OutgoingMail
from .settings import MailConfigError, SMTPSettings, parse_smtp_url

# Pauses before the 2nd, 3rd, ... attempt; after the last one the message is marked failed.
RETRY_PAUSES = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
                timedelta(hours=2), timedelta(hours=6))
CLAIM_LEASE = timedelta(minutes=10)


class MailNotConfigured(RuntimeError):
    """PORTAL_SMTP_URL is empty."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def valid_address(address: str) -> bool:
    """A plain check that ``address`` can be a recipient (one address, no header tricks)."""
    if not address or len(address) > 320 or any(c in address for c in "\r\n,;<>\"\x00"):
        return False
    name, parsed = parseaddr(address)
    if parsed != address or name:
        return False
    local, _, domain = address.rpartition("@")
    return bool(local) and "." in domain and not domain.startswith(".") and " " not in address


def queue(recipient: str, subject: str, text: str, *, html: str | None = None,
          headers: dict[str, str] | None = None, dedupe_key: str | None = None) -> OutgoingMail | None:
    """Add a message to the session (the caller commits). With ``dedupe_key``, a message already
    queued under that key is not queued again: returns None then."""
    if not valid_address(recipient):
        raise ValueError(f"not a usable e-mail address: {recipient!r}")
    for name, value in (headers or {}).items():
        if any(c in name + value for c in "\r\n"):
            raise ValueError("mail headers cannot contain line breaks")
    if dedupe_key is not None:
        exists = db.session.execute(
            sa.select(OutgoingMail.id).where(OutgoingMail.dedupe_key == dedupe_key)
        ).first()
        if exists is not None:
            return None
    row = OutgoingMail(recipient=recipient, subject=" ".join(subject.split())[:300], body_text=text,
                       body_html=html, headers=dict(headers or {}), dedupe_key=dedupe_key)
    db.session.add(row)
    from flask import g, has_request_context

    if has_request_context():
        g.portal_mail_queued = True
    return row


def settings() -> SMTPSettings:
    url = current_app.config.get("PORTAL_SMTP_URL") or ""
    if not url.strip():
        raise MailNotConfigured("mail is not configured: set PORTAL_SMTP_URL (see README, Mail)")
    return parse_smtp_url(url, current_app.config.get("PORTAL_MAIL_FROM") or None)


def build_message(row: OutgoingMail, smtp: SMTPSettings) -> EmailMessage:
    sender = smtp.sender or "no-reply@localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(_now())
    message["Message-ID"] = make_msgid(idstring=f"portal.{row.id}", domain=sender.rpartition("@")[2])
    message["Auto-Submitted"] = "auto-generated"
    for name, value in (row.headers or {}).items():
        message[name] = value
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def _connect(smtp: SMTPSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.use_ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            client.starttls(context=context)
    if smtp.username:
        client.login(smtp.username, smtp.password or "")
    return client


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(row_id: int, seen_next: datetime) -> bool:
    """Take the row for this sender: only one concurrent UPDATE can match its old next attempt."""
    result = db.session.execute(
        sa.update(OutgoingMail)
        .where(OutgoingMail.id == row_id, OutgoingMail.sent_at.is_(None),
               OutgoingMail.failed.is_(False), OutgoingMail.next_attempt_at == seen_next)
        .values(next_attempt_at=_now() + CLAIM_LEASE)
    )
    db.session.commit()
    return result.rowcount == 1


def deliver_pending(limit: int = 500, ids: list[int] | None = None) -> DeliveryReport:
    """Send up to ``limit`` due messages (or only ``ids``) over one SMTP connection."""
    smtp = settings()
    report = DeliveryReport()
    query = (sa.select(OutgoingMail.id, OutgoingMail.next_attempt_at)
             .where(OutgoingMail.sent_at.is_(None), OutgoingMail.failed.is_(False),
                    OutgoingMail.next_attempt_at <= _now())
             .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit))
    if ids is not None:
        query = query.where(OutgoingMail.id.in_(ids))
    due = db.session.execute(query).all()
    db.session.commit()
    if not due:
        return report
    client: smtplib.SMTP | None = None
    try:
        for row_id, seen_next in due:
            if not _claim(row_id, seen_next):
                continue
            row = db.session.get(OutgoingMail, row_id)
            row.attempts += 1
            try:
                if client is None:
                    client = _connect(smtp)
                client.send_message(build_message(row, smtp))
            except smtplib.SMTPRecipientsRefused as error:
                code, reason = next(iter(error.recipients.values()))
                _give_up_or_retry(row, f"{code} {reason!r}", permanent=code >= 500, report=report)
            except (smtplib.SMTPException, OSError) as error:
                permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500 \
                    and not isinstance(error, smtplib.SMTPAuthenticationError)
                _give_up_or_retry(row, f"{type(error).__name__}: {error}", permanent=permanent, report=report)
                if not isinstance(error, smtplib.SMTPResponseException):
                    client = None  # the connection is gone; the next row opens a new one
            else:
                row.sent_at = _now()
                row.last_error = None
                report.sent += 1
            db.session.commit()
    finally:
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                pass
    return report


def _give_up_or_retry(row: OutgoingMail, error: str, *, permanent: bool, report: DeliveryReport) -> None:
    row.last_error = error[:500]
    report.errors.append(f"#{row.id} to {row.recipient}: {error}")
    if permanent or row.attempts > len(RETRY_PAUSES):
        row.failed = True
        report.failed += 1
    else:
        row.next_attempt_at = _now() + RETRY_PAUSES[row.attempts - 1]
        report.retried += 1


def pending_count() -> int:
    return db.session.execute(
        sa.select(sa.func.count()).select_from(OutgoingMail)
        .where(OutgoingMail.sent_at.is_(None), OutgoingMail.failed.is_(False))
    ).scalar_one()
