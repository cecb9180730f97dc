"""One-click unsubscribe (RFC 8058) and the manage page reached by a signed link."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import time_machine

from portal.alerts.models import AlertSent, AlertSubscription
from portal.extensions import db
from tests.factories import create, warning_data

from .conftest import confirm_from_mail, deliver, links, local_path, subscribe

VN = timezone(timedelta(hours=7))


def subscribed(web, mail_server, email: str, **options) -> None:
    assert subscribe(web, email, **options).status_code == 200
    assert confirm_from_mail(web, mail_server, email).status_code == 200


def first_alert(web, cli, mail_server, email: str):
    create(warning_data(published_at=datetime.now(timezone.utc).astimezone(VN).isoformat()))
    assert cli.invoke(args=["alerts", "send"]).exit_code == 0
    return [m for m in mail_server.to(email) if m["List-Unsubscribe"]][-1]


def count(model) -> int:
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar_one()


def test_one_click_post_unsubscribes_without_session_or_csrf_token(web, cli, mail_server, mail_app):
    subscribed(web, mail_server, "huy@example.vn")
    alert = first_alert(web, cli, mail_server, "huy@example.vn")
    url = local_path(alert["List-Unsubscribe"].strip("<>"))
    mail_app.config["WTF_CSRF_ENABLED"] = True  # as in production
    fresh = mail_app.test_client()  # no cookie, no session: a mail provider's POST
    response = fresh.post(url, data="List-Unsubscribe=One-Click",
                          content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Đã hủy đăng ký" in response.get_data(as_text=True)
    assert count(AlertSubscription) == 0 and count(AlertSent) == 0  # nothing of the address is kept
    again = fresh.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert again.status_code == 404 and "Không tìm thấy đăng ký" in again.get_data(as_text=True)


def test_only_the_unsubscribe_route_is_exempt_from_csrf(web, mail_app):
    mail_app.config["WTF_CSRF_ENABLED"] = True
    response = mail_app.test_client().post("/nhan-tin-qua-email", data={
        "email": "csrf@example.vn", "frequency": "immediate", "list": "warnings"})
    assert response.status_code == 400
    assert count(AlertSubscription) == 0


def test_opening_the_unsubscribe_link_only_asks(web, cli, mail_server):
    subscribed(web, mail_server, "hoi@example.vn", category="toys")
    alert = first_alert(web, cli, mail_server, "hoi@example.vn")
    url = local_path(alert["List-Unsubscribe"].strip("<>"))
    page = web.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hủy đăng ký nhận tin" in body and "Đồ chơi" in body
    assert 'method="post"' in body
    assert "no-store" in page.headers["Cache-Control"] and page.headers["Referrer-Policy"] == "no-referrer"
    assert count(AlertSubscription) == 1
    assert web.get(url.rsplit("/", 1)[0] + "/khong-co-token-nay").status_code == 404


def test_unsubscribed_addresses_get_nothing_more(web, cli, mail_server):
    subscribed(web, mail_server, "thoi@example.vn")
    alert = first_alert(web, cli, mail_server, "thoi@example.vn")
    web.post(local_path(alert["List-Unsubscribe"].strip("<>")))
    first_alert(web, cli, mail_server, "thoi@example.vn")
    assert len([m for m in mail_server.to("thoi@example.vn") if m["List-Unsubscribe"]]) == 1


def manage_url(web, mail_server, email: str) -> str:
    response = web.post("/nhan-tin-qua-email/quan-ly", data={"email": email})
    assert response.status_code == 200
    deliver()
    message = mail_server.to(email)[-1]
    assert message["Subject"] == "Quản lý đăng ký nhận tin qua e-mail"
    [url] = links(message, "/quan-ly/")
    return local_path(url)


def test_the_manage_page_shows_only_the_addresss_own_subscriptions(web, mail_server):
    subscribed(web, mail_server, "quanly@example.vn", category="toys")
    subscribe(web, "quanly@example.vn", list_kind="sanctions", frequency="daily")
    subscribed(web, mail_server, "nguoikhac@example.vn", category="food")
    url = manage_url(web, mail_server, "quanly@example.vn")
    page = web.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and "Các đăng ký nhận tin của bạn" in body
    assert "Đồ chơi" in body and "Kết quả xử lý vi phạm" in body and "Chưa xác nhận" in body
    assert "Thực phẩm" not in body and "nguoikhac" not in body
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_manage_changes_frequency_and_unsubscribes(web, mail_server):
    subscribed(web, mail_server, "doi@example.vn", category="toys")
    subscribed(web, mail_server, "doi@example.vn", category="food")
    subscribed(web, mail_server, "khac@example.vn")
    url = manage_url(web, mail_server, "doi@example.vn")
    mine = db.session.execute(sa.select(AlertSubscription).where(AlertSubscription.address == "doi@example.vn")
                              .order_by(AlertSubscription.id)).scalars().all()
    other = db.session.execute(sa.select(AlertSubscription.id).where(
        AlertSubscription.address == "khac@example.vn")).scalar_one()
    response = web.post(url, data={"subscription": str(mine[0].id), "action": "frequency", "frequency": "daily"})
    assert response.status_code == 303
    assert "Đã đổi tần suất" in web.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(AlertSubscription, mine[0].id).frequency == "daily"
    # Another address's subscription cannot be reached through this link.
    refused = web.post(url, data={"subscription": str(other), "action": "unsubscribe"})
    assert refused.status_code == 400 and "Không tìm thấy đăng ký này" in refused.get_data(as_text=True)
    bad = web.post(url, data={"subscription": str(mine[0].id), "action": "frequency", "frequency": "weekly"})
    assert bad.status_code == 400
    assert web.post(url, data={"subscription": str(mine[1].id), "action": "unsubscribe"}).status_code == 303
    assert web.post(url, data={"action": "unsubscribe-all"}).status_code == 303
    db.session.expire_all()
    assert db.session.execute(sa.select(AlertSubscription.address)).scalars().all() == ["khac@example.vn"]


def test_manage_links_expire_and_cannot_be_forged(web, mail_server):
    subscribed(web, mail_server, "han@example.vn")
    url = manage_url(web, mail_server, "han@example.vn")
    with time_machine.travel(datetime.now(timezone.utc) + timedelta(days=31), tick=False):
        response = web.get(url)
        assert response.status_code == 410 and "Liên kết đã hết hạn" in response.get_data(as_text=True)
    from itsdangerous import URLSafeTimedSerializer
    import hashlib

    forged = URLSafeTimedSerializer("guess", salt="portal.alerts.manage").dumps(
        {"a": hashlib.sha256(b"han@example.vn").hexdigest()})
    response = web.get("/nhan-tin-qua-email/quan-ly/" + forged)
    assert response.status_code == 404 and "Liên kết không hợp lệ" in response.get_data(as_text=True)
    assert web.post("/nhan-tin-qua-email/quan-ly/" + forged, data={"action": "unsubscribe-all"}).status_code == 404
    assert count(AlertSubscription) == 1


def test_asking_for_an_unknown_addresss_manage_link_looks_the_same_and_sends_nothing(web, mail_server):
    known = web.post("/nhan-tin-qua-email/quan-ly", data={"email": "khongco@example.vn"})
    assert known.status_code == 200 and "Nếu địa chỉ này có đăng ký" in known.get_data(as_text=True)
    deliver()
    assert mail_server.to("khongco@example.vn") == []
