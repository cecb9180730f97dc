"""Admin pages for content: the dashboard, the lists, and the edit form (its preview button
saves the draft and leads to the one preview page, `steps.preview`)."""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..content import images as image_store
from ..content import permissions as perm
from ..content import workflow
from ..content.models import ContentMixin, Revision, utcnow
from ..content.schema import REQUIRED_TO_PUBLISH, ContentError
from ..content.services import audit
from ..extensions import db
from ..params import whole_number
from . import queries
from .blueprint import bp
from .bulk_views import bulk_form
from .convert import (
    attach_error,
    attach_workflow_error,
    content_error_field,
    content_error_message,
    data_to_form,
    form_to_data,
    workflow_message,
)
from .diff import diff_content
from .forms import FORMS, ActionForm, ContentForm
from .lookup import KIND, actor, form_version, get_item, require_view, revision_author


def _int_arg(name: str, default: int = 1) -> int:
    value = whole_number(request.args.get(name, ""), 1, 999999)
    return default if value is None else value


# ---------------------------------------------------------------- dashboard and lists

@bp.route("/")
def dashboard():
    now = utcnow()
    types = perm.writable_types(actor())
    return render_template(
        "admin/dashboard.html", now=now, review=queries.awaiting_review(types),
        drafts=queries.drafts(types), scheduled=queries.scheduled(types, now),
        expiring=queries.expiring_sanctions(now) if "sanction" in types else [],
        recent=queries.recent_changes(types) if types else [],
    )


@bp.route(f"/{KIND}s/")
def content_list(kind: str):
    require_view(kind)
    stage = request.args.get("stage", "")
    stage = stage if stage in queries.LIST_FILTERS else ""
    q = request.args.get("q", "")[:200].strip()
    org = request.args.get("org", "")
    mine = request.args.get("mine") == "1"
    now = utcnow()
    listing = queries.content_list(kind, stage, q, org, _int_arg("page"), now,
                                   author_id=actor().id if mine else None)
    return render_template("admin/list.html", kind=kind, listing=listing, stage=stage, q=q, org=org, mine=mine,
                           filters=queries.LIST_FILTERS, now=now, bulk_form=bulk_form(kind))


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
        image = image_store.store_upload(actor(), upload.stream, form.new_image_alt.data or "")
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
    needed = {content_error_field(path) for path in REQUIRED_TO_PUBLISH[kind]}
    context: dict[str, Any] = {"kind": kind, "item": item, "form": form, "action_form": ActionForm(), "needed": needed}
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
    perm.require(perm.can_write(actor(), kind), "create", kind)
    form = FORMS[kind]()
    if request.method == "GET":
        if kind == "sanction":
            form.online.data = True
        return _edit_page(kind, None, form)
    return _handle_edit(kind, None, form)


@bp.route(f"/{KIND}s/<int:item_id>", methods=["GET", "POST"])
def edit(kind: str, item_id: int):
    item = get_item(kind, item_id)
    if request.method == "GET":
        form = FORMS[kind](data={**data_to_form(workflow.working_data(item), kind), "version": item.version})
        return _edit_page(kind, item, form)
    perm.require(perm.can_write(actor(), kind), "save", kind)
    return _handle_edit(kind, item, FORMS[kind]())


def _handle_edit(kind: str, item: ContentMixin | None, form: ContentForm):
    """Save the draft; then, as the button asked, show the preview page or submit for review."""
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
    try:
        if item is None:
            item = workflow.create_item(actor(), kind, data)
        else:
            workflow.save_draft(actor(), item, data, form_version(form.version.data), form.note.data or "")
        db.session.commit()
    except ContentError as exc:
        db.session.rollback()
        _attach_content_error(form, exc)
        return _edit_page(kind, item if item is not None and item.id else None, form, 422)
    except workflow.WorkflowError as exc:
        db.session.rollback()
        if not attach_workflow_error(form, exc) or isinstance(exc, workflow.Incomplete):
            flash(workflow_message(exc), "error")
        return _edit_page(kind, item if item is not None and item.id else None, form, 422)
    except workflow.StaleEdit:
        db.session.rollback()
        return _refuse_stale(kind, item, data, form)
    if action == "preview":
        return redirect(url_for("admin.preview", kind=kind, item_id=item.id))
    if action == "submit":
        return _submit_saved(kind, item, form)
    flash(_("Đã lưu (phiên bản %(v)s).", v=item.version), "success")
    return redirect(url_for("admin.edit", kind=kind, item_id=item.id))


def _submit_saved(kind: str, item: ContentMixin, form: ContentForm):
    """Submit a just-saved draft; a refusal keeps the saved draft and marks what is missing."""
    saved = item.version
    try:
        workflow.submit_for_review(actor(), item, saved)
        db.session.commit()
    except workflow.WorkflowError as exc:
        db.session.rollback()
        attach_workflow_error(form, exc)
        flash(_("Đã lưu bản nháp (phiên bản %(v)s) nhưng chưa gửi duyệt được.", v=saved) + " " + workflow_message(exc),
              "error")
        form.version.data = str(item.version)
        return _edit_page(kind, item, form, 422)
    flash(_("Đã gửi duyệt. Người duyệt sẽ thấy bài trong mục “Chờ duyệt”."), "success")
    return redirect(url_for("admin.edit", kind=kind, item_id=item.id))


def _refuse_stale(kind: str, item: ContentMixin, refused: dict[str, Any], posted: ContentForm):
    """Someone saved since this form was opened: keep the refused text, show both versions."""
    audit("edit.refused_stale", actor(), item, {"form_version": posted.version.data, "version": item.version,
                                                 "refused": refused})
    db.session.commit()
    current = workflow.working_data(item)
    form = FORMS[kind](formdata=None, data={**data_to_form(current, kind), "version": item.version})
    last = db.session.get(Revision, item.latest_revision_id) if item.latest_revision_id else None
    return _edit_page(kind, item, form, 409, refused=refused, refused_changes=diff_content(current, refused),
                      last_revision=last, last_author=revision_author(last))


