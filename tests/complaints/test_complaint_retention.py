"""`flask complaints purge`: personal data of closed complaints goes after the retention period."""
from __future__ import annotations

import io
from datetime import timedelta

from portal.complaints import attachments, handling
from portal.complaints.models import Complaint
from portal.complaints.stats import complaint_stats
from portal.content.models import AuditEntry, utcnow
from portal.extensions import db
from tests.complaints.helpers import file_complaint, handler, latest, png_bytes


def _closed(client, days_ago: int, status: str = "resolved") -> Complaint:
    assert file_complaint(client, files=[(io.BytesIO(png_bytes()), "anh.png")]).status_code == 303
    complaint = latest()
    officer = handler(f"canbo{complaint.id}@example.vn")
    if status == "resolved":
        handling.change_status(officer, complaint, "in_progress", complaint.version)
        handling.change_status(officer, complaint, "resolved", complaint.version)
    elif status == "rejected":
        handling.change_status(officer, complaint, "rejected", complaint.version, reason="Lý do riêng tư")
    handling.add_note(officer, complaint, "Ghi chú có tên Nguyễn Thị Lan", complaint.version)
    if complaint.closed_at:
        complaint.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return complaint


def test_purge_erases_personal_data_and_files_but_keeps_statistics(app, client, runner):
    app.config["COMPLAINT_RETENTION_DAYS"] = 30
    old = _closed(client, days_ago=40)
    old_file = attachments.path_of(old.attachments[0].stored_name)
    recent = _closed(client, days_ago=10)
    still_open = _closed(client, days_ago=0, status="open")
    rejected = _closed(client, days_ago=400, status="rejected")
    before = complaint_stats()

    result = runner.invoke(args=["complaints", "purge"])
    assert result.exit_code == 0, result.output
    assert "erased personal data of 2 complaint(s)" in result.output and "(2 attachment file(s))" in result.output

    db.session.expire_all()
    for complaint_id in (old.id, rejected.id):
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint.purged_at is not None and complaint.attachments == []
        for field in ("contact_name", "contact_email", "contact_phone", "contact_address", "description",
                      "wanted", "business_address", "happened_where", "rejection_reason"):
            assert getattr(complaint, field) == "", field
        assert all(event.text == "" for event in complaint.events)
        assert (complaint.kind, complaint.sector, complaint.month) == ("complaint", "food", complaint.month)
    assert not old_file.exists()
    for complaint_id in (recent.id, still_open.id):
        complaint = db.session.get(Complaint, complaint_id)
        assert complaint.purged_at is None and complaint.contact_email == "lan@example.vn"
        assert attachments.path_of(complaint.attachments[0].stored_name) is not None
    assert complaint_stats() == before  # the statistics rows stay
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="complaint.purge")).scalar_one()
    assert sorted(entry.detail["ids"]) == sorted([old.id, rejected.id]) and entry.actor_label == "cli"


def test_a_dry_run_changes_nothing(app, client, runner):
    app.config["COMPLAINT_RETENTION_DAYS"] = 30
    old = _closed(client, days_ago=40)
    result = runner.invoke(args=["complaints", "purge", "--dry-run"])
    assert result.exit_code == 0 and "would erase personal data of 1 complaint(s)" in result.output
    db.session.expire_all()
    complaint = db.session.get(Complaint, old.id)
    assert complaint.purged_at is None and complaint.contact_email == "lan@example.vn"
    assert attachments.path_of(complaint.attachments[0].stored_name) is not None
    assert db.session.execute(db.select(AuditEntry).filter_by(action="complaint.purge")).first() is None


def test_a_purged_complaint_cannot_be_looked_up_and_shows_as_purged(app, client, runner):
    app.config["COMPLAINT_RETENTION_DAYS"] = 1
    old = _closed(client, days_ago=5)
    code = old.code
    runner.invoke(args=["complaints", "purge"])
    assert client.post("/phan-anh/tra-cuu", data={"code": code, "contact": "lan@example.vn"}).status_code == 404
    from tests.admin.helpers import login

    web = app.test_client()
    login(web, handler("xem@example.vn"))
    page = web.get(f"/admin/complaints/{old.id}").get_data(as_text=True)
    assert "đã được xóa theo thời hạn lưu trữ" in page and "Nguyễn Thị Lan" not in page


def test_backups_hold_the_complaint_tables_and_files(app, client, tmp_path):
    from portal.backup import archive
    from portal.backup.create import media_files

    names = {table.name for table in archive.tables()}
    assert {"complaint", "complaint_attachment", "complaint_event"} <= names
    assert "complaint_attempt" not in names  # rate-limit rows (client addresses) are transient, like login failures
    _closed(client, days_ago=0, status="open")
    stored = attachments.path_of(latest().attachments[0].stored_name)
    assert stored in media_files(attachments.files_dir().parent)
