"""The handlers' queue in the admin: roles, transitions, assignment, notes, links, export, files."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from portal.complaints import handling, queue
from portal.complaints.models import Complaint
from portal.content import workflow
from portal.content.models import AuditEntry, Warning, utcnow
from portal.content.permissions import PermissionDenied
from portal.extensions import db
from tests.admin.helpers import login, make_user
from tests.complaints.helpers import file_complaint, handler, handler_client, latest, pdf_bytes, png_bytes
from tests.factories import sanction_data


@pytest.fixture
def filed(client):
    assert file_complaint(client, files=[(io.BytesIO(png_bytes()), "anh.png"),
                                         (io.BytesIO(pdf_bytes()), "hoa-don.pdf")]).status_code == 303
    return latest()


def _post(client, complaint, step, **data):
    return client.post(f"/admin/complaints/{complaint.id}/{step}", data={"version": str(complaint.version), **data})


@pytest.mark.parametrize("role", ["editor", "publisher", "enforcement", "admin"])
def test_other_roles_are_turned_away_from_every_page(app, filed, role):
    client = app.test_client()
    user = make_user(role)
    assert login(client, user).status_code == 302
    attachment = filed.attachments[0]
    for url in ("/admin/complaints/", f"/admin/complaints/{filed.id}", "/admin/complaints/export.csv",
                f"/admin/complaints/{filed.id}/files/{attachment.id}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Nguyễn Thị Lan" not in response.get_data(as_text=True)
    for step in ("status", "assign", "note", "message", "link", "warning"):
        assert _post(client, filed, step, status="resolved", text="x").status_code == 403
    assert latest().status == "received" and len(latest().events) == 1
    assert "/admin/complaints/" not in client.get("/admin/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_login(client, filed):
    for url in ("/admin/complaints/", f"/admin/complaints/{filed.id}"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_services_check_the_role_themselves(app, filed):
    editor = make_user("editor")
    with pytest.raises(PermissionDenied):
        handling.change_status(editor, filed, "resolved", filed.version)
    with pytest.raises(PermissionDenied):
        queue.select(editor, queue.QueueFilters())


def test_a_handler_needs_a_second_factor(app):
    user = handler()
    assert user.totp_secret  # enrolled by the helper because the role requires it
    from portal.admin import twofactor

    assert twofactor.required_for(user)


def test_the_handler_sees_the_queue_and_the_whole_complaint(app, filed):
    client, _ = handler_client(app)
    listing = client.get("/admin/complaints/")
    assert listing.status_code == 200 and filed.code[:5] in listing.get_data(as_text=True)
    assert "no-store" in listing.headers["Cache-Control"]
    assert "/admin/complaints/" in client.get("/admin/").get_data(as_text=True)  # the menu link
    page = client.get(f"/admin/complaints/{filed.id}").get_data(as_text=True)
    for text in ("Nguyễn Thị Lan", "lan@example.vn", "0912345678", "5 Tô Hiệu", "quá hạn sử dụng hai tuần",
                 "anh.png", "hoa-don.pdf"):
        assert text in page, text


def test_attachments_are_served_to_handlers_only_and_never_publicly(app, client, filed):
    handler_web, _ = handler_client(app)
    image, pdf = filed.attachments
    response = handler_web.get(f"/admin/complaints/{filed.id}/files/{image.id}")
    response.close()
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "no-store" in response.headers["Cache-Control"] and "sandbox" in response.headers["Content-Security-Policy"]
    response = handler_web.get(f"/admin/complaints/{filed.id}/files/{pdf.id}")
    assert response.get_data() == pdf_bytes()
    response.close()
    assert response.mimetype == "application/pdf" and "attachment" in response.headers["Content-Disposition"]
    assert handler_web.get(f"/admin/complaints/{filed.id}/files/99999").status_code == 404
    stem = image.stored_name.split(".")[0]
    for url in (f"/media/complaint-files/{image.stored_name}", f"/media/{stem}/w320.jpg",
                f"/static/../media/complaint-files/{image.stored_name}"):
        assert client.get(url).status_code == 404


def test_allowed_moves_to_resolved_are_audited(app, filed):
    client, officer = handler_client(app)
    for status in ("forwarded", "in_progress", "resolved"):
        complaint = db.session.get(Complaint, filed.id)
        response = _post(client, complaint, "status", status=status)
        assert response.status_code == 302
        assert "flash--success" in client.get(response.headers["Location"]).get_data(as_text=True)
        db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    assert complaint.status == "resolved" and complaint.closed_at is not None and complaint.due_at is None
    moves = db.session.execute(db.select(AuditEntry).filter_by(action="complaint.status")
                               .order_by(AuditEntry.id)).scalars().all()
    assert [(m.detail["from"], m.detail["to"]) for m in moves] == [
        ("received", "forwarded"), ("forwarded", "in_progress"), ("in_progress", "resolved")]
    assert all(m.actor_id == officer.id and "lan@example.vn" not in str(m.detail) for m in moves)


def test_refused_moves_change_nothing(app, filed):
    officer = handler()
    with pytest.raises(handling.HandlingError):
        handling.change_status(officer, filed, "resolved", filed.version)  # received -> resolved is not allowed
    with pytest.raises(handling.HandlingError):
        handling.change_status(officer, filed, "rejected", filed.version, reason="  ")  # a reason is required
    with pytest.raises(handling.HandlingError):
        handling.change_status(officer, filed, "nonsense", filed.version)
    db.session.rollback()
    handling.change_status(officer, filed, "rejected", filed.version, reason="Trùng với phản ánh trước.")
    db.session.commit()
    with pytest.raises(handling.HandlingError):
        handling.change_status(officer, filed, "in_progress", filed.version)  # closed stays closed


def test_a_stale_page_is_refused(app, filed):
    client, _ = handler_client(app)
    stale = filed.version
    assert _post(client, filed, "note", text="Gọi điện cho người phản ánh.").status_code == 302
    response = client.post(f"/admin/complaints/{filed.id}/status", data={"version": str(stale), "status": "forwarded"})
    assert "vừa được người khác thay đổi" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Complaint, filed.id).status == "received"


def test_assignment_notes_and_due_dates(app, filed):
    client, officer = handler_client(app)
    other = handler("canbo2@example.vn")
    editor = make_user("editor")
    _post(client, filed, "assign", org="Chi cục Quản lý thị trường", officer=str(other.id))
    db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    assert (complaint.assigned_org, complaint.assigned_to_id) == ("Chi cục Quản lý thị trường", other.id)
    response = _post(client, complaint, "assign", org="X", officer=str(editor.id))
    assert "phải là cán bộ xử lý phản ánh" in client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    _post(client, complaint, "note", text="Đã gọi điện, hẹn kiểm tra.")
    db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    assert complaint.events[-1].kind == "note" and not complaint.events[-1].public
    assert complaint.due_at - complaint.status_changed_at == timedelta(days=app.config["COMPLAINT_DUE_DAYS"]["received"])
    complaint.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    overdue = client.get("/admin/complaints/?status=open&overdue=1").get_data(as_text=True)
    assert "Quá hạn" in overdue and complaint.code[:5] in overdue
    mine = client.get("/admin/complaints/?status=open&mine=1").get_data(as_text=True)
    assert complaint.code[:5] not in mine  # assigned to the other handler


def test_due_days_come_from_the_setting(monkeypatch):
    from portal.complaints.settings import parse_due_days

    assert parse_due_days("received=2, in_progress=45") == {"received": 2, "forwarded": 15, "in_progress": 45}
    for bad in ("received=0", "resolved=3", "received=abc"):
        with pytest.raises(ValueError):
            parse_due_days(bad)


def test_a_report_becomes_a_warning_draft_without_personal_data(app, filed):
    client, officer = handler_client(app)
    response = _post(client, filed, "warning")
    assert response.status_code == 302
    db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    warning = db.session.get(Warning, complaint.warning_id)
    assert warning.status == "draft" and warning.product_name == "Sữa tươi hộp 1 lít"
    assert warning.category == "food"
    dumped = repr(workflow.working_data(warning))
    for personal in ("Nguyễn Thị Lan", "lan@example.vn", "quá hạn sử dụng", "Tô Hiệu"):
        assert personal not in dumped
    editor = make_user("editor")
    editor_client = app.test_client()
    login(editor_client, editor)
    assert editor_client.get(f"/admin/warnings/{warning.id}").status_code == 200  # the editors take it on
    assert client.get("/canh-bao/" + warning.slug).status_code == 404  # a draft is not public


def test_a_complaint_links_to_an_enforcement_result(app, filed):
    client, _ = handler_client(app)
    sanction = workflow.record_sanction(make_user("enforcement"), {**sanction_data(), "published_at": None})
    db.session.commit()
    _post(client, filed, "link", sanction_id=str(sanction.id))
    db.session.expire_all()
    complaint = db.session.get(Complaint, filed.id)
    assert complaint.sanction_id == sanction.id
    response = _post(client, complaint, "link", sanction_id="999999")
    assert "Không có kết quả xử lý vi phạm" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_export_has_no_personal_data(app, filed):
    client, _ = handler_client(app)
    response = client.get("/admin/complaints/export.csv?status=")
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Mã theo dõi" and rows[1][0] == filed.code and len(rows) == 2
    workbook = load_workbook(io.BytesIO(client.get("/admin/complaints/export.xlsx?status=").get_data()))
    cells = " ".join(str(c.value) for row in workbook.active.iter_rows() for c in row)
    for personal in ("Nguyễn Thị Lan", "lan@example.vn", "0912345678", "Tô Hiệu", "quá hạn sử dụng",
                     "Minh Anh", "Lạch Tray", "anh.png"):
        assert personal not in text and personal not in cells, personal


def test_the_queue_is_paginated(app, client):
    app.config["COMPLAINT_FILINGS_PER_HOUR"] = 1000
    for n in range(queue.PER_PAGE + 3):
        db.session.add(Complaint(code=f"TEST{n:05d}A"[:10], kind="report", sector="food", month="2026-11",
                                 status="received", created_at=utcnow() - timedelta(minutes=n)))
    db.session.commit()
    handler_web, _ = handler_client(app)
    first = handler_web.get("/admin/complaints/").get_data(as_text=True)
    assert first.count("/admin/complaints/") >= queue.PER_PAGE and "Trang 1 / 2" in first
    second = handler_web.get("/admin/complaints/?page=2").get_data(as_text=True)
    assert len(re.findall(r'href="/admin/complaints/\d+"', second)) == 3
    assert handler_web.get("/admin/complaints/?page=abc&status=zzz").status_code == 200
