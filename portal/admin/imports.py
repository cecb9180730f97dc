"""The import queue: imported drafts by source, date, category, risk and language; translating
beside the original text; bulk discard and assignment. Views are thin: services in
portal.importers.queue do the work and check permission."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf.file import FileField
from werkzeug.utils import secure_filename
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..content import permissions as perm
from ..content import taxonomy
from ..content.models import User, Warning
from ..content.permissions import PermissionDenied
from ..content.workflow import WorkflowError
from ..extensions import db
from ..importers import queue
from ..importers.models import DISCARDED, IMPORTED, LINKED, ImportRecord
from ..importers.service import SOURCES
from ..params import whole_number
from .blueprint import bp
from .forms import ActionForm, AdminForm, options
from .lookup import actor, form_version
from .queries import Listing

PER_PAGE = 50
STATES = {IMPORTED: _l("Đang chờ xử lý"), LINKED: _l("Đã gắn với cảnh báo có sẵn"), DISCARDED: _l("Đã loại bỏ")}


class BulkForm(AdminForm):
    action = SelectField(_l("Thao tác với các mục đã chọn"), choices=options([
        ("assign", _l("Giao cho biên tập viên")), ("discard", _l("Loại bỏ: không liên quan tại Việt Nam"))]))
    assignee = SelectField(_l("Biên tập viên"), choices=[], validate_choice=False)
    reason = StringField(_l("Lý do loại bỏ"), [Optional(), Length(max=300)])


class TranslateForm(ActionForm):
    title = StringField(_l("Tiêu đề tiếng Việt"), [DataRequired(), Length(max=300)])
    summary = TextAreaField(_l("Tóm tắt tiếng Việt"), [DataRequired(), Length(max=2000)])
    what_to_do = TextAreaField(_l("Người tiêu dùng cần làm gì (tiếng Việt)"), [DataRequired(), Length(max=4000)])
    category = SelectField(_l("Nhóm sản phẩm (xác nhận)"), choices=[])
    risk_level = SelectField(_l("Mức độ rủi ro (xác nhận)"), choices=[])


def _require_queue() -> None:
    perm.require(perm.can_read_admin(actor(), "warning"), "view", "warning")


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, "")[:10])
    except ValueError:
        return None


def _filters() -> dict[str, object]:
    args = request.args
    return {
        "source": args.get("source") if args.get("source") in SOURCES else "",
        "state": args.get("state") if args.get("state") in STATES else IMPORTED,
        "category": args.get("category") if args.get("category") in taxonomy.codes("category") else "",
        "risk": args.get("risk") if args.get("risk") in taxonomy.codes("risk_level") else "",
        "lang": args.get("lang") if args.get("lang") in ("vi", "en") else "",
        "date_from": _date_arg("date_from"), "date_to": _date_arg("date_to"),
        "mine": args.get("mine") == "1",
    }


def _listing(filters: dict[str, object], page: int) -> Listing:
    query = db.select(ImportRecord, Warning).outerjoin(Warning, ImportRecord.warning_id == Warning.id) \
        .where(ImportRecord.state == filters["state"])
    if filters["source"]:
        query = query.where(ImportRecord.source == filters["source"])
    if filters["category"]:
        query = query.where(Warning.category == filters["category"])
    if filters["risk"]:
        query = query.where(Warning.risk_level == filters["risk"])
    if filters["lang"]:
        query = query.where(Warning.lang == filters["lang"])
    if filters["date_from"]:
        query = query.where(ImportRecord.source_date >= filters["date_from"])
    if filters["date_to"]:
        query = query.where(ImportRecord.source_date <= filters["date_to"])
    if filters["mine"]:
        query = query.where(ImportRecord.assigned_to_id == actor().id)
    total = db.session.execute(db.select(sa.func.count()).select_from(query.subquery())).scalar_one()
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.execute(query.order_by(ImportRecord.source_date.desc().nulls_last(), ImportRecord.id.desc())
                              .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return Listing(items=rows, total=total, page=page, pages=pages)


def _editors() -> list[User]:
    users = db.session.execute(db.select(User).where(User.active.is_(True)).order_by(User.email)).scalars()
    return [user for user in users if perm.can_write(user, "warning")]


@bp.route("/imports/")
def imports():
    _require_queue()
    filters = _filters()
    page = request.args.get("page", "1")
    listing = _listing(filters, whole_number(page, 1, 99999) or 1)
    form = BulkForm()
    form.assignee.choices = options([("", _("Bỏ giao"))] + [(str(u.id), u.email) for u in _editors()])
    args = {k: (v.isoformat() if isinstance(v, date) else ("1" if v is True else ("" if v is False else v)))
            for k, v in filters.items()}
    return render_template("admin/imports.html", listing=listing, filters=filters, args=args, form=form,
                           sources=list(SOURCES), states=STATES)


@bp.route("/imports/bulk", methods=["POST"])
def imports_bulk():
    _require_queue()
    form = BulkForm()
    form.assignee.choices = options([("", "")] + [(str(u.id), u.email) for u in _editors()])
    back = request.form.get("back", "")
    back = back if back.startswith("/admin/imports/") else url_for("admin.imports")
    ids = [n for n in (whole_number(i, max_digits=9) for i in request.form.getlist("ids")) if n is not None]
    if not form.validate_on_submit() or not ids:
        flash(_("Hãy chọn ít nhất một mục và một thao tác."), "error")
        return redirect(back)
    records = db.session.execute(db.select(ImportRecord).where(ImportRecord.id.in_(ids))).scalars().all()
    try:
        if form.action.data == "discard":
            count = queue.discard(actor(), records, form.reason.data or "")
            message = _("Đã loại bỏ %(n)s mục.", n=count)
        else:
            assignee = db.session.get(User, whole_number(form.assignee.data or "", max_digits=9) or 0) or None
            count = queue.assign(actor(), records, assignee)
            message = _("Đã giao %(n)s mục.", n=count)
    except WorkflowError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(message, "success")
    return redirect(back)


@bp.route("/imports/<int:record_id>", methods=["GET", "POST"])
def import_item(record_id: int):
    _require_queue()
    record = db.session.get(ImportRecord, record_id)
    if record is None or record.warning is None:
        abort(404)
    item = record.warning
    from ..content.workflow import working_data

    data = working_data(item)
    form = TranslateForm()
    form.category.choices = options(taxonomy.choices("category"))
    form.risk_level.choices = options(c for c in taxonomy.choices("risk_level") if c[0] != "unknown")
    if request.method == "GET":
        form.version.data = str(item.version)
        if data.get("lang") == "vi":
            form.title.data, form.summary.data = data.get("title"), data.get("summary")
            form.what_to_do.data = data.get("what_to_do")
        form.category.data = record.confirmed_category or data.get("category")
        form.risk_level.data = record.confirmed_risk_level or (data.get("risk_level") if data.get("risk_level") != "unknown" else "")
    elif record.state != IMPORTED:
        abort(409)
    elif form.validate_on_submit():
        try:
            queue.confirm_and_translate(actor(), record, form_version(form.version.data),
                                        {"title": form.title.data, "summary": form.summary.data,
                                         "what_to_do": form.what_to_do.data},
                                        form.category.data, form.risk_level.data)
        except WorkflowError as error:
            db.session.rollback()
            flash(str(error), "error")
        except PermissionDenied:
            db.session.rollback()
            raise
        else:
            db.session.commit()
            flash(_("Đã lưu bản dịch và xác nhận phân loại. Bản nháp có thể gửi duyệt."), "success")
            return redirect(url_for("admin.import_item", record_id=record.id))
    return render_template("admin/imports_item.html", record=record, item=item, data=data, form=form,
                           blockers=queue.publish_blockers(item, data), states=STATES)


# ---------------------------------------------------------------- enforcement spreadsheets

class SanctionUploadForm(AdminForm):
    spreadsheet = FileField(_l("Tệp XLSX hoặc CSV theo mẫu"))


def _require_enforcement() -> None:
    perm.require(perm.can_write(actor(), "sanction"), "import", "sanction")


@bp.route("/imports/sanctions/template.<any(xlsx,csv):fmt>")
def sanctions_template(fmt: str):
    _require_enforcement()
    from ..importers.sanctions import template_csv, template_xlsx

    body, mimetype = ((template_xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                      if fmt == "xlsx" else (template_csv(), "text/csv; charset=utf-8"))
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=mau-ket-qua-xu-phat.{fmt}"})


@bp.route("/imports/sanctions", methods=["GET", "POST"])
def sanctions_upload():
    _require_enforcement()
    from ..importers.base import ImportFileError
    from ..importers.sanctions import import_sanctions

    form = SanctionUploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        if upload is None or not getattr(upload, "filename", ""):
            flash(_("Hãy chọn tệp XLSX hoặc CSV."), "error")
        else:
            try:
                report = import_sanctions(upload.stream, secure_filename(upload.filename) or "upload.csv", actor())
            except ImportFileError as error:
                db.session.rollback()
                flash(_("Không đọc được tệp: %(e)s. Chưa có gì được lưu.", e=str(error)), "error")
            else:
                if report.ok:
                    flash(_("Đã ghi %(n)s kết quả xử phạt dưới dạng bản nháp.", n=len(report.created)), "success")
                else:
                    flash(_("Có dòng chưa hợp lệ nên chưa có gì được lưu; hãy sửa các dòng được báo rồi tải lên lại."),
                          "error")
    return render_template("admin/imports_sanctions.html", form=form, report=report)
