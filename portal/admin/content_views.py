"""Admin pages for content: dashboard, lists, the edit form, workflow steps, history."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content import images as image_store
from ..content import permissions as perm
from ..content import workflow
from ..content.models import CONTENT_MODELS, DRAFT, ContentMixin, Revision, utcnow
from ..content.schema import ContentError, to_dict
from ..content.services import audit
from ..extensions import db
from . import queries
from .blueprint import bp
from .diff import diff_content
from .forms import (FORMS, VN, ActionForm, ContentForm, PublishForm, ReasonForm, ReturnForm, attach_error,
                    content_error_field, content_error_message, data_to_form, form_to_data)
from .preview import render_public, transient_item

KIND = "<any(warning,article,sanction):kind>"


def _actor():
    return current_user._get_current_object()


def _require_view(kind: str) -> None:
    perm.require(perm.can_read_admin(_actor(), kind), "view", kind)


def _item(kind: str, item_id: int) -> ContentMixin:
    _require_view(kind)
    item = db.session.get(CONTENT_MODELS[kind], item_id)
    if item is None:
        abort(404)
    return item


def _int_arg(name: str, default: int = 1) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


# ---------------------------------------------------------------- dashboard and lists

@bp.route("/")
def dashboard():
    actor, now = _actor(), utcnow()
    types = perm.writable_types(actor)
    return render_template(
        "admin/dashboard.html", now=now, review=queries.awaiting_review(types),
        drafts=queries.drafts(types), scheduled=queries.scheduled(types, now),
        expiring=queries.expiring_sanctions(now) if "sanction" in types else [],
        recent=queries.recent_changes(types) if types else [],
    )


@bp.route(f"/{KIND}s/")
def content_list(kind: str):
    _require_view(kind)
    stage = request.args.get("stage", "")
    stage = stage if stage in queries.LIST_FILTERS else ""
    q = request.args.get("q", "")[:200].strip()
    org = request.args.get("org", "")
    mine = request.args.get("mine") == "1"
    listing = queries.content_list(kind, stage, q, org, _int_arg("page"), utcnow(),
                                   author_id=_actor().id if mine else None)
    return render_template("admin/list.html", kind=kind, listing=listing, stage=stage, q=q, org=org, mine=mine,
                           filters=queries.LIST_FILTERS)


# ---------------------------------------------------------------- editing

def _empty_rows(form: ContentForm) -> None:
    """Offer one empty measure row, so a measure can be added without JavaScript."""
    if hasattr(form, "measures") and (not form.measures.entries or not form.measures.entries[-1].form.is_empty()):
        form.measures.append_entry()


def _store_new_image(form: ContentForm) -> bool:
    """Store an attached image at once (a re-rendered form cannot carry a file); False if refused."""
    upload = request.files.get(form.new_image.name)
    if upload is None or not upload.filename:
        return True
    try:
        image = image_store.store_upload(_actor(), upload.stream, form.new_image_alt.data or "")
    except image_store.ImageRejected as exc:
        attach_error(form, "new_image", exc.message)
        return False
    form.images.append_entry({"src": image["src"], "alt": image["alt"], "remove": False})
    form.new_image_alt.data = ""
    return True


def _known_images(item: ContentMixin | None, form: ContentForm) -> list[dict]:
    """Image dicts for the form's rows: the item's own, or uploads found in the media folder."""
    known = list(workflow.working_data(item).get("images") or []) if item is not None else []
    by_src = {image["src"] for image in known}
    for entry in form.images:
        src = entry.form.src.data or ""
        if src and src not in by_src:
            found = image_store.describe(src)
            if found is None:
                attach_error(form, "images", _("Một ảnh trong danh sách không còn tồn tại; hãy tải lên lại."))
            else:
                known.append(found)
    return known


def _edit_page(kind: str, item: ContentMixin | None, form: ContentForm, status: int = 200, **extra: Any):
    _empty_rows(form)
    context: dict[str, Any] = {"kind": kind, "item": item, "form": form, "action_form": ActionForm()}
    if item is not None:
        context.update(stage=workflow.stage(item), pending=workflow.pending_stage(item),
                       live=workflow.is_live(item))
    context.update(extra)
    return render_template("admin/edit.html", **context), status


def _attach_content_error(form: ContentForm, error: ContentError) -> None:
    message = content_error_message(error)
    if not attach_error(form, content_error_field(error.field), message):
        flash(_("Lỗi ở trường %(field)s: %(message)s", field=error.field, message=message), "error")


@bp.route(f"/{KIND}s/new", methods=["GET", "POST"])
def create(kind: str):
    perm.require(perm.can_write(_actor(), kind), "create", kind)
    form = FORMS[kind]()
    if request.method == "GET":
        if kind == "sanction":
            form.online.data = True
        return _edit_page(kind, None, form)
    return _handle_edit(kind, None, form)


@bp.route(f"/{KIND}s/<int:item_id>", methods=["GET", "POST"])
def edit(kind: str, item_id: int):
    item = _item(kind, item_id)
    if request.method == "GET":
        form = FORMS[kind](data={**data_to_form(workflow.working_data(item), kind), "version": item.version})
        return _edit_page(kind, item, form)
    perm.require(perm.can_write(_actor(), kind), "save", kind)
    return _handle_edit(kind, item, FORMS[kind]())


def _handle_edit(kind: str, item: ContentMixin | None, form: ContentForm):
    action = request.form.get("action", "save")
    if action == "add-measure" and hasattr(form, "measures"):
        _store_new_image(form)
        form.measures.append_entry()
        return _edit_page(kind, item, form)
    valid = form.validate()  # before the upload: validate() resets every field's errors
    upload_ok = _store_new_image(form)
    known = _known_images(item, form)
    if not (valid and upload_ok and not form.images.errors):
        flash(_("Chưa lưu được: hãy sửa các trường được đánh dấu bên dưới."), "error")
        return _edit_page(kind, item, form, 422)
    data = form_to_data(form, kind, known)
    if action == "preview":
        try:
            clean = workflow.prepare(kind, data, DRAFT)
        except ContentError as exc:
            _attach_content_error(form, exc)
            return _edit_page(kind, item, form, 422)
        preview = render_public(kind, transient_item(kind, clean, item.id if item else None))
        return _edit_page(kind, item, form, preview_html=preview)
    try:
        if item is None:
            item = workflow.create_item(_actor(), kind, data)
        else:
            workflow.save_draft(_actor(), item, data, _version(form.version.data), form.note.data or "")
        if action == "submit":
            workflow.submit_for_review(_actor(), item, item.version)
        db.session.commit()
    except ContentError as exc:
        db.session.rollback()
        _attach_content_error(form, exc)
        return _edit_page(kind, item if item is not None and item.id else None, form, 422)
    except workflow.WorkflowError as exc:
        db.session.rollback()
        if not attach_error(form, exc.field, exc.message):
            flash(exc.message, "error")
        return _edit_page(kind, item if item is not None and item.id else None, form, 422)
    except workflow.StaleEdit:
        db.session.rollback()
        return _refuse_stale(kind, item, data, form)
    flash(_("Đã gửi duyệt. Người duyệt sẽ thấy bài trong mục “Chờ duyệt”.") if action == "submit"
          else _("Đã lưu (phiên bản %(v)s).", v=item.version), "success")
    return redirect(url_for("admin.edit", kind=kind, item_id=item.id))


def _version(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _refuse_stale(kind: str, item: ContentMixin, refused: dict[str, Any], posted: ContentForm):
    """Someone saved since this form was opened: keep the refused text, show both versions."""
    audit("edit.refused_stale", _actor(), item, {"form_version": posted.version.data, "version": item.version,
                                                 "refused": refused})
    db.session.commit()
    current = workflow.working_data(item)
    form = FORMS[kind](formdata=None, data={**data_to_form(current, kind), "version": item.version})
    last = db.session.get(Revision, item.latest_revision_id) if item.latest_revision_id else None
    return _edit_page(kind, item, form, 409, refused=refused, refused_changes=diff_content(current, refused),
                      last_revision=last, last_author=_author(last))


def _author(revision: Revision | None):
    from ..content.models import User

    return db.session.get(User, revision.author_id) if revision is not None and revision.author_id else None


# ---------------------------------------------------------------- workflow steps

@bp.route(f"/{KIND}s/<int:item_id>/preview")
def preview(kind: str, item_id: int):
    """The working draft as the public page, its changes against the live version, and the steps."""
    item = _item(kind, item_id)
    data = workflow.working_data(item)
    try:
        clean = workflow.prepare(kind, data, DRAFT)
        withdrawn = item.status == "withdrawn" and not item.has_unpublished_changes
        page = render_public(kind, transient_item(kind, clean, item.id, item.withdrawn_reason if withdrawn else ""))
    except ContentError:
        page = None
    changes = diff_content(to_dict(item), data) if workflow.is_live(item) and item.has_unpublished_changes else []
    publish_form = PublishForm(data={"version": item.version, "change_note": _suggested_note(item, data)})
    return render_template("admin/preview.html", kind=kind, item=item, preview_html=page, changes=changes,
                           publish_form=publish_form, return_form=ReturnForm(data={"version": item.version}),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item),
                           pending=workflow.pending_stage(item), live=workflow.is_live(item),
                           needs_note=_needs_change_note(item))


def _needs_change_note(item: ContentMixin) -> bool:
    return item.item_type == "warning" and workflow.is_live(item) and bool(
        item.published_at and item.published_at <= utcnow())


def _suggested_note(item: ContentMixin, data: dict[str, Any]) -> str:
    note = data.get("change_note") or ""
    return note if note != (getattr(item, "change_note", "") or "") else ""


@bp.route(f"/{KIND}s/<int:item_id>/submit", methods=["POST"])
def submit(kind: str, item_id: int):
    item = _item(kind, item_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    _run(lambda: workflow.submit_for_review(_actor(), item, _version(form.version.data)),
         _("Đã gửi duyệt."))
    return redirect(url_for("admin.edit", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/publish", methods=["POST"])
def publish(kind: str, item_id: int):
    item = _item(kind, item_id)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Thời điểm hẹn giờ không hợp lệ."), "error")
        return redirect(url_for("admin.preview", kind=kind, item_id=item.id))
    at = form.at.data.replace(tzinfo=VN) if form.at.data else None

    def step():
        if at is not None:
            return workflow.schedule(_actor(), item, at, _version(form.version.data), form.change_note.data or "")
        return workflow.publish(_actor(), item, _version(form.version.data), form.change_note.data or "")

    if _run(step, _("Đã hẹn giờ xuất bản.") if at else _("Đã xuất bản.")):
        return redirect(url_for("admin.edit", kind=kind, item_id=item.id))
    return redirect(url_for("admin.preview", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/return", methods=["POST"])
def return_draft(kind: str, item_id: int):
    item = _item(kind, item_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        abort(400)
    _run(lambda: workflow.return_to_draft(_actor(), item, _version(form.version.data), form.note.data or ""),
         _("Đã trả bài về cho người viết."))
    return redirect(url_for("admin.preview", kind=kind, item_id=item.id))


@bp.route(f"/{KIND}s/<int:item_id>/<any(withdraw,archive):step>", methods=["GET", "POST"])
def reasoned_step(kind: str, item_id: int, step: str):
    """Withdraw a warning, or archive any item: both ask for a reason first."""
    item = _item(kind, item_id)
    allowed = perm.can_withdraw(_actor(), item) if step == "withdraw" else perm.can_archive(_actor(), item)
    perm.require(allowed, step, kind)
    form = ReasonForm(data={"version": item.version})
    form.reason.label.text = (_("Lý do thu hồi (hiển thị công khai)") if step == "withdraw"
                              else _("Lý do (chỉ ghi trong nhật ký)"))
    status = 200
    if form.validate_on_submit():
        reason, version = form.reason.data or "", _version(form.version.data)
        if step == "withdraw":
            done = _run(lambda: workflow.withdraw_warning(_actor(), item, reason, version),
                        _("Đã thu hồi cảnh báo. Trang vẫn hiển thị kèm lý do thu hồi."), form)
        else:
            done = _run(lambda: workflow.archive(_actor(), item, version, reason),
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
        if form is None or not attach_error(form, exc.field, exc.message):
            flash(exc.message, "error")
        return False
    flash(success, "success")
    return True


# ---------------------------------------------------------------- history

@bp.route(f"/{KIND}s/<int:item_id>/history")
def history(kind: str, item_id: int):
    item = _item(kind, item_id)
    return render_template("admin/history.html", kind=kind, item=item, revisions=queries.revisions_of(item),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item))


def _revision(item: ContentMixin, revision_id: int) -> Revision:
    revision = db.session.get(Revision, revision_id)
    if revision is None or revision.item_type != item.item_type or revision.item_id != item.id:
        abort(404)
    return revision


@bp.route(f"/{KIND}s/<int:item_id>/revisions/<int:revision_id>")
def revision(kind: str, item_id: int, revision_id: int):
    item = _item(kind, item_id)
    rev = _revision(item, revision_id)
    before = queries.previous_revision(rev)
    return render_template("admin/revision.html", kind=kind, item=item, revision=rev, previous=before,
                           author=_author(rev), changes=diff_content(before.data if before else None, rev.data),
                           action_form=ActionForm(data={"version": item.version}), stage=workflow.stage(item))


@bp.route(f"/{KIND}s/<int:item_id>/revisions/<int:revision_id>/restore", methods=["POST"])
def restore(kind: str, item_id: int, revision_id: int):
    item = _item(kind, item_id)
    rev = _revision(item, revision_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    if _run(lambda: workflow.restore_revision(_actor(), item, rev, _version(form.version.data)),
            _("Đã khôi phục phiên bản %(v)s thành bản nháp mới. Bản đang công khai chưa thay đổi.", v=rev.version)):
        return redirect(url_for("admin.edit", kind=kind, item_id=item.id))
    return redirect(url_for("admin.revision", kind=kind, item_id=item.id, revision_id=rev.id))
