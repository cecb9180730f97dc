"""The public complaint form: good and bad input, attachments, honeypot, limits."""
from __future__ import annotations

import io

from PIL import Image

from portal.complaints import attachments, codes
from portal.complaints.models import Complaint, ComplaintAttachment
from portal.content.models import AuditEntry
from portal.extensions import db
from tests.complaints.helpers import (complaint_form, file_complaint, filed_code, latest, pdf_bytes, png_bytes,
                                      raw_post)


def _count() -> int:
    return db.session.execute(db.select(db.func.count(Complaint.id))).scalar_one()


def test_form_renders_in_both_languages_without_javascript(client):
    vi = client.get("/phan-anh")
    assert vi.status_code == 200 and "no-store" in vi.headers["Cache-Control"]
    page = vi.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="csrf_token"' in page
    assert "Thông tin cá nhân của bạn" in page and 'name="consent"' in page
    en = client.get("/en/complaints").get_data(as_text=True)
    assert "Your personal data" in en and "File a report or complaint" in en


def test_a_complaint_is_filed_with_a_tracking_code(client):
    code = filed_code(client)
    complaint = latest()
    assert codes.display(complaint.code) == code and codes.normalise(code) == complaint.code
    assert complaint.status == "received" and complaint.due_at is not None
    assert complaint.contact_phone == "0912345678" and complaint.contact_email == "lan@example.vn"
    assert complaint.events[0].kind == "filed"
    assert db.session.execute(db.select(AuditEntry).filter_by(action="complaint.filed")).scalar_one()


def test_the_acknowledgment_page_shows_the_code_once(client):
    response = file_complaint(client)
    first = client.get(response.headers["Location"])
    assert "Mã theo dõi của bạn" in first.get_data(as_text=True)
    again = client.get(response.headers["Location"])
    assert again.status_code == 303  # the code is not kept in the session for anyone else to read


def test_a_report_may_be_anonymous(client):
    response = file_complaint(client, kind="report", contact_name="", contact_email="", contact_phone="",
                              contact_address="", wanted="")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "không thể tra cứu" in page
    assert latest().contact_email == "" and latest().kind == "report"


def test_a_complaint_needs_contact_details_and_loses_nothing(client):
    response = file_complaint(client, contact_name="", contact_email="", contact_phone="", contact_address="",
                              wanted="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and _count() == 0
    for message in ("Khiếu nại cần họ tên", "Khiếu nại cần e-mail hoặc số điện thoại", "Khiếu nại cần địa chỉ",
                    "mong muốn được giải quyết"):
        assert message in page
    assert "Cửa hàng Tạp hóa Minh Anh" in page and "quá hạn sử dụng hai tuần" in page  # typed text kept


def test_bad_values_get_clear_messages(client):
    response = file_complaint(client, contact_email="khong-phai-email", contact_phone="12ab",
                              happened_on="2026-13-45", sector="tau-vu-tru", description="ngắn", consent=None)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and _count() == 0
    for message in ("Địa chỉ e-mail không hợp lệ", "Số điện thoại không hợp lệ", "Ngày không hợp lệ",
                    "Hãy chọn lĩnh vực", "Hãy mô tả sự việc", "Hãy đánh dấu đồng ý"):
        assert message in page
    assert 'aria-invalid="true"' in page


def test_future_dates_and_overlong_text_are_refused(client):
    response = file_complaint(client, happened_on="2999-01-01", product="x" * 301)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "không thể ở tương lai" in page and "dài quá 300" in page


def test_control_characters_are_removed_not_stored(client):
    assert file_complaint(client, description="Sữa\x00 hỏng\x07 và\x0bchua, đã mua hôm qua ở chợ.").status_code == 303
    assert latest().description == "Sữa hỏng và chua, đã mua hôm qua ở chợ."


def test_english_form_files_in_english(client):
    response = file_complaint(client, path="/en/complaints")
    assert response.headers["Location"] == "/en/complaints/sent"
    assert latest().lang == "en"
    assert "Your tracking code" in client.get("/en/complaints/sent").get_data(as_text=True)


def test_an_image_is_re_encoded_without_its_metadata(client, app):
    photo = png_bytes(size=(2400, 1200), exif=True)
    assert b"SECRET-CAMERA-MAKER" in photo
    response = file_complaint(client, files=[(io.BytesIO(photo), "anh hoa don.jpg")])
    assert response.status_code == 303
    attachment = latest().attachments[0]
    stored = attachments.path_of(attachment.stored_name)
    data = stored.read_bytes()
    assert b"SECRET-CAMERA-MAKER" not in data and attachment.content_type == "image/jpeg"
    with Image.open(stored) as image:
        assert image.format == "JPEG" and max(image.size) == 2000 and not image.getexif()
    assert attachment.original_name == "anh hoa don.jpg"
    assert str(app.config["MEDIA_DIR"]) in str(stored)


def test_a_pdf_is_kept_as_sent(client):
    pdf = pdf_bytes()
    assert file_complaint(client, files=[(io.BytesIO(pdf), "hoa-don.pdf")]).status_code == 303
    attachment = latest().attachments[0]
    assert attachment.content_type == "application/pdf"
    assert attachments.path_of(attachment.stored_name).read_bytes() == pdf


def _refused(client, files, words):
    response = file_complaint(client, files=files)
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:2000]
    assert words in page and _count() == 0
    assert db.session.execute(db.select(db.func.count(ComplaintAttachment.id))).scalar_one() == 0
    assert "Tội phạm" not in page
    return page


