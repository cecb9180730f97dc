"""The import queue's services: confirm, translate, assign, discard, and the publish guard.

An imported warning reaches the public only in Vietnamese and with a category and risk level a
person has confirmed: `publish_blockers` says what is missing, and `workflow.publish` refuses
while anything is (the guard sits in the service, so no view or command can skip it).
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from ..content import permissions as perm
from ..content import taxonomy, workflow
from ..content.models import ARCHIVED, DRAFT, ContentMixin, User, Warning, utcnow
from ..content.services import enqueue_search, record_change
from ..extensions import db
from .models import DISCARDED, IMPORTED, ImportRecord

TRANSLATED_FIELDS = ("title", "summary", "what_to_do")


def record_for(item: ContentMixin) -> ImportRecord | None:
    """The import record that created ``item`` (None for warnings written here or only linked)."""
    if not isinstance(item, Warning) or item.id is None:
        return None
    return db.session.execute(db.select(ImportRecord).filter_by(warning_id=item.id, state=IMPORTED)
                              .limit(1)).scalar_one_or_none()


def publish_blockers(item: ContentMixin, data: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for each reason an imported warning may not be published yet."""
    record = record_for(item)
    if record is None:
        return []
    problems: list[tuple[str, str]] = []
    if data.get("lang") != "vi":
        problems.append(("lang", _("Cảnh báo nhập từ nguồn nước ngoài phải được dịch sang tiếng Việt trước khi "
                                   "xuất bản (chọn ngôn ngữ tiếng Việt).")))
    original = record.original or {}
    for field in TRANSLATED_FIELDS:
        text = (data.get(field) or "").strip()
        if not text or text == (original.get(field) or "").strip():
            problems.append((field, _("Trường này cần bản tiếng Việt trước khi xuất bản.")))
    if not record.confirmed_at or record.confirmed_category != data.get("category") \
            or record.confirmed_risk_level != data.get("risk_level") or data.get("risk_level") == "unknown":
        problems.append(("risk_level", _("Biên tập viên cần xác nhận nhóm sản phẩm và mức độ rủi ro "
                                         "(khác “Chưa xác định”) trước khi xuất bản.")))
    return problems


def confirm_and_translate(actor: User, record: ImportRecord, expected_version: int | None,
                          fields: dict[str, str], category: str, risk_level: str) -> None:
    """Save the Vietnamese text of an imported draft and confirm its category and risk level."""
    item = record.warning
    perm.require(item is not None and perm.can_write(actor, "warning"), "translate", "warning")
    if category not in taxonomy.codes("category"):
        raise workflow.WorkflowError(_("Nhóm sản phẩm không hợp lệ."), "category")
    if risk_level not in taxonomy.codes("risk_level") or risk_level == "unknown":
        raise workflow.WorkflowError(_("Hãy chọn mức độ rủi ro (khác “Chưa xác định”)."), "risk_level")
    data = workflow.working_data(item)
    data.update({key: value.strip() for key, value in fields.items()}, lang="vi", category=category,
                risk_level=risk_level)
    workflow.save_draft(actor, item, data, expected_version, note=_("Dịch và xác nhận phân loại"))
    record.confirmed_category, record.confirmed_risk_level = category, risk_level
    record.confirmed_by_id, record.confirmed_at = actor.id, utcnow()


def assign(actor: User, records: list[ImportRecord], assignee: User | None) -> int:
    """Give imported drafts to an editor (None: unassign). Returns how many changed."""
    perm.require(perm.can_write(actor, "warning"), "assign", "warning")
    if assignee is not None and not perm.can_write(assignee, "warning"):
        raise workflow.WorkflowError(_("Người được giao phải là biên tập viên hoặc người duyệt đang hoạt động."),
                                     "assignee")
    changed = 0
    for record in records:
        if record.assigned_to_id != (assignee.id if assignee else None):
            record.assigned_to_id = assignee.id if assignee else None
            changed += 1
    return changed


def discard(actor: User, records: list[ImportRecord], reason: str) -> int:
    """Mark records as not relevant here; their untranslated drafts leave the queue (archived).

    The record stays, so the next import run does not bring the draft back.
    """
    perm.require(perm.can_write(actor, "warning"), "discard", "warning")
    if not reason.strip():
        raise workflow.WorkflowError(_("Hãy ghi lý do loại bỏ."), "reason")
    changed = 0
    for record in records:
        if record.state != IMPORTED:
            continue
        item = record.warning
        record.state = DISCARDED
        changed += 1
        if item is not None and item.status == DRAFT:
            item.status = ARCHIVED
            record_change(item, "discard", actor, reason.strip())
            enqueue_search(item.item_type, item.id, op="delete")
    return changed
