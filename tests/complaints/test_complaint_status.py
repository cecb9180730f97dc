"""The public status page: the code with the e-mail or phone given; one answer for every miss."""
from __future__ import annotations

from portal.complaints import handling
from portal.extensions import db
from tests.complaints.helpers import file_complaint, filed_code, handler, latest

NOT_FOUND = "Không tìm thấy phản ánh khớp với mã và thông tin liên hệ này"


def _lookup(client, code, contact, path="/phan-anh/tra-cuu"):
    return client.post(path, data={"code": code, "contact": contact})


def test_the_code_with_the_email_or_the_phone_shows_the_status(client):
    code = filed_code(client)
    for contact in ("lan@example.vn", "LAN@example.vn ", "0912345678", "+84 912 345 678"):
        response = _lookup(client, code.lower().replace("-", " "), contact)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, contact
        assert f"Phản ánh {code}" in page and "Đã tiếp nhận" in page
        assert "no-store" in response.headers["Cache-Control"]


def test_the_status_page_shows_public_steps_not_internal_notes(client):
    code = filed_code(client)
    officer = handler()
    complaint = latest()
    handling.add_note(officer, complaint, "GHI-CHU-NOI-BO-kin", complaint.version)
    handling.change_status(officer, complaint, "rejected", complaint.version, reason="Không thuộc thẩm quyền của Sở.")
    db.session.commit()
    page = _lookup(client, code, "lan@example.vn").get_data(as_text=True)
    assert "Không tiếp nhận" in page and "Không thuộc thẩm quyền của Sở." in page
    assert "GHI-CHU-NOI-BO-kin" not in page and "canbo@example.vn" not in page


def test_wrong_pairs_get_one_generic_answer(client):
    code = filed_code(client)
    other = filed_code(client, contact_email="minh@example.vn", contact_phone="0987654321")
    answers = set()
    for typed, contact in ((code, "minh@example.vn"), (code, "0987654321"), (other, "lan@example.vn"),
                           ("ABCDE-FGHJK", "lan@example.vn"), (code, ""), ("", "lan@example.vn"),
                           (code[:-1] + ("2" if code[-1] != "2" else "3"), "lan@example.vn")):
        response = _lookup(client, typed, contact)
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert NOT_FOUND in page and "Nguyễn Thị Lan" not in page
        answers.add(page.replace(typed, "").count("Đã tiếp nhận"))
    assert answers == {0}


def test_anonymous_reports_cannot_be_looked_up(client):
    file_complaint(client, kind="report", contact_name="", contact_email="", contact_phone="", contact_address="")
    assert _lookup(client, latest().code, "").status_code == 404


def test_misses_are_rate_limited_but_the_owner_is_not_slowed_by_hits(client, app):
    app.config["COMPLAINT_FAILED_LOOKUPS_PER_HOUR"] = 3
    code = filed_code(client)
    for _ in range(5):
        assert _lookup(client, code, "lan@example.vn").status_code == 200  # hits do not count
    for _ in range(3):
        assert _lookup(client, "ABCDE-FGHJK", "x@example.vn").status_code == 404
    refused = _lookup(client, code, "lan@example.vn")
    assert refused.status_code == 429 and "quá nhiều lượt" in refused.get_data(as_text=True)


def test_the_english_status_page(client):
    code = filed_code(client, path="/en/complaints")
    page = _lookup(client, code, "lan@example.vn", path="/en/complaints/status").get_data(as_text=True)
    assert f"Report {code}" in page and "Received" in page
    assert "No report matches" in _lookup(client, "ABCDE-FGHJK", "x@y.vn", "/en/complaints/status").get_data(as_text=True)
