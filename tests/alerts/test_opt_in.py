"""Double opt-in: nothing is sent before the address confirms; bad links are refused clearly."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from portal.alerts.models import AlertSubscription
from portal.extensions import db
from portal.mail.models import OutgoingMail
from tests.factories import create, warning_data

from .conftest import BASE, confirm_from_mail, confirmation_url, deliver, local_path, subscribe


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone(timedelta(hours=7))).isoformat()


def test_subscribing_mails_a_confirmation_and_nothing_else_until_confirmed(web, cli, mail_server):
    response = subscribe(web, "dan@example.vn", category="toys")
    assert response.status_code == 200
    assert "Hãy kiểm tra hộp thư" in response.get_data(as_text=True)
    deliver()
    [message] = mail_server.to("dan@example.vn")
    assert message["Subject"] == "Xác nhận đăng ký nhận tin qua e-mail"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Đồ chơi" in text and "Cảnh báo sản phẩm" in text
    assert confirmation_url(message).startswith(BASE + "/nhan-tin-qua-email/xac-nhan/")
    assert message.get_body(preferencelist=("html",)) is not None

    create(warning_data(category="toys", published_at=_iso(datetime.now(timezone.utc) - timedelta(minutes=1))))
    result = cli.invoke(args=["alerts", "send"])
    assert result.exit_code == 0, result.output
    assert len(mail_server.to("dan@example.vn")) == 1  # still only the confirmation

    # Opening the link (as a mail scanner would) confirms nothing.
    url = local_path(confirmation_url(message))
    page = web.get(url)
    assert page.status_code == 200 and "Xác nhận đăng ký" in page.get_data(as_text=True)
    assert "no-store" in page.headers["Cache-Control"] and page.headers["Referrer-Policy"] == "no-referrer"
    assert db.session.execute(sa.select(AlertSubscription.status)).scalar_one() == "pending"
    done = web.post(url)
    assert done.status_code == 200 and "Đã xác nhận đăng ký" in done.get_data(as_text=True)
    assert db.session.execute(sa.select(AlertSubscription.status)).scalar_one() == "active"

    # The warning published before the confirmation is not news for this subscriber.
    cli.invoke(args=["alerts", "send"])
    assert len(mail_server.to("dan@example.vn")) == 1


def test_confirming_twice_is_harmless(web, mail_server):
    subscribe(web, "hai@example.vn")
    assert confirm_from_mail(web, mail_server, "hai@example.vn").status_code == 200
    deliver()
    url = local_path(confirmation_url(mail_server.to("hai@example.vn")[0]))
    again = web.post(url)
    assert again.status_code == 200 and "Đã xác nhận đăng ký" in again.get_data(as_text=True)


def test_an_expired_confirmation_link_is_refused_with_a_clear_page(web, mail_server):
    subscribe(web, "ba@example.vn")
    deliver()
    url = local_path(confirmation_url(mail_server.to("ba@example.vn")[0]))
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=8), tick=False):
        for response in (web.get(url), web.post(url)):
            assert response.status_code == 410
            assert "Liên kết đã hết hạn" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(AlertSubscription.status)).scalar_one() == "pending"


def test_forged_or_damaged_confirmation_links_are_refused(web, mail_server):
    subscribe(web, "bon@example.vn")
    deliver()
    url = local_path(confirmation_url(mail_server.to("bon@example.vn")[0]))
    from itsdangerous import URLSafeTimedSerializer

    subscription = db.session.execute(sa.select(AlertSubscription)).scalar_one()
    forged = URLSafeTimedSerializer("another-secret", salt="portal.alerts.confirm").dumps(
        {"s": subscription.id, "n": subscription.confirm_nonce})
    wrong_nonce = URLSafeTimedSerializer("test-secret", salt="portal.alerts.confirm").dumps(
        {"s": subscription.id, "n": "guessed"})
    prefix = url.rsplit("/", 1)[0]
    for bad in (url[:-3], prefix + "/" + forged, prefix + "/" + wrong_nonce, prefix + "/" + "x" * 600):
        response = web.post(bad)
        assert response.status_code == 404, bad
        assert "Liên kết không hợp lệ" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(AlertSubscription.status)).scalar_one() == "pending"


def test_subscribing_again_does_not_spam(web, mail_server):
    for _ in range(3):
        assert subscribe(web, "nam@example.vn", category="toys").status_code == 200
    deliver()
    assert len(mail_server.to("nam@example.vn")) == 1
    assert db.session.execute(sa.select(sa.func.count()).select_from(AlertSubscription)).scalar_one() == 1
    confirm_from_mail(web, mail_server, "nam@example.vn")
    subscribe(web, "nam@example.vn", category="toys")  # already active: nothing to confirm
    deliver()
    assert len(mail_server.to("nam@example.vn")) == 1


def test_at_most_three_mails_an_hour_to_one_address(web, mail_server):
    for category in ("toys", "food", "cosmetics", "electrical", "lighting"):
        assert subscribe(web, "sau@example.vn", category=category).status_code == 200
    deliver()
    assert len(mail_server.to("sau@example.vn")) == 3
    assert db.session.execute(sa.select(sa.func.count()).select_from(AlertSubscription)).scalar_one() == 5


def test_one_client_address_is_limited(web, mail_server):
    for n in range(20):
        assert subscribe(web, f"nguoi{n}@example.vn").status_code == 200
    response = subscribe(web, "nguoi-thu-21@example.vn")
    assert response.status_code == 429
    assert "quá nhiều yêu cầu" in response.get_data(as_text=True)
    deliver()
    assert not mail_server.to("nguoi-thu-21@example.vn")


def test_unconfirmed_subscriptions_are_purged_after_seven_days(web, cli, mail_server):
    subscribe(web, "bay@example.vn")
    subscribe(web, "tam@example.vn")
    confirm_from_mail(web, mail_server, "tam@example.vn")
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=7, hours=1), tick=False):
        result = cli.invoke(args=["alerts", "purge"])
    assert result.exit_code == 0 and "deleted 1 unconfirmed" in result.output
    left = db.session.execute(sa.select(AlertSubscription.address)).scalars().all()
    assert left == ["tam@example.vn"]


def test_confirmation_mail_is_in_the_visitors_language(web, mail_server):
    response = subscribe(web, "anh@example.com", lang="en", risk_level="serious")
    assert response.status_code == 200 and "Check your mailbox" in response.get_data(as_text=True)
    deliver()
    [message] = mail_server.to("anh@example.com")
    assert message["Subject"] == "Confirm your e-mail alert subscription"
    assert confirmation_url(message).startswith(BASE + "/en/email-alerts/confirm/")
    assert "Serious" in message.get_body(preferencelist=("plain",)).get_content()


def test_nothing_is_queued_for_a_refused_subscription(web):
    subscribe(web, "not-an-address")
    assert db.session.execute(sa.select(sa.func.count()).select_from(OutgoingMail)).scalar_one() == 0
