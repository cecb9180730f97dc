"""The editorial workflow: named services that check permission, then change state.

draft → review → published (or scheduled: published with a future ``published_at``) →
updated (a new draft revision; the live row stays until the update is published) →
withdrawn (warnings) or archived. Every service takes the version the actor's form was
opened at and refuses a stale one (`StaleEdit`), writes a `Revision`, an audit entry and the
search outbox row through `services.record_change`, and leaves the commit to the caller.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from . import permissions as perm
from .models import (
    ARCHIVED,
    CONTENT_MODELS,
    DRAFT,
    PUBLISHED,
    REVIEW,
    WITHDRAWN,
    ContentMixin,
    OldSlug,
    Revision,
    Sanction,
    User,
    Warning,
    utcnow,
)
from .schema import ContentError, apply, iso, missing_fields, to_dict, validate
from .services import enqueue_search, record_change

LIVE = (PUBLISHED, WITHDRAWN)
# Revision actions that hold a working draft (as opposed to snapshots of the live row).
DRAFT_ACTIONS = ("create", "save", "submit", "restore")
ONLINE_SANCTION_DAYS = 30  # Decree 55/2024/NĐ-CP art. 24


class StaleEdit(Exception):
    """The form was opened at ``expected`` but the item is now at ``item.version``."""

    def __init__(self, item: ContentMixin, expected: int | None):
        self.item, self.expected = item, expected
        super().__init__(f"{item.item_type} {item.id}: form at version {expected}, item at {item.version}")


class WorkflowError(Exception):
    """A step that cannot be taken now; ``field`` names the form field to show it at, if any."""

    def __init__(self, message: str, field: str | None = None):
        self.message, self.field = message, field
        super().__init__(message)


class Incomplete(WorkflowError):
    """A draft lacks fields that review and publication need; ``fields`` are content-dict paths."""

    def __init__(self, fields: list[str]):
        self.fields = fields
        super().__init__(_("Chưa đủ thông tin bắt buộc: %(fields)s.", fields=", ".join(fields)), fields[0])


# ---------------------------------------------------------------- reading the state

def is_live(item: ContentMixin) -> bool:
    """Whether the row holds a version the public has (or will have, when scheduled)."""
    return item.status in LIVE


def latest_draft(item: ContentMixin) -> Revision | None:
    """The newest revision holding a working draft, when there are unpublished changes."""
    if not item.has_unpublished_changes:
        return None
    return db.session.execute(
        db.select(Revision).filter_by(item_type=item.item_type, item_id=item.id)
        .where(Revision.action.in_(DRAFT_ACTIONS)).order_by(Revision.id.desc()).limit(1)
    ).scalar_one_or_none()


def working_data(item: ContentMixin) -> dict[str, Any]:
    """The content dict an editor works on: the pending draft, else the row itself."""
    draft = latest_draft(item)
    return dict(draft.data) if draft is not None else to_dict(item)


def stage(item: ContentMixin, now: datetime | None = None) -> str:
    """One word for where an item is: draft, review, scheduled, published, withdrawn, archived."""
    if item.status == PUBLISHED and item.published_at and item.published_at > (now or utcnow()):
        return "scheduled"
    return item.status


def pending_stage(item: ContentMixin) -> str | None:
    """For a live item with unpublished changes: "draft" or "review"; else None."""
    if not is_live(item) or not item.has_unpublished_changes:
        return None
    draft = latest_draft(item)
    return (draft.data.get("workflow") if draft is not None else None) or DRAFT


def default_published_until(online: bool, start: datetime) -> datetime:
    """How long an enforcement result stays public: 30 days online (Decree 55/2024 art. 24)."""
    days = ONLINE_SANCTION_DAYS if online else int(current_app.config["SANCTION_DEFAULT_DAYS"])
    return start + timedelta(days=days)


# ---------------------------------------------------------------- helpers

def _check_version(item: ContentMixin, expected: int | None) -> None:
    """Refuse a form opened at another version, atomically.

    The no-op UPDATE guarded by the version is a compare-and-set: it takes the row's write
    lock, so of two concurrent saves from the same version the second matches no row once
    the first has committed its bump, and is refused instead of overwriting it.
    """
    if expected is None or int(expected) != item.version:
        raise StaleEdit(item, expected)
    model = type(item)
    matched = db.session.execute(
        sa.update(model).where(model.id == item.id, model.version == item.version)
        .values(version=item.version).execution_options(synchronize_session=False)
    ).rowcount
    if matched != 1:
        db.session.refresh(item)
        raise StaleEdit(item, expected)


def _check_slug(item: ContentMixin | None, item_type: str, slug: str) -> None:
    model = CONTENT_MODELS[item_type]
    owner = db.session.execute(db.select(model.id).filter_by(slug=slug)).scalar_one_or_none()
    if owner is not None and (item is None or owner != item.id):
        raise WorkflowError(_("Địa chỉ (slug) này đã được một bài khác sử dụng."), "slug")


def _resolve_translation(item_type: str, data: dict[str, Any]) -> ContentMixin | None:
    slug = data.get("translation_of")
    if not slug:
        return None
    model = CONTENT_MODELS[item_type]
    target = db.session.execute(db.select(model).filter_by(slug=slug)).scalar_one_or_none()
    if target is None:
        raise WorkflowError(_("Không có bài nào với địa chỉ này để làm bản gốc."), "translation_of")
    return target


def prepare(item_type: str, data: dict[str, Any], workflow: str | None) -> dict[str, Any]:
    """Validate a content dict for a draft, for review, or for publication (``workflow`` None).

    A draft may leave fields unset; review and publication refuse it with `Incomplete`, naming
    every missing field at once. A sanction without ``published_until`` gets the default window.
    """
    data = dict(data, type=item_type, workflow=workflow)
    if workflow != DRAFT:
        missing = missing_fields(data)
        if missing:
            raise Incomplete(missing)
    if item_type == "sanction" and data.get("published_until") is None:
        start = data.get("published_from") or data.get("published_at") or iso(utcnow())
        if isinstance(start, str):
            start = datetime.fromisoformat(start)
        data["published_until"] = default_published_until(bool(data.get("online")), start)
    return validate(data)


def _record_draft(item: ContentMixin, action: str, actor: User, clean: dict[str, Any], note: str = "") -> Revision:
    """Keep a draft: on the row before first publication, only in a revision once live."""
    if is_live(item):
        live_updated_at = item.updated_at
        item.has_unpublished_changes = True
        revision = record_change(item, action, actor, note, data=clean, public=False)
        item.updated_at = live_updated_at  # the public "updated" time moves only on publication
        return revision
    apply(item, clean)
    item.translation_of = _resolve_translation(item.item_type, clean)
    item.has_unpublished_changes = True
    return record_change(item, action, actor, note, data=clean)


# ---------------------------------------------------------------- services

def create_item(actor: User, item_type: str, data: dict[str, Any]) -> ContentMixin:
    """Create a new draft of ``item_type`` from a content dict."""
    perm.require(perm.can_write(actor, item_type), "create", item_type)
    clean = prepare(item_type, data, DRAFT)
    _check_slug(None, item_type, clean["slug"])
    item = CONTENT_MODELS[item_type]()
    apply(item, clean)
    item.translation_of = _resolve_translation(item_type, clean)
    item.owner_org = actor.org
    item.has_unpublished_changes = True
    record_change(item, "create", actor, data=clean)
    return item


def record_sanction(actor: User, data: dict[str, Any]) -> Sanction:
    """Record a new enforcement result as a draft (only the enforcement role may)."""
    return create_item(actor, "sanction", data)  # type: ignore[return-value]


def save_draft(actor: User, item: ContentMixin, data: dict[str, Any], expected_version: int | None,
               note: str = "") -> Revision:
    """Save an edit. A live item keeps its public version until the change is published."""
    perm.require(perm.can_write(actor, item.item_type), "save", item.item_type)
    _check_version(item, expected_version)
    state = pending_stage(item) if is_live(item) else item.status
    data = _keep_facts_the_form_lacks(item, data)
    clean = prepare(item.item_type, data, REVIEW if state == REVIEW else DRAFT)
    _check_slug(item, item.item_type, clean["slug"])
    return _record_draft(item, "save", actor, clean, note)


def _keep_facts_the_form_lacks(item: ContentMixin, data: dict[str, Any]) -> dict[str, Any]:
    """A warning's product codes and source date survive a save from a form that has no field for them."""
    if item.item_type != "warning" or not isinstance(data.get("product"), dict) \
            or not isinstance(data.get("source") or {}, dict):
        return data
    current = working_data(item)
    product, source = dict(data["product"]), dict(data.get("source") or {})
    if "codes" not in product and (current.get("product") or {}).get("codes"):
        product["codes"] = current["product"]["codes"]
    if "date" not in source and (current.get("source") or {}).get("date"):
        source["date"] = current["source"]["date"]
    return dict(data, product=product, source=source)