def test_fake_images_and_fake_pdfs_are_refused(client, app):
    _refused(client, [(io.BytesIO(b"<?php echo 1; ?>"), "anh.jpg")], "không phải ảnh JPEG, PNG, WebP hay tệp PDF")
    _refused(client, [(io.BytesIO(b"%PDF-1.4\nnot really a pdf"), "don.pdf")], "không phải tệp PDF hợp lệ")
    _refused(client, [(io.BytesIO(png_bytes()[:60]), "cut.png")], "không phải ảnh")
    folder = attachments.files_dir()
    assert not folder.exists() or not any(folder.iterdir())


def test_pdfs_with_scripts_are_refused(client):
    evil = pdf_bytes(extra=b"/AA << /O << /S /JavaScript /JS (app.alert(1)) >> >> ")
    _refused(client, [(io.BytesIO(evil), "don.pdf")], "chứa mã lệnh")


def test_oversized_and_too_many_files_are_refused(client):
    big = b"%PDF-1.4\n" + b"0" * (attachments.MAX_FILE_BYTES + 10)
    response = raw_post(client, "/phan-anh", complaint_form(), [(big, "to.pdf")])
    assert response.status_code == 400 and "quá lớn" in response.get_data(as_text=True) and _count() == 0
    many = [(io.BytesIO(png_bytes()), f"{n}.png") for n in range(attachments.MAX_FILES + 1)]
    _refused(client, many, "Tối đa 5 tệp")


def test_a_request_over_the_size_limit_gets_a_clear_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    response = raw_post(client, "/phan-anh", complaint_form(), [(b"x" * 300_000, "lon.pdf")])
    page = response.get_data(as_text=True)
    assert response.status_code == 413 and "quá lớn" in page and "1800 6838" in page
    assert _count() == 0


def test_the_honeypot_stops_programs(client):
    response = file_complaint(client, website="http://spam.example")
    assert response.status_code == 400 and _count() == 0
    assert "phải để trống" in response.get_data(as_text=True)
    assert db.session.execute(db.select(AuditEntry).filter_by(action="complaint.honeypot")).scalar_one()


def test_a_program_filling_the_honeypot_again_and_again_is_slowed(client, app):
    app.config["COMPLAINT_FILINGS_PER_HOUR"] = 2
    assert [file_complaint(client, website="x").status_code for _ in range(3)] == [400, 400, 429]


def test_filing_is_rate_limited_per_address(client, app):
    app.config["COMPLAINT_FILINGS_PER_HOUR"] = 2
    assert file_complaint(client).status_code == 303
    assert file_complaint(client).status_code == 303
    refused = file_complaint(client)
    assert refused.status_code == 429 and "quá nhiều lượt gửi" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0 and _count() == 2
    other = app.test_client()
    response = other.post("/phan-anh", data=complaint_form(), environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 303  # another address is not slowed


def test_the_limit_follows_the_trusted_proxy_address(tmp_path, database):
    from portal import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path / "p"), "TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": database, "MEDIA_DIR": str(tmp_path / "m"),
                      "WTF_CSRF_ENABLED": False, "PORTAL_TRUSTED_PROXIES": 1, "COMPLAINT_FILINGS_PER_HOUR": 1})
    with app.app_context():
        client = app.test_client()
        first = client.post("/phan-anh", data=complaint_form(), headers={"X-Forwarded-For": "203.0.113.7"})
        second = client.post("/phan-anh", data=complaint_form(), headers={"X-Forwarded-For": "203.0.113.7"})
        third = client.post("/phan-anh", data=complaint_form(), headers={"X-Forwarded-For": "203.0.113.8"})
        assert (first.status_code, second.status_code, third.status_code) == (303, 429, 303)
        db.session.remove()
        db.engine.dispose()


def test_csrf_is_required(tmp_path, database):
    from portal import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path / "c"), "TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": database, "MEDIA_DIR": str(tmp_path / "m")})
    with app.app_context():
        response = app.test_client().post("/phan-anh", data=complaint_form())
        assert response.status_code == 400
        assert _count() == 0
        db.session.remove()
        db.engine.dispose()


def test_tracking_codes_catch_typos():
    code = codes.new_code()
    assert len(code) == 10 and set(code) <= set(codes.ALPHABET)
    assert codes.normalise(codes.display(code).lower()) == code
    assert codes.normalise(" " + code[:5] + " " + code[5:]) == code
    for position in range(10):
        for char in codes.ALPHABET:
            if char != code[position]:
                assert codes.normalise(code[:position] + char + code[position + 1:]) is None
    for position in range(8):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
        if swapped != code:
            assert codes.normalise(swapped) is None
    assert codes.normalise("O0I1L" + code[5:]) is None and codes.normalise("") is None
