"""The complaint handlers' services: status, assignment, notes, messages, links, warning drafts.

Every service checks `permissions` first, changes the row, writes the history step and the
audit entry (and the e-mail to the person, when there is one) in one transaction; the caller
commits. A change made from a page opened before someone else's change is refused
(`StaleComplaint`), like content edits.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..content import workflow
from ..content.models import DRAFT, Sanction, User, Warning, utcnow
from ..content.schema import apply
from ..content.services import audit, record_change
from ..extensions import db
from . import notify
from . import permissions as perm
from .codes import display
from .intake import due_at
from .labels import SECTOR_TO_CATEGORY
from .models import CLOSED_STATUSES, Complaint, ComplaintEvent

# Allowed moves; closed complaints stay closed.
TRANSITIONS = {
    "received": ("forwarded", "in_progress", "rejected"),
    "forwarded": ("in_progress", "resolved", "rejected"),
    "in_progress": ("forwarded", "resolved", "rejected"),
    "resolved": (),
    "rejected": (),
}
MAX_TEXT = 5000


class HandlingError(ValueError):
    """A refused step; ``message`` is localised for the handler."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class StaleComplaint(HandlingError):
    pass


def _check_version(complaint: Complaint, version: int | None) -> None:
    if version is not None and version != complaint.version:
        raise StaleComplaint(_("Phản ánh này vừa được người khác thay đổi sau khi bạn mở trang. "
                               "Thao tác chưa được thực hiện; hãy xem lại rồi làm lại."))


def _step(complaint: Complaint, actor: User, kind: str, action: str, text: str = "", public: bool = False,
          detail: dict | None = None) -> ComplaintEvent:
    event = ComplaintEvent(kind=kind, status=complaint.status, text=text, public=public, at=utcnow(),
                           actor_id=actor.id, actor_label=actor.email)
    complaint.events.append(event)
    complaint.version += 1
    audit(action, actor, detail={"complaint_id": complaint.id, "code": complaint.code, **(detail or {})})
    return event


def _text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise HandlingError(_("Hãy nhập %(what)s.", what=what))
    if len(text) > MAX_TEXT:
        raise HandlingError(_("Nội dung dài quá %(n)s ký tự.", n=MAX_TEXT))
    return text


def change_status(actor: User, complaint: Complaint, status: str, version: int | None, reason: str = "") -> None:
    """Move ``complaint`` to ``status`` if the move is allowed; tell the person by e-mail."""
    perm.require(perm.can_handle(actor), "complaint.status")
    _check_version(complaint, version)
    if status not in TRANSITIONS.get(complaint.status, ()):
        raise HandlingError(_("Không thể chuyển phản ánh từ tình trạng này sang tình trạng đã chọn."))
    if status == "rejected":
        complaint.rejection_reason = _text(reason, _("lý do không tiếp nhận"))
    previous, now = complaint.status, utcnow()
    complaint.status, complaint.status_changed_at = status, now
    complaint.due_at = due_at(status, now)
    complaint.closed_at = now if status in CLOSED_STATUSES else None
    _step(complaint, actor, "status", "complaint.status", text=complaint.rejection_reason if status == "rejected" else "",
          public=True, detail={"from": previous, "to": status})
    notify.status_changed(complaint)


def assign(actor: User, complaint: Complaint, org: str, officer_id: int | None, version: int | None) -> None:
    """Set the responsible organisation and the officer (a complaint handler) in charge."""
    perm.require(perm.can_handle(actor), "complaint.assign")
    _check_version(complaint, version)
    org = (org or "").strip()
    if len(org) > 200:
        raise HandlingError(_("Tên cơ quan dài quá 200 ký tự."))
    officer = None
    if officer_id is not None:
        officer = db.session.get(User, officer_id)
        if officer is None or not perm.can_handle(officer):
            raise HandlingError(_("Người được giao phải là cán bộ xử lý phản ánh đang hoạt động."))
    complaint.assigned_org, complaint.assigned_to_id = org, officer.id if officer else None
    _step(complaint, actor, "assign", "complaint.assign",
          text=" · ".join(part for part in (org, officer.email if officer else "") if part),
          detail={"org": org, "officer_id": complaint.assigned_to_id})


