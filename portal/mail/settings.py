"""`PORTAL_SMTP_URL`: where outgoing mail goes, in one URL.

    smtp://user:password@host:587?starttls=1     submission with STARTTLS (the usual case)
    smtps://user:password@host:465               TLS from the first byte
    smtp://127.0.0.1:2525                        a local relay, no login

Query options: ``starttls=1|0``, ``timeout=SECONDS`` (default 10), ``from=ADDRESS`` (else
``PORTAL_MAIL_FROM``). The user name and password are URL-decoded (``%40`` for ``@``).
An empty URL means mail is not configured: messages wait in the outbox and ``flask mail send``
says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit


class MailConfigError(ValueError):
    """PORTAL_SMTP_URL cannot be used; the message says why."""


@dataclass(frozen=True)
class SMTPSettings:
    host: str
    port: int
    username: str | None
    password: str | None
    use_ssl: bool
    starttls: bool
    timeout: float
    sender: str | None

    def describe(self) -> str:
        """The server without its password, for logs and CLI output."""
        scheme = "smtps" if self.use_ssl else "smtp"
        user = f"{self.username}@" if self.username else ""
        tls = " (STARTTLS)" if self.starttls else ""
        return f"{scheme}://{user}{self.host}:{self.port}{tls}"


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_smtp_url(url: str, default_sender: str | None = None) -> SMTPSettings:
    """Read ``url`` (see the module docstring); raise MailConfigError with a clear message."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"smtp", "smtps"}:
        raise MailConfigError("PORTAL_SMTP_URL must start with smtp:// or smtps://")
    if not parts.hostname:
        raise MailConfigError("PORTAL_SMTP_URL names no host")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError as error:
        raise MailConfigError(f"PORTAL_SMTP_URL has a bad port: {error}") from None
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    unknown = set(options) - {"starttls", "timeout", "from"}
    if unknown:
        raise MailConfigError(f"PORTAL_SMTP_URL: unknown option(s) {', '.join(sorted(unknown))}")
    starttls_text = options.get("starttls", "0").lower()
    if starttls_text not in _TRUE | _FALSE:
        raise MailConfigError("PORTAL_SMTP_URL: starttls must be 1 or 0")
    starttls = starttls_text in _TRUE
    if starttls and parts.scheme == "smtps":
        raise MailConfigError("PORTAL_SMTP_URL: smtps:// is already TLS; drop starttls")
    try:
        timeout = float(options.get("timeout", "10"))
    except ValueError:
        raise MailConfigError("PORTAL_SMTP_URL: timeout must be a number of seconds") from None
    if not 0 < timeout <= 300:
        raise MailConfigError("PORTAL_SMTP_URL: timeout must be between 0 and 300 seconds")
    sender = options.get("from") or default_sender
    if sender is not None and ("@" not in sender or any(c in sender for c in "\r\n")):
        raise MailConfigError("the sender address (from= or PORTAL_MAIL_FROM) is not an e-mail address")
    return SMTPSettings(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        use_ssl=parts.scheme == "smtps",
        starttls=starttls,
        timeout=timeout,
        sender=sender,
    )
