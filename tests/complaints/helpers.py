"""Filing complaints through the public form, and small files to attach."""
from __future__ import annotations

import io
import re

from PIL import Image

from portal.complaints.models import Complaint
from portal.extensions import db
from tests.admin.helpers import login, make_user

CODE_RE = re.compile(r'id="tracking-code">([A-Z0-9-]+)<')


def complaint_form(**overrides) -> dict:
    data = {"kind": "complaint", "sector": "food", "business_name": "Cửa hàng Tạp hóa Minh Anh",
            "business_address": "12 Lạch Tray, phường Gia Viên", "product": "Sữa tươi hộp 1 lít",
            "description": "Tôi mua hộp sữa đã quá hạn sử dụng hai tuần, uống vào thấy chua.",
            "happened_on": "2026-11-20", "happened_where": "Cửa hàng ở phường Gia Viên",
            "wanted": "Hoàn tiền và kiểm tra cửa hàng.", "contact_name": "Nguyễn Thị Lan",
            "contact_email": "lan@example.vn", "contact_phone": "0912 345 678",
            "contact_address": "5 Tô Hiệu, phường Lê Chân", "consent": "y"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def file_complaint(client, path: str = "/phan-anh", files=None, **overrides):
    """POST the form; returns the response (303 to the acknowledgment on success)."""
    data = complaint_form(**overrides)
    if files:
        data["files"] = files
    return client.post(path, data=data, content_type="multipart/form-data")


def filed_code(client, **overrides) -> str:
    response = file_complaint(client, **overrides)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    return CODE_RE.search(page).group(1)


def latest() -> Complaint:
    return db.session.execute(db.select(Complaint).order_by(Complaint.id.desc()).limit(1)).scalar_one()


def png_bytes(size=(40, 30), exif: bool = False) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010F] = "SECRET-CAMERA-MAKER"  # Make
        info[0x9003] = "2026:11:20 10:00:00"
        image.save(out, "JPEG", exif=info.tobytes())
    else:
        image.save(out, "PNG")
    return out.getvalue()


def pdf_bytes(extra: bytes = b"") -> bytes:
    """A small, well-formed one-page PDF."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + extra + b">>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def handler(email: str = "canbo@example.vn"):
    return make_user("complaints", email, org="so-cong-thuong")


def handler_client(app, email: str = "canbo@example.vn"):
    user = handler(email)
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client, user


def raw_post(client, path: str, fields: dict, files: list[tuple[bytes, str]]):
    """POST a multipart body built here (the test client would spool a big one to a temporary
    file it never closes)."""
    parts = []
    for name, value in fields.items():
        parts.append(b'--b\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                     % (name.encode(), str(value).encode()))
    for data, filename in files:
        parts.append(b'--b\r\nContent-Disposition: form-data; name="files"; filename="%s"\r\n'
                     b"Content-Type: application/octet-stream\r\n\r\n%s\r\n" % (filename.encode(), data))
    body = b"".join(parts) + b"--b--\r\n"
    return client.post(path, data=body, content_type="multipart/form-data; boundary=b")
