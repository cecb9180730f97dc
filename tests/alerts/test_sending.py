"""`flask alerts send`: immediate alerts and daily digests of public items, each sent once."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
import time_machine

from portal.alerts import sending
from portal.alerts.models import IMMEDIATE, AlertSent, AlertSubscription
from portal.extensions import db
from portal.mail.models import OutgoingMail
from tests.factories import create, sanction_data, warning_data

from .conftest import BASE, confirm_from_mail, deliver, subscribe

VN = timezone(timedelta(hours=7))


def at(moment: datetime) -> str:
    return moment.astimezone(VN).isoformat()


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def subscribed(web, mail_server, email: str, **options) -> None:
    assert subscribe(web, email, **options).status_code == 200
    assert confirm_from_mail(web, mail_server, email).status_code == 200


def alerts_to(mail_server, email: str):
    return [m for m in mail_server.to(email) if m["List-Unsubscribe"]]


def send(cli, *flags: str) -> str:
    result = cli.invoke(args=["alerts", "send", *flags])
    assert result.exit_code == 0, result.output
    return result.output


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_an_immediate_alert_for_a_new_matching_warning(web, cli, mail_server):
    subscribed(web, mail_server, "dan@example.vn", category="toys")
    toy = create(warning_data(category="toys", title="Đồ chơi nam châm nguy hiểm", published_at=at(utc_now())))
    create(warning_data(category="food", title="Sữa bột nhiễm khuẩn", published_at=at(utc_now())))
    output = send(cli, "--immediate")
    assert "1 message(s) with 1 item(s)" in output
    [alert] = alerts_to(mail_server, "dan@example.vn")
    assert alert["Subject"] == "Tin mới: Đồ chơi nam châm nguy hiểm"
    unsubscribe = alert["List-Unsubscribe"]
    assert unsubscribe.startswith(f"<{BASE}/nhan-tin-qua-email/huy/") and unsubscribe.endswith(">")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = text_of(alert)
    assert f"{BASE}/canh-bao/{toy.slug}" in text and "Sữa bột" not in text
    assert f"{BASE}/canh-bao?category=toys" in text
    html = alert.get_body(preferencelist=("html",)).get_content()
    assert f'href="{BASE}/canh-bao/{toy.slug}"' in html
    # Nothing new: nothing sent, however often cron runs.
    send(cli, "--immediate")
    send(cli)
    assert len(alerts_to(mail_server, "dan@example.vn")) == 1


def test_english_subscribers_get_english_mail_and_links(web, cli, mail_server):
    subscribed(web, mail_server, "anh@example.com", lang="en")
    item = create(warning_data(title="Cảnh báo bằng tiếng Việt", published_at=at(utc_now())))
    send(cli)
    [alert] = alerts_to(mail_server, "anh@example.com")
    assert alert["Subject"] == "New: Cảnh báo bằng tiếng Việt"
    assert alert["List-Unsubscribe"].startswith(f"<{BASE}/en/email-alerts/unsubscribe/")
    text = text_of(alert)
    assert "You receive this e-mail because you subscribed to" in text
    assert f"{BASE}/canh-bao/{item.slug}" in text  # the item in its own language


def test_drafts_and_unpublished_items_are_never_sent(web, cli, mail_server):
    subscribed(web, mail_server, "dan@example.vn")
    draft = create(warning_data(published_at=at(utc_now())))
    draft.status = "draft"
    review = create(warning_data(published_at=at(utc_now())))
    review.status = "review"
    db.session.commit()
    send(cli)
    assert alerts_to(mail_server, "dan@example.vn") == []


def test_a_scheduled_warning_is_sent_when_it_becomes_public(web, cli, mail_server):
    subscribed(web, mail_server, "dan@example.vn")
    start = utc_now()
    create(warning_data(title="Cảnh báo hẹn giờ", published_at=at(start + timedelta(hours=2))))
    send(cli)
    assert alerts_to(mail_server, "dan@example.vn") == []
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        send(cli)
    [alert] = alerts_to(mail_server, "dan@example.vn")
    assert "Cảnh báo hẹn giờ" in alert["Subject"]


def test_enforcement_results_follow_their_publication_window(web, cli, mail_server):
    subscribed(web, mail_server, "bao@example.vn", list_kind="sanctions", online="1")
    start = utc_now()
    create(sanction_data(title="Xử phạt trong thời hạn", published_at=at(start), published_until=at(start + timedelta(days=30))))
    create(sanction_data(title="Xử phạt không trên mạng", online=False, published_at=at(start),
                         published_until=at(start + timedelta(days=30))))
    create(sanction_data(title="Xử phạt mở sau", published_at=at(start), published_from=at(start + timedelta(hours=1)),
                         published_until=at(start + timedelta(days=30))))
    create(sanction_data(title="Xử phạt đã hết hạn công bố", published_at=at(start),
                         published_from=at(start + timedelta(minutes=30)), published_until=at(start + timedelta(hours=1))))
    send(cli)
    [first] = alerts_to(mail_server, "bao@example.vn")
    assert first["Subject"] == "Tin mới: Xử phạt trong thời hạn"
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        send(cli)
    subjects = [m["Subject"] for m in alerts_to(mail_server, "bao@example.vn")]
    # The window that opened in the meantime is sent; the one that opened and closed between two
    # runs never was public at a run, and is never sent.
    assert subjects == ["Tin mới: Xử phạt trong thời hạn", "Tin mới: Xử phạt mở sau"]
    text = text_of(alerts_to(mail_server, "bao@example.vn")[0])
    assert "15.000.000 ₫" in text


def test_a_translation_published_later_is_not_sent_again(web, cli, mail_server):
    subscribed(web, mail_server, "anh@example.com", lang="en")
    original = create(warning_data(slug="den-sac-chay-no", title="Đèn sạc cháy nổ", published_at=at(utc_now())))
    send(cli)
    assert len(alerts_to(mail_server, "anh@example.com")) == 1
    create(warning_data(slug="charging-lamp-fire", lang="en", title="Charging lamp fire", translation_of=original.slug,
                        published_at=at(utc_now())))
    send(cli)
    assert len(alerts_to(mail_server, "anh@example.com")) == 1


def test_a_daily_digest_collects_the_day_and_goes_once_at_the_hour(web, cli, mail_server, mail_app):
    mail_app.config["PORTAL_ALERTS_DIGEST_HOUR"] = 7
    day = datetime(2026, 12, 1, 10, 0, tzinfo=VN)
    with time_machine.travel(day, tick=False):
        subscribed(web, mail_server, "ngay@example.vn", frequency="daily")
        subscribed(web, mail_server, "ngay-ngay@example.vn", frequency="immediate")
    with time_machine.travel(day + timedelta(hours=1), tick=False):
        create(warning_data(title="Cảnh báo buổi trưa", published_at=at(day + timedelta(hours=1))))
        send(cli)
    with time_machine.travel(day + timedelta(hours=5), tick=False):
        create(warning_data(title="Cảnh báo buổi chiều", published_at=at(day + timedelta(hours=5))))
        send(cli)
    with time_machine.travel(day + timedelta(hours=20), tick=False):  # 06:00 the next day
        send(cli, "--digest")
    assert alerts_to(mail_server, "ngay@example.vn") == []
    assert len(alerts_to(mail_server, "ngay-ngay@example.vn")) == 2
    with time_machine.travel(day + timedelta(hours=21, minutes=5), tick=False):  # 07:05
        send(cli, "--digest")
        send(cli, "--digest")
    with time_machine.travel(day + timedelta(hours=23), tick=False):
        send(cli)
    [digest] = alerts_to(mail_server, "ngay@example.vn")
    assert digest["Subject"] == "Bản tin hằng ngày: 2 tin mới – Cảnh báo sản phẩm"
    text = text_of(digest)
    assert text.index("Cảnh báo buổi trưa") < text.index("Cảnh báo buổi chiều")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The next day's digest holds only what is new since.
    with time_machine.travel(day + timedelta(days=1, hours=2), tick=False):
        create(warning_data(title="Cảnh báo ngày hôm sau", published_at=at(day + timedelta(days=1, hours=2))))
    with time_machine.travel(day + timedelta(days=1, hours=21, minutes=1), tick=False):
        send(cli)
    digests = alerts_to(mail_server, "ngay@example.vn")
    assert len(digests) == 2 and digests[1]["Subject"] == "Bản tin hằng ngày: 1 tin mới – Cảnh báo sản phẩm"


def test_a_withdrawn_list_filter_only_sends_withdrawn_warnings(web, cli, mail_server):
    subscribed(web, mail_server, "rut@example.vn", status="active", risk_level="serious")
    create(warning_data(title="Nghiêm trọng", risk_level="serious", published_at=at(utc_now())))
    create(warning_data(title="Thấp", risk_level="low", published_at=at(utc_now())))
    create(warning_data(title="Đã rút", risk_level="serious", status="withdrawn", withdrawn_reason="Nhầm lẫn.",
                        published_at=at(utc_now())))
    send(cli)
    [alert] = alerts_to(mail_server, "rut@example.vn")
    assert alert["Subject"] == "Tin mới: Nghiêm trọng"


def test_many_new_items_go_in_bounded_messages_and_none_is_lost(web, cli, mail_server):
    subscribed(web, mail_server, "nhieu@example.vn")
    start = utc_now()
    for n in range(sending.IMMEDIATE_LIMIT + 5):
        create(warning_data(title=f"Cảnh báo loạt {n:02d}", published_at=at(start + timedelta(seconds=n))))
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        send(cli)
        send(cli)
    alerts = alerts_to(mail_server, "nhieu@example.vn")
    assert [a["Subject"] for a in alerts] == [f"{sending.IMMEDIATE_LIMIT} tin mới – Cảnh báo sản phẩm",
                                              "5 tin mới – Cảnh báo sản phẩm"]
    sent = db.session.execute(sa.select(sa.func.count()).select_from(AlertSent)).scalar_one()
    assert sent == sending.IMMEDIATE_LIMIT + 5
    titles = "".join(text_of(a) for a in alerts)
    assert all(f"Cảnh báo loạt {n:02d}" in titles for n in range(sending.IMMEDIATE_LIMIT + 5))


def test_an_item_committed_after_a_run_with_an_earlier_time_is_still_sent_once(web, cli, mail_server):
    subscribed(web, mail_server, "tre@example.vn")
    start = utc_now()
    with time_machine.travel(start + timedelta(minutes=2), tick=False):
        send(cli)
    # Published "at" a moment before that run, committed after it (a slow transaction).
    create(warning_data(title="Giao dịch chậm", published_at=at(start + timedelta(minutes=1))))
    with time_machine.travel(start + timedelta(minutes=7), tick=False):
        send(cli)
        send(cli)
    assert [m["Subject"] for m in alerts_to(mail_server, "tre@example.vn")] == ["Tin mới: Giao dịch chậm"]


def test_two_senders_at_once_send_each_item_once(web, mail_server, mail_app):
    for n in range(4):
        subscribed(web, mail_server, f"dongthoi{n}@example.vn")
    for n in range(3):
        create(warning_data(title=f"Cảnh báo đồng thời {n}", published_at=at(utc_now())))
    now = utc_now() + timedelta(seconds=1)
    barrier = threading.Barrier(2)
    reports, failures = [], []

    def run() -> None:
        try:
            with mail_app.app_context():
                barrier.wait(timeout=10)
                reports.append(sending.send(IMMEDIATE, now))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert sum(r.messages for r in reports) == 4
    # Each subscription was claimed by one sender first; the other found it taken or found
    # nothing left to send (its ledger rows were there).
    assert sum(r.skipped for r in reports) + sum(r.subscriptions for r in reports) == 8
    deliver()
    for n in range(4):
        [alert] = alerts_to(mail_server, f"dongthoi{n}@example.vn")
        assert alert["Subject"] == "3 tin mới – Cảnh báo sản phẩm"
    assert db.session.execute(sa.select(sa.func.count()).select_from(AlertSent)).scalar_one() == 12


def test_the_ledger_refuses_a_second_row_for_one_item(web, mail_server):
    subscribed(web, mail_server, "so@example.vn")
    subscription = db.session.execute(sa.select(AlertSubscription)).scalar_one()
    warning = create(warning_data())
    db.session.add(AlertSent(subscription_id=subscription.id, item_type="warning", item_root=warning.id, item_id=warning.id))
    db.session.commit()
    db.session.add(AlertSent(subscription_id=subscription.id, item_type="warning", item_root=warning.id, item_id=warning.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_send_needs_the_base_url(app):
    result = app.test_cli_runner().invoke(args=["alerts", "send"])
    assert result.exit_code != 0 and "PORTAL_BASE_URL" in result.output


def test_alerts_queue_through_the_outbox_with_a_dedupe_key(web, cli, mail_server):
    subscribed(web, mail_server, "khoa@example.vn")
    warning = create(warning_data(published_at=at(utc_now())))
    send(cli, "--no-deliver")
    row = db.session.execute(sa.select(OutgoingMail).where(OutgoingMail.dedupe_key.is_not(None))).scalar_one()
    assert row.dedupe_key.startswith("alert:") and row.dedupe_key.endswith(f":warning:{warning.id}")
    assert row.sent_at is None and alerts_to(mail_server, "khoa@example.vn") == []


def test_a_bad_digest_hour_is_refused_with_its_name(cli, mail_app):
    mail_app.config["PORTAL_ALERTS_DIGEST_HOUR"] = "25"
    result = cli.invoke(args=["alerts", "send"])
    assert result.exit_code != 0 and "PORTAL_ALERTS_DIGEST_HOUR" in result.output
