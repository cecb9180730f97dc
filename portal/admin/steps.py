"""Admin pages for the workflow steps after editing: preview and publish, return, withdraw,
archive; and the revision history with diffs and restore."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..content import permissions as perm
from ..content import workflow
from ..content.models import DRAFT, ContentMixin, Revision, utcnow
from ..content.schema import ContentError, missing_fields, to_dict
from ..extensions import db
from . import queries
from .blueprint import bp
from .convert import VN, attach_workflow_error, workflow_message
from .diff import FIELD_LABELS, diff_content
from .forms import ActionForm, PublishForm, ReasonForm, ReturnForm
from .lookup import KIND, actor, form_version, get_item, revision_author
from .preview import render_draft, transient_item


@bp.route(f"/{KIND}s/<int:item_id>/preview")
def preview(kind: str, item_id: int):
    """The one preview: the working draft as the public page, its changes against the live
    version, what is still missing, and the next steps the actor's role allows."""
    item = get_item(kind, item_id)
    data = workflow.working_data(item)
    missing = [str(FIELD_LABELS.get(path, path)) for path in missing_fields(dict(data, type=kind))]
    try:
        clean = workflow.prepare(kind, data, DRAFT)
        withdrawn = item.status == "withdrawn" and not item.has_unpublished_changes
        page = render_draft(kind, transient_item(kind, clean, item.id, item.withdrawn_reason if withdrawn else ""),
                            complete=not missing)
    except ContentError:
        page = None
    changes = diff_content(to_dict(item), data) if workflow.is_live(item) and item.has_unpublished_changes else []
    publish_form = PublishForm(data={"version": item.version, "change_note": _suggested_note(item, data)})
    return render_template("admin/preview.html", kind=kind, item=item, preview_html=page, changes=changes,
                           publish_form=publish_form, return_form=ReturnForm(data={"version": item.version}),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item),
                           pending=workflow.pending_stage(item), live=workflow.is_live(item),
                           needs_note=_needs_change_note(item), missing=missing)


def _needs_change_note(item: ContentMixin) -> bool:
    return item.item_type == "warning" and workflow.is_live(item) and bool(
        item.published_at and item.published_at <= utcnow())


def _suggested_note(item: ContentMixin, data: dict[str, Any]) -> str:
    note = data.get("change_note") or ""
    return note if note != (getattr(item, "change_note", "") or "") else ""


@bp.route(f"/{KIND}s/<int:item_id>/submit", methods=["POST"])
def submit(kind: str, item_id: int):
    item = get_item(kind, item_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    _run(lambda: workflow.submit_for_review(actor(), item, form_version(form.version.data)),
         _("Đã gửi duyệt."))
    return redirect(url_for("admin.edit", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/publish", methods=["POST"])
def publish(kind: str, item_id: int):
    item = get_item(kind, item_id)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Thời điểm hẹn giờ không hợp lệ."), "error")
        return redirect(url_for("admin.preview", kind=kind, item_id=item.id))
    at = form.at.data.replace(tzinfo=VN) if form.at.data else None

    def step():
        if at is not None:
            return workflow.schedule(actor(), item, at, form_version(form.version.data), form.change_note.data or "")
        return workflow.publish(actor(), item, form_version(form.version.data), form.change_note.data or "")

    if _run(step, _("Đã hẹn giờ xuất bản.") if at else _("Đã xuất bản.")):
        return redirect(url_for("admin.edit", kind=kind, item_id=item.id))
    return redirect(url_for("admin.preview", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/return", methods=["POST"])
def return_draft(kind: str, item_id: int):
    item = get_item(kind, item_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        abort(400)
    _run(lambda: workflow.return_to_draft(actor(), item, form_version(form.version.data), form.note.data or ""),
         _("Đã trả bài về cho người viết."))
    return redirect(url_for("admin.preview", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/<any(withdraw,archive):step>", methods=["GET", "POST"])
def reasoned_step(kind: str, item_id: int, step: str):
    """Withdraw a warning, or archive any item: both ask for a reason first."""
    item = get_item(kind, item_id)
    allowed = perm.can_withdraw(actor(), item) if step == "withdraw" else perm.can_archive(actor(), item)
    perm.require(allowed, step, kind)
    form = ReasonForm(data={"version": item.version})
    form.reason.label.text = (_("Lý do thu hồi (hiển thị công khai)") if step == "withdraw"
                              else _("Lý do (chỉ ghi trong nhật ký)"))
    status = 200
    if form.validate_on_submit():
        reason, version = form.reason.data or "", form_version(form.version.data)
        if step == "withdraw":
            done = _run(lambda: workflow.withdraw_warning(actor(), item, reason, version),
                        _("Đã thu hồi cảnh báo. Trang vẫn hiển thị kèm lý do thu hồi."), form)
        else:
            done = _run(lambda: workflow.archive(actor(), item, version, reason),
                        _("Đã lưu trữ; bài không còn hiển thị công khai."), form)
        if done:
            return redirect(url_for("admin.edit", kind=kind, item_id=item.id))
        status = 422
    elif request.method == "POST":
        status = 422
    return render_template("admin/reason.html", kind=kind, item=item, form=form, step=step,
                           stage=workflow.stage(item)), status


def _run(step, success: str, form=None) -> bool:
    """Run one workflow step and commit; a refusal becomes a message (stale: see blueprint)."""
    try:
        step()
        db.session.commit()
    except workflow.WorkflowError as exc:
        db.session.rollback()
        if form is None or not attach_workflow_error(form, exc):
            flash(workflow_message(exc), "error")
        return False
    flash(success, "success")
    return True


# ---------------------------------------------------------------- history

@bp.route(f"/{KIND}s/<int:item_id>/history")
def history(kind: str, item_id: int):
    item = get_item(kind, item_id)
    return render_template("admin/history.html", kind=kind, item=item, revisions=queries.revisions_of(item),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item))


def _revision(item: ContentMixin, revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None or revision.item_type != item.item_type or revision.item_id != item.id:
        abort(404)
    return revision


@bp.route(f"/{KIND}s/<int:item_id>/revisions/<int:revision_id>")
def revision(kind: str, item_id: int, revision_id: int):
    item = get_item(kind, item_id)
    rev = _revision(item, revision_id)
    before = queries.previous_revision(rev)
    return render_template("admin/revision.html", kind=kind, item=item, revision=rev, previous=before,
                           author=revision_author(rev), changes=diff_content(before.data if before else None, rev.data),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item))


@bp.route(f"/{KIND}s/<int:item_id>/revisions/<int:revision_id>/restore", methods=["POST"])
def restore(kind: str, item_id: int, revision_id: int):
    item = get_item(kind, item_id)
    rev = _revision(item, revision_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if _run(lambda: workflow.restore_revision(actor(), item, rev, form_version(form.version.data)),
            _("Đã khôi phục phiên bản %(v)s thành bản nháp mới. Bản đang công khai chưa thay đổi.", v=rev.version)):
        return redirect(url_for("admin.edit", kind=kind, item_id=item.id))
    return redirect(url_for("admin.revision", kind=kind, item_id=item.id, revision_id=rev.id))