def submit_for_review(actor: User, item: ContentMixin, expected_version: int | None) -> Revision:
    """Ask a publisher to review the working draft."""
    perm.require(perm.can_submit(actor, item), "submit", item.item_type)
    _check_version(item, expected_version)
    if is_live(item) and not item.has_unpublished_changes:
        raise WorkflowError(_("Không có thay đổi nào đang chờ để gửi duyệt."))
    if (pending_stage(item) if is_live(item) else item.status) == REVIEW:
        raise WorkflowError(_("Bản này đã được gửi duyệt."))
    clean = prepare(item.item_type, working_data(item), REVIEW)
    return _record_draft(item, "submit", actor, clean)


def return_to_draft(actor: User, item: ContentMixin, expected_version: int | None, note: str) -> Revision:
    """A publisher sends a submitted draft back to its writer with a note."""
    perm.require(perm.can_publish(actor, item), "return", item.item_type)
    _check_version(item, expected_version)
    if (pending_stage(item) if is_live(item) else item.status) != REVIEW:
        raise WorkflowError(_("Bản này không ở trạng thái chờ duyệt."))
    if not note.strip():
        raise WorkflowError(_("Hãy ghi lý do trả lại để người viết biết cần sửa gì."), "note")
    clean = prepare(item.item_type, working_data(item), DRAFT)
    return _record_draft(item, "save", actor, clean, note.strip())


