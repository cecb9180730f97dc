"""Fixtures for the alerts tests: an app with PORTAL_BASE_URL and a real SMTP server in process."""
from __future__ import annotations

import re

import pytest

from portal import create_app, mail
from portal.extensions import db
from tests.conftest import app_config

BASE = "https://tieudung.haiphong.example.vn"


@pytest.fixture
def mail_app(tmp_path, database, mail_server):
    """The app of these tests: links from PORTAL_BASE_URL, mail to the in-process SMTP server,
    delivered only when a test says so (as cron would)."""
    app = create_app(app_config(tmp_path, database, PORTAL_BASE_URL=BASE, PORTAL_SMTP_URL=mail_server.url,
                                PORTAL_MAIL_FROM="canhbao@haiphong.example.vn", PORTAL_MAIL_SEND_AFTER_REQUEST=False))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def web(mail_app):
    return mail_app.test_client()


@pytest.fixture
def cli(mail_app):
    return mail_app.test_cli_runner()


def deliver() -> None:
    mail.deliver_pending()


def links(message, path_part: str) -> list[str]:
    """Absolute links in a message's text part whose path holds ``path_part``."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return [url for url in re.findall(r"https?://\S+", text) if path_part in url]


def local_path(url: str) -> str:
    assert url.startswith(BASE), url
    return url[len(BASE):]


def subscribe(web, email: str, list_kind: str = "warnings", frequency: str = "immediate", lang: str = "vi",
              **params):
    path = "/en/email-alerts" if lang == "en" else "/nhan-tin-qua-email"
    data = {"email": email, "frequency": frequency, "list": list_kind, **params}
    return web.post(path, data=data)


def confirm_from_mail(web, mail_server, email: str):
    """Follow the confirmation link of the newest mail to ``email``: GET (a page), then POST."""
    deliver()
    url = confirmation_url(mail_server.to(email)[-1])
    page = web.get(local_path(url))
    assert page.status_code == 200
    return web.post(local_path(url))


def confirmation_url(message) -> str:
    found = links(message, "/xac-nhan/") + links(message, "/confirm/")
    assert len(found) == 1, found
    return found[0]
