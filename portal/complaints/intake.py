"""Filing a complaint or report, and looking one up by its code (the public side).

`file_complaint` checks what the form sends once more (the form is a convenience; these rules
hold for any caller), stores the checked attachments, writes the complaint, its first history
step, the audit entry and the acknowledgment e-mail in one transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO

from flask import current_app
from flask_babel import gettext as _

from ..content.models import utcnow
from ..content.services import audit
from ..extensions import db
from ..formatting import local_time
from ..mail import valid_address
from . import attachments, codes, notify, ratelimit
from .labels import KIND_LABELS, SECTOR_LABELS
from .models import Complaint, ComplaintAttachment, ComplaintEvent

LIMITS = {"business_name": 300, "business_address": 500, "product": 300, "description": 5000,
          "happened_where": 300, "wanted": 2000, "contact_name": 200, "contact_email": 254,
          "contact_address": 500}
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-()]{7,18}$")


class ComplaintError(ValueError):
    """Bad input; ``errors`` maps form fields to localised messages."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


@dataclass
class Upload:
    stream: IO[bytes]
    filename: str


@dataclass
class Submission:
    kind: str
    sector: str
    business_name: str = ""
    business_address: str = ""
    product: str = ""
    description: str = ""
    happened_on: date | None = None
    happened_where: str = ""
    wanted: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_address: str = ""
    consent: bool = False
    uploads: list[Upload] = field(default_factory=list)


def normalise_phone(phone: str) -> str:
    """Digits only, a leading +84 written as 0 (so "+84 912 345 678" and "0912345678" match)."""
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith("+84") and digits.startswith("84"):
        digits = "0" + digits[2:]
    return digits


def _check(sub: Submission) -> dict[str, str]:
    errors: dict[str, str] = {}
    if sub.kind not in KIND_LABELS:
        errors["kind"] = _("Hãy chọn phản ánh hay khiếu nại.")
    if sub.sector not in SECTOR_LABELS:
        errors["sector"] = _("Hãy chọn lĩnh vực.")
    for name, limit in LIMITS.items():
        if len(getattr(sub, name) or "") > limit:
            errors[name] = _("Nội dung dài quá %(n)s ký tự.", n=limit)
    if not sub.business_name.strip() and not sub.product.strip():
        errors["business_name"] = _("Hãy cho biết tên cơ sở kinh doanh hoặc sản phẩm, dịch vụ.")
    if len(sub.description.strip()) < 20:
        errors.setdefault("description", _("Hãy mô tả sự việc (ít nhất 20 ký tự)."))
    if sub.happened_on is not None and sub.happened_on > local_time(utcnow()).date():
        errors["happened_on"] = _("Ngày xảy ra không thể ở tương lai.")
    if sub.contact_email and not valid_address(sub.contact_email):
        errors["contact_email"] = _("Địa chỉ e-mail không hợp lệ, ví dụ: ten@example.com.")
    if sub.contact_phone and (not PHONE_RE.match(sub.contact_phone.strip())
                              or not 9 <= len(normalise_phone(sub.contact_phone)) <= 12):
        errors["contact_phone"] = _("Số điện thoại không hợp lệ, ví dụ: 0912 345 678.")
    if sub.kind == "complaint":
        if not sub.contact_name.strip():
            errors["contact_name"] = _("Khiếu nại cần họ tên người gửi.")
        if not sub.contact_email and not sub.contact_phone:
            errors.setdefault("contact_email", _("Khiếu nại cần e-mail hoặc số điện thoại để liên hệ."))
        if not sub.contact_address.strip():
            errors["contact_address"] = _("Khiếu nại cần địa chỉ của người gửi.")
        if not sub.wanted.strip():
            errors["wanted"] = _("Hãy cho biết bạn mong muốn được giải quyết thế nào.")
    if not sub.consent:
        errors["consent"] = _("Hãy đánh dấu đồng ý để chúng tôi dùng thông tin bạn gửi để xử lý phản ánh.")
    if len(sub.uploads) > attachments.MAX_FILES:
        errors["files"] = _("Tối đa %(n)s tệp đính kèm.", n=attachments.MAX_FILES)
    return errors


