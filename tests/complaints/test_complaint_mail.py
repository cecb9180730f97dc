"""E-mails to the person, delivered to a real SMTP server in process (aiosmtpd)."""
from __future__ import annotations

from portal import mail
from portal.complaints import codes, handling
from portal.extensions import db
from portal.mail.models import OutgoingMail
from tests.complaints.helpers import file_complaint, filed_code, handler, handler_client, latest


def _deliver(app, mail_server):
    app.config.update(PORTAL_SMTP_URL=mail_server.url, PORTAL_MAIL_FROM="phananh@haiphong.example.vn")
    report = mail.deliver_pending()
    assert report.failed == 0
    return mail_server.messages


def test_filing_sends_an_acknowledgment_with_the_code(app, client, mail_server):
    code = filed_code(client)
    messages = _deliver(app, mail_server)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "lan@example.vn" and code in message["Subject"]
    body = message.get_content()
    assert code in body and "/phan-anh/tra-cuu" in body and "1800 6838" in body
    assert "quá hạn sử dụng" not in body and "Nguyễn Thị Lan" not in body  # no personal data echoed back


def test_the_acknowledgment_is_in_the_language_of_the_form(app, client, mail_server):
    code = filed_code(client, path="/en/complaints")
    message = _deliver(app, mail_server)[0]
    assert message["Subject"] == f"Report {code} received"
    assert "/en/complaints/status" in message.get_content()


def test_no_mail_without_an_email_address(app, client, mail_server):
    file_complaint(client, contact_email="")
    assert db.session.execute(db.select(db.func.count(OutgoingMail.id))).scalar_one() == 0
    assert _deliver(app, mail_server) == []


def test_a_status_change_and_a_message_reach_the_person(app, client, mail_server):
    code = filed_code(client)
    web, _ = handler_client(app)
    complaint = latest()
    web.post(f"/admin/complaints/{complaint.id}/status", data={"version": str(complaint.version), "status": "forwarded"})
    db.session.expire_all()
    complaint = latest()
    web.post(f"/admin/complaints/{complaint.id}/message",
             data={"version": str(complaint.version), "text": "Chi cục đã hẹn kiểm tra cửa hàng vào thứ Hai."})
    messages = _deliver(app, mail_server)
    subjects = [m["Subject"] for m in messages]
    assert subjects == [f"Đã tiếp nhận phản ánh {code}",
                        f"Phản ánh {code}: Đã chuyển cơ quan có thẩm quyền",
                        f"Thông tin về phản ánh {code}"]
    assert "thứ Hai" in messages[2].get_content()


def test_a_rejection_carries_its_reason(app, client, mail_server):
    filed_code(client)
    complaint = latest()
    handling.change_status(handler(), complaint, "rejected", complaint.version, reason="Vụ việc đã được tòa án thụ lý.")
    db.session.commit()
    body = _deliver(app, mail_server)[-1].get_content()
    assert "Không tiếp nhận" in body and "Vụ việc đã được tòa án thụ lý." in body


def test_a_failed_commit_sends_nothing(app, client, mail_server):
    filed_code(client)
    complaint = latest()
    officer = handler()
    before = db.session.execute(db.select(db.func.count(OutgoingMail.id))).scalar_one()
    handling.change_status(officer, complaint, "forwarded", complaint.version)
    db.session.rollback()
    assert db.session.execute(db.select(db.func.count(OutgoingMail.id))).scalar_one() == before
    assert [m["Subject"] for m in _deliver(app, mail_server)] == [f"Đã tiếp nhận phản ánh {codes.display(complaint.code)}"]