def add_note(actor: User, complaint: Complaint, text: str, version: int | None) -> None:
    """An internal note, seen by complaint handlers only."""
    perm.require(perm.can_handle(actor), "complaint.note")
    _check_version(complaint, version)
    _step(complaint, actor, "note", "complaint.note", text=_text(text, _("ghi chú")))


def send_message(actor: User, complaint: Complaint, text: str, version: int | None) -> None:
    """A message to the person by e-mail (refused when they gave no e-mail)."""
    perm.require(perm.can_handle(actor), "complaint.message")
    _check_version(complaint, version)
    if not complaint.contact_email:
        raise HandlingError(_("Người gửi không để lại e-mail nên không thể gửi thư; hãy liên hệ qua điện thoại nếu có."))
    text = _text(text, _("nội dung thư"))
    _step(complaint, actor, "message", "complaint.message", text=text, public=True)
    notify.message(complaint, text)


def link_sanction(actor: User, complaint: Complaint, sanction_id: int | None, version: int | None) -> None:
    """Link the complaint to an enforcement result (or remove the link with None)."""
    perm.require(perm.can_handle(actor), "complaint.link")
    _check_version(complaint, version)
    if sanction_id is not None and db.session.get(Sanction, sanction_id) is None:
        raise HandlingError(_("Không có kết quả xử lý vi phạm với số này."))
    complaint.sanction_id = sanction_id
    _step(complaint, actor, "link", "complaint.link_sanction",
          text=_("Kết quả xử lý vi phạm số %(id)s", id=sanction_id) if sanction_id else _("Bỏ liên kết"),
          detail={"sanction_id": sanction_id})


def draft_warning(actor: User, complaint: Complaint, version: int | None) -> Warning:
    """A warning draft for the editors, from the product and business the report names.

    No personal data goes into it: not the contact details, not the person's own words (an
    editor writes the warning after checking). The draft goes through the content services
    (validation, revision, audit) like any other; only editors and publishers edit or publish it.
    """
    perm.require(perm.can_draft_warning(actor), "complaint.draft_warning")
    _check_version(complaint, version)
    if complaint.warning_id is not None:
        raise HandlingError(_("Phản ánh này đã có bản nháp cảnh báo."))
    product = complaint.product or complaint.business_name
    if not product:
        raise HandlingError(_("Phản ánh không nêu sản phẩm hay cơ sở kinh doanh nên không thể tạo cảnh báo."))
    code = display(complaint.code)
    data = {
        "slug": f"canh-bao-tu-phan-anh-{complaint.code.lower()}", "title": product[:200], "lang": "vi",
        "category": SECTOR_TO_CATEGORY.get(complaint.sector, "other"), "hazards": ["other"],
        "risk_level": "unknown", "product": {"name": product[:200]},
        "summary": "", "body": _("Bản nháp lập từ phản ánh %(code)s. Biên tập viên cần xác minh sự việc "
                                 "và viết nội dung cảnh báo trước khi gửi duyệt.", code=code),
    }
    clean = workflow.prepare("warning", data, DRAFT)
    warning = Warning()
    apply(warning, clean)
    warning.owner_org = "so-cong-thuong"
    warning.has_unpublished_changes = True
    record_change(warning, "create", actor, note=_("Từ phản ánh %(code)s", code=code), data=clean)
    complaint.warning_id = warning.id
    _step(complaint, actor, "link", "complaint.draft_warning", text=_("Bản nháp cảnh báo số %(id)s", id=warning.id),
          detail={"warning_id": warning.id})
    return warning
