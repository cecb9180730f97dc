"""The mail outbox against a real SMTP server in process (aiosmtpd)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal import mail
from portal.extensions import db
from portal.mail.models import OutgoingMail
from portal.mail.settings import MailConfigError, parse_smtp_url


def test_smtp_url_forms():
    s = parse_smtp_url("smtp://user%40city:p%3Ass@mail.example.vn:587?starttls=1&from=noreply@example.vn")
    assert (s.host, s.port, s.username, s.password, s.starttls, s.use_ssl) == \
        ("mail.example.vn", 587, "user@city", "p:ss", True, False)
    assert s.sender == "noreply@example.vn"
    assert "p:ss" not in s.describe()
    s = parse_smtp_url("smtps://relay.example.vn")
    assert (s.port, s.use_ssl, s.username) == (465, True, None)
    assert parse_smtp_url("smtp://127.0.0.1").port == 25


@pytest.mark.parametrize("url, words", [
    ("http://mail.example.vn", "smtp://"),
    ("smtp://", "no host"),
    ("smtp://host:99999", "port"),
    ("smtp://host?starttls=maybe", "starttls"),
    ("smtps://host?starttls=1", "already TLS"),
    ("smtp://host?timeout=abc", "timeout"),
    ("smtp://host?colour=red", "unknown option"),
    ("smtp://host?from=nobody", "sender"),
])
def test_bad_smtp_urls_say_why(url, words):
    with pytest.raises(MailConfigError, match=words):
        parse_smtp_url(url)


def test_a_bad_url_stops_the_app_at_start(tmp_path, database):
    from portal import create_app

    with pytest.raises(MailConfigError):
        create_app({"INSTANCE_PATH": str(tmp_path / "i"), "TESTING": True, "SECRET_KEY": "x",
                    "SQLALCHEMY_DATABASE_URI": database, "PORTAL_SMTP_URL": "smtp://host?starttls=perhaps"})


@pytest.mark.parametrize("address", ["", "no-at-sign", "a@b", "x@example.vn\r\nBcc: y@example.vn",
                                     "Name <x@example.vn>", "x@example.vn, y@example.vn", "a b@example.vn"])
def test_unusable_addresses_are_refused(app, address):
    with pytest.raises(ValueError):
        mail.queue(address, "Chủ đề", "Nội dung")


def test_queued_mail_is_sent_once_with_its_headers(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url, PORTAL_MAIL_FROM="canhbao@haiphong.example.vn")
    mail.queue("dan@example.vn", "Xác nhận đăng ký nhận tin", "Xin chào,\nnội dung có dấu tiếng Việt.",
               html="<p>Xin chào</p>", headers={"List-Unsubscribe": "<https://example.vn/u/abc>"})
    db.session.commit()
    report = mail.deliver_pending()
    assert (report.sent, report.failed, report.retried) == (1, 0, 0)
    [message] = mail_server.messages
    assert message["To"] == "dan@example.vn"
    assert message["From"] == "canhbao@haiphong.example.vn"
    assert message["Subject"] == "Xác nhận đăng ký nhận tin"
    assert message["List-Unsubscribe"] == "<https://example.vn/u/abc>"
    assert message["Message-ID"].endswith("@haiphong.example.vn>")
    assert "nội dung có dấu tiếng Việt" in message.get_body(("plain",)).get_content()
    assert "<p>Xin chào</p>" in message.get_body(("html",)).get_content()
    # Nothing is due any more: a second run sends nothing.
    assert mail.deliver_pending().sent == 0
    assert len(mail_server.messages) == 1


def test_dedupe_key_queues_once(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    assert mail.queue("a@example.vn", "s", "t", dedupe_key="alert:1:2") is not None
    db.session.commit()
    assert mail.queue("a@example.vn", "s", "t", dedupe_key="alert:1:2") is None
    db.session.commit()
    mail.deliver_pending()
    assert len(mail_server.messages) == 1


def test_rolled_back_change_sends_nothing(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    mail.queue("a@example.vn", "s", "t")
    db.session.rollback()
    assert mail.deliver_pending().sent == 0
    assert mail_server.messages == []


def test_refused_recipient_fails_without_blocking_the_others(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    mail_server.refuse("gone@example.vn")
    mail.queue("gone@example.vn", "s", "t")
    mail.queue("here@example.vn", "s", "t")
    db.session.commit()
    report = mail.deliver_pending()
    assert (report.sent, report.failed) == (1, 1)
    gone = db.session.execute(sa.select(OutgoingMail).where(OutgoingMail.recipient == "gone@example.vn")).scalar_one()
    assert gone.failed and "550" in gone.last_error
    assert [m["To"] for m in mail_server.messages] == ["here@example.vn"]


def test_server_down_keeps_the_message_for_a_retry(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    mail.queue("a@example.vn", "s", "t")
    db.session.commit()
    mail_server.stop()
    report = mail.deliver_pending()
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    row = db.session.execute(sa.select(OutgoingMail)).scalar_one()
    assert row.sent_at is None and row.attempts == 1 and row.next_attempt_at > datetime.now(timezone.utc)
    # Not due yet: nothing is tried.
    assert mail.deliver_pending().retried == 0
    # When it is due again and the server is back, it goes.
    row.next_attempt_at = datetime.now(timezone.utc) - timedelta(seconds=1)
    db.session.commit()
    mail_server.start()
    assert mail.deliver_pending().sent == 1
    assert len(mail_server.messages) == 1


def test_a_claimed_row_is_not_taken_twice(app, mail_server):
    from portal.mail.outbox import _claim

    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    row = mail.queue("a@example.vn", "s", "t")
    db.session.commit()
    seen = row.next_attempt_at
    assert _claim(row.id, seen) is True
    assert _claim(row.id, seen) is False  # a second sender that read the same row loses


def test_not_configured_is_a_clear_cli_error(app):
    app.config.update(PORTAL_SMTP_URL="")
    mail.queue("a@example.vn", "s", "t")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code != 0
    assert "PORTAL_SMTP_URL" in result.output
    status = app.test_cli_runner().invoke(args=["mail", "status"])
    assert "not configured" in status.output and "waiting: 1" in status.output


def test_cli_send_reports_counts(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    mail.queue("a@example.vn", "s", "t")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output and "still waiting 0" in result.output


def _route_that_queues(app):
    def view():
        mail.queue("after@example.vn", "Đã nhận", "Cảm ơn")
        db.session.commit()
        return "ok"

    app.add_url_rule("/_test-queue-mail", "test_queue_mail", view, methods=["POST"])


def test_mail_queued_by_a_request_goes_right_after_the_response(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url)
    _route_that_queues(app)
    response = app.test_client().post("/_test-queue-mail")
    assert response.status_code == 200
    response.close()
    assert [m["To"] for m in mail_server.messages] == ["after@example.vn"]


def test_after_response_sending_can_be_turned_off(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url, PORTAL_MAIL_SEND_AFTER_REQUEST=False)
    _route_that_queues(app)
    app.test_client().post("/_test-queue-mail").close()
    assert mail_server.messages == []
    assert mail.deliver_pending().sent == 1