def _new_code() -> str:
    while True:
        code = codes.new_code()
        if db.session.execute(db.select(Complaint.id).filter_by(code=code)).first() is None:
            return code


def due_at(status: str, start: datetime) -> datetime | None:
    """When the stage ``status`` started at ``start`` is due (None for closed stages)."""
    days = current_app.config["COMPLAINT_DUE_DAYS"].get(status)
    return start + timedelta(days=days) if days else None


def file_complaint(sub: Submission, lang: str, remote_addr: str,
                   form_errors: dict[str, str] | None = None) -> Complaint:
    """Check and record a submission; raises `ComplaintError` (with ``form_errors``, what the
    form could not even read, added) or `ratelimit.RateLimited`."""
    ratelimit.check("file", remote_addr)
    sub.contact_email = sub.contact_email.strip().lower()
    errors = {**_check(sub), **(form_errors or {})}
    checked = []
    if "files" not in errors:
        for upload in sub.uploads:
            try:
                checked.append(attachments.check(upload.stream, upload.filename))
            except attachments.AttachmentRejected as rejected:
                errors["files"] = rejected.message
                break
    if errors:
        raise ComplaintError(errors)
    now = utcnow()
    complaint = Complaint(
        code=_new_code(), kind=sub.kind, sector=sub.sector, lang=lang if lang in ("vi", "en") else "vi",
        status="received", month=local_time(now).strftime("%Y-%m"), created_at=now, status_changed_at=now,
        due_at=due_at("received", now),
        business_name=sub.business_name.strip(), business_address=sub.business_address.strip(),
        product=sub.product.strip(), description=sub.description.strip(),
        happened_on=sub.happened_on.isoformat() if sub.happened_on else "",
        happened_where=sub.happened_where.strip(), wanted=sub.wanted.strip(),
        contact_name=sub.contact_name.strip(), contact_email=sub.contact_email,
        contact_phone=normalise_phone(sub.contact_phone), contact_address=sub.contact_address.strip(),
    )
    stored: list[str] = []
    try:
        for item in checked:
            name = attachments.store(item)
            stored.append(name)
            complaint.attachments.append(ComplaintAttachment(
                stored_name=name, original_name=item.original_name, content_type=item.content_type,
                size=len(item.data)))
        complaint.events.append(ComplaintEvent(kind="filed", status="received", public=True, at=now,
                                               actor_label="public"))
        db.session.add(complaint)
        db.session.flush()
        audit("complaint.filed", None, detail={"complaint_id": complaint.id, "kind": complaint.kind,
                                               "attachments": len(stored)}, label="public")
        ratelimit.record("file", remote_addr)
        notify.acknowledge(complaint)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for name in stored:
            attachments.remove(name)
        raise
    return complaint


def lookup(typed_code: str, contact: str, remote_addr: str) -> Complaint | None:
    """The complaint whose code and e-mail or phone match; None (one answer for every mismatch).

    A miss counts against the address's lookup limit (raises `ratelimit.RateLimited` when spent).
    """
    ratelimit.check("lookup", remote_addr)
    code = codes.normalise(typed_code)
    contact = (contact or "").strip()
    found = None
    if code and contact:
        complaint = db.session.execute(db.select(Complaint).filter_by(code=code)).scalar_one_or_none()
        if complaint is not None and complaint.purged_at is None:
            email, phone = contact.lower(), normalise_phone(contact)
            if (complaint.contact_email and email == complaint.contact_email) or \
                    (complaint.contact_phone and phone and phone == complaint.contact_phone):
                found = complaint
    if found is None:
        ratelimit.record("lookup", remote_addr)
        db.session.commit()
    return found


def public_history(complaint: Complaint) -> list[ComplaintEvent]:
    return [event for event in complaint.events if event.public]
