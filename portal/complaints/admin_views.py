"""Admin pages of the complaint queue, under /admin/complaints (login, second factor and
``no-store`` as on every admin page; the complaint role is checked in the services)."""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request, send_file,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..admin import auth as admin_auth
from ..admin import blueprint as admin_blueprint
from ..admin.forms import options
from ..content.models import utcnow
from ..content.permissions import PermissionDenied
from ..extensions import db
from ..params import whole_number
from . import attachments, handling, queue
from . import export as complaint_export
from .forms import AssignForm, LinkForm, MessageForm, NoteForm, StatusForm, VersionForm
from .labels import KIND_LABELS, SECTOR_LABELS, STATUS_LABELS

admin_bp = Blueprint("complaints_admin", __name__, url_prefix="/admin/complaints")
admin_bp.before_request(admin_blueprint.require_login)
admin_bp.before_request(admin_auth.require_account_steps)
admin_bp.after_request(admin_blueprint.no_store)


@admin_bp.errorhandler(PermissionDenied)
def denied(error):
    return admin_blueprint.permission_denied(error)


def _actor():
    return current_user._get_current_object()


def _complaint(complaint_id: int):
    complaint = queue.get(_actor(), complaint_id)
    if complaint is None:
        abort(404)
    return complaint


def _version(form) -> int | None:
    return whole_number(form.version.data or "", max_digits=9)


@admin_bp.route("/")
def queue_page():
    filters = queue.QueueFilters.from_args(request.args)
    number = whole_number(request.args.get("page", "1"), max_digits=6) or 1
    complaints, total = queue.page(_actor(), filters, number)
    pages = max(1, -(-total // queue.PER_PAGE))
    return render_template("complaints/admin_queue.html", complaints=complaints, total=total, filters=filters,
                           number=number, pages=pages, now=utcnow(), STATUS_LABELS=STATUS_LABELS,
                           KIND_LABELS=KIND_LABELS, SECTOR_LABELS=SECTOR_LABELS)


@admin_bp.route("/export.<any(csv,xlsx):fmt>")
def export(fmt: str):
    filters = queue.QueueFilters.from_args(request.args)
    chunks = complaint_export.export(_actor(), queue.select(_actor(), filters), fmt)
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                else "text/csv; charset=utf-8")
    name = f"phan-anh-{utcnow():%Y%m%d}.{fmt}"
    return Response(stream_with_context(chunks), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@admin_bp.route("/<int:complaint_id>")
def detail(complaint_id: int):
    complaint = _complaint(complaint_id)
    version = str(complaint.version)
    officers = queue.handlers()
    assign_form = AssignForm(version=version, org=complaint.assigned_org,
                             officer=str(complaint.assigned_to_id or ""))
    assign_form.officer.choices = options([("", _("— Chưa giao —"))] + [(str(u.id), u.email) for u in officers])
    return render_template(
        "complaints/admin_detail.html", complaint=complaint, now=utcnow(),
        status_form=StatusForm(version=version), assign_form=assign_form, note_form=NoteForm(version=version),
        message_form=MessageForm(version=version), link_form=LinkForm(version=version,
                                                                      sanction_id=str(complaint.sanction_id or "")),
        next_statuses=handling.TRANSITIONS.get(complaint.status, ()), officers={u.id: u.email for u in officers},
        STATUS_LABELS=STATUS_LABELS, KIND_LABELS=KIND_LABELS, SECTOR_LABELS=SECTOR_LABELS)


def _run(complaint_id: int, form_class, step, success: str):
    complaint = _complaint(complaint_id)
    form = form_class()
    if not form.validate():
        flash(_("Phiên làm việc đã hết hạn; hãy tải lại trang rồi làm lại."), "error")
        return redirect(url_for(".detail", complaint_id=complaint.id))
    try:
        step(complaint, form)
    except handling.HandlingError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for(".detail", complaint_id=complaint_id))


@admin_bp.route("/<int:complaint_id>/status", methods=["POST"])
def change_status(complaint_id: int):
    return _run(complaint_id, StatusForm, lambda c, f: handling.change_status(
        _actor(), c, f.status.data or "", _version(f), f.reason.data or ""), _("Đã đổi tình trạng."))


@admin_bp.route("/<int:complaint_id>/assign", methods=["POST"])
def assign(complaint_id: int):
    def step(complaint, form):
        officer = whole_number(form.officer.data or "", max_digits=9) if form.officer.data else None
        handling.assign(_actor(), complaint, form.org.data or "", officer, _version(form))
    return _run(complaint_id, AssignForm, step, _("Đã lưu phân công."))


@admin_bp.route("/<int:complaint_id>/note", methods=["POST"])
def note(complaint_id: int):
    return _run(complaint_id, NoteForm, lambda c, f: handling.add_note(_actor(), c, f.text.data or "", _version(f)),
                _("Đã thêm ghi chú."))


@admin_bp.route("/<int:complaint_id>/message", methods=["POST"])
def message(complaint_id: int):
    return _run(complaint_id, MessageForm,
                lambda c, f: handling.send_message(_actor(), c, f.text.data or "", _version(f)),
                _("Đã xếp thư vào hàng gửi."))


@admin_bp.route("/<int:complaint_id>/link", methods=["POST"])
def link(complaint_id: int):
    def step(complaint, form):
        typed = (form.sanction_id.data or "").strip()
        number = whole_number(typed, max_digits=9) if typed else None
        if typed and number is None:
            raise handling.HandlingError(_("Số của kết quả xử lý vi phạm phải là số nguyên."))
        handling.link_sanction(_actor(), complaint, number, _version(form))
    return _run(complaint_id, LinkForm, step, _("Đã lưu liên kết."))


@admin_bp.route("/<int:complaint_id>/warning", methods=["POST"])
def draft_warning(complaint_id: int):
    return _run(complaint_id, VersionForm,
                lambda c, f: handling.draft_warning(_actor(), c, _version(f)),
                _("Đã tạo bản nháp cảnh báo cho biên tập viên."))


@admin_bp.route("/<int:complaint_id>/files/<int:attachment_id>")
def attachment(complaint_id: int, attachment_id: int):
    complaint = _complaint(complaint_id)
    found = next((a for a in complaint.attachments if a.id == attachment_id), None)
    path = attachments.path_of(found.stored_name) if found else None
    if path is None:
        abort(404)
    response = send_file(path, mimetype=found.content_type, as_attachment=found.content_type == "application/pdf",
                         download_name=f"{complaint.code}-{found.id}.{path.suffix.lstrip('.')}", max_age=0)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "no-store"
    return response