def publish(actor: User, item: ContentMixin, expected_version: int | None, change_note: str = "",
            at: datetime | None = None) -> Revision:
    """Publish the working draft now (or at ``at``; a future time schedules it)."""
    perm.require(perm.can_publish(actor, item), "publish", item.item_type)
    _check_version(item, expected_version)
    if is_live(item) and not item.has_unpublished_changes and at is None:
        raise WorkflowError(_("Bản đang công khai đã là bản mới nhất; không có gì để xuất bản."))
    now = utcnow()
    data = working_data(item)
    data.pop("updated_at", None)  # the public update time is decided here, below
    was_public = is_live(item) and item.published_at is not None and item.published_at <= now
    if at is not None:
        data["published_at"] = iso(at)
    elif not data.get("published_at"):
        data["published_at"] = iso(now)
    if was_public and datetime.fromisoformat(str(data["published_at"])) > now:
        # The row is the live version: a future time would hide what the public already reads.
        raise WorkflowError(_("Bài đang công khai nên bản cập nhật được xuất bản ngay, không hẹn giờ được; "
                              "hãy để thời điểm xuất bản không muộn hơn hiện tại."), "published_at")
    if item.item_type == "sanction" and not data.get("published_from"):
        data["published_from"] = data["published_at"]
    _check_import_ready(item, data)
    if item.item_type == "warning":
        data["status"], data["withdrawn_reason"] = "active", ""
        if was_public:
            if not change_note.strip():
                raise WorkflowError(_("Hãy ghi chú thay đổi công khai cho bản cập nhật cảnh báo."), "change_note")
            data["change_note"] = change_note.strip()
    try:
        clean = prepare(item.item_type, data, None)
    except ContentError as exc:
        raise WorkflowError(_("Bản nháp chưa hợp lệ để xuất bản; hãy mở và sửa trường được báo lỗi."),
                            exc.field) from None
    _check_slug(item, item.item_type, clean["slug"])
    if item.slug and item.slug != clean["slug"] and item.status in (PUBLISHED, WITHDRAWN, ARCHIVED):
        _remember_old_slug(item, item.slug)
    db.session.execute(db.delete(OldSlug).filter_by(item_type=item.item_type, slug=clean["slug"]))
    apply(item, clean)
    if was_public and clean.get("change_note"):
        item.content_updated_at = now  # an update with a public change note moves the item up
    item.translation_of = _resolve_translation(item.item_type, clean)
    item.has_unpublished_changes = False
    action = "schedule" if item.published_at > now else "publish"
    return record_change(item, action, actor, change_note.strip())


def _check_import_ready(item: ContentMixin, data: dict[str, Any]) -> None:
    """An imported warning is published only translated and with its classification confirmed."""
    from ..importers.queue import publish_blockers

    blockers = publish_blockers(item, data)
    if blockers:
        field, message = blockers[0]
        raise WorkflowError(message, field)


def schedule(actor: User, item: ContentMixin, at: datetime, expected_version: int | None,
             change_note: str = "") -> Revision:
    """Publish at a future time; public surfaces show it from then on, no cron needed."""
    if at.tzinfo is None:
        raise ValueError("schedule time needs a time zone")
    perm.require(perm.can_publish(actor, item), "schedule", item.item_type)
    if at <= utcnow():
        raise WorkflowError(_("Thời điểm hẹn giờ phải ở trong tương lai."), "at")
    return publish(actor, item, expected_version, change_note, at=at)


def withdraw_warning(actor: User, item: ContentMixin, reason: str, expected_version: int | None) -> Revision:
    """Withdraw a published warning: it stays readable, with a banner and the reason."""
    perm.require(perm.can_withdraw(actor, item), "withdraw", item.item_type)
    _check_version(item, expected_version)
    if not isinstance(item, Warning) or item.status != PUBLISHED:
        raise WorkflowError(_("Chỉ thu hồi được cảnh báo đang được công bố."))
    if not reason.strip():
        raise WorkflowError(_("Hãy ghi lý do thu hồi; lý do này hiển thị công khai."), "reason")
    item.status, item.withdrawn_reason = WITHDRAWN, reason.strip()
    item.content_updated_at = utcnow()  # the withdrawal and its reason are public news
    return record_change(item, "withdraw", actor, reason.strip())


def archive(actor: User, item: ContentMixin, expected_version: int | None, reason: str = "") -> Revision:
    """Take an item off every public surface; it stays in the admin archive."""
    perm.require(perm.can_archive(actor, item), "archive", item.item_type)
    _check_version(item, expected_version)
    if item.status == ARCHIVED:
        raise WorkflowError(_("Bài này đã được lưu trữ."))
    item.status = ARCHIVED
    revision = record_change(item, "archive", actor, reason.strip())
    enqueue_search(item.item_type, item.id, op="delete")
    return revision


def restore_revision(actor: User, item: ContentMixin, revision: Revision, expected_version: int | None) -> Revision:
    """Make an old revision the working draft again (a new revision; nothing is overwritten)."""
    perm.require(perm.can_restore_revision(actor, item), "restore", item.item_type)
    _check_version(item, expected_version)
    if revision.item_type != item.item_type or revision.item_id != item.id:
        raise WorkflowError(_("Phiên bản này không thuộc bài đang sửa."))
    data = dict(revision.data)
    if item.item_type == "warning":
        data["status"], data["withdrawn_reason"] = "active", ""
    try:
        clean = prepare(item.item_type, data, DRAFT)
    except ContentError as exc:
        raise WorkflowError(_("Phiên bản cũ không còn hợp lệ với quy định hiện tại nên không khôi phục được."),
                            exc.field) from None
    _check_slug(item, item.item_type, clean["slug"])
    return _record_draft(item, "restore", actor, clean, _("Khôi phục từ phiên bản %(n)s", n=revision.version))


def _remember_old_slug(item: ContentMixin, slug: str) -> None:
    """Record a public slug the item leaves, so its old address redirects (301)."""
    db.session.execute(db.delete(OldSlug).filter_by(item_type=item.item_type, slug=slug))
    db.session.add(OldSlug(item_type=item.item_type, item_id=item.id, slug=slug, created_at=utcnow()))
    db.session.flush()
