"""Public complaint pages: the form, the acknowledgment, the status lookup, the statistics.

None of these pages is kept by the page cache (this blueprint is not among its blueprints), and
the form and status pages answer ``Cache-Control: no-store``: they carry a CSRF token, and the
status page shows a person's own complaint.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, request, session
from flask_babel import gettext as _

from ..content.services import audit
from ..extensions import db
from ..i18n import localized_route, lurl, request_lang
from . import attachments, codes, intake, ratelimit
from .forms import IntakeForm, LookupForm
from .labels import KIND_LABELS, SECTOR_LABELS, STATUS_LABELS
from .stats import complaint_stats

bp = Blueprint("complaints", __name__)
SESSION_KEY = "complaint_filed"


def _client() -> str:
    return (request.remote_addr or "")[:64]


@bp.after_request
def private(response):
    if request.endpoint and request.endpoint.removesuffix("_en") != "complaints.statistics":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.errorhandler(413)
def too_large(error):
    return render_template("complaints/problem.html", code=413, title=_("Tệp gửi lên quá lớn"), message=_(
        "Tổng dung lượng gửi lên vượt quá %(mb)s MB nên phản ánh chưa được lưu. Hãy quay lại, bớt tệp "
        "hoặc chọn ảnh nhỏ hơn (mỗi tệp tối đa %(file_mb)s MB, tối đa %(n)s tệp) rồi gửi lại.",
        mb=_max_request_mb(), file_mb=attachments.MAX_FILE_BYTES // (1024 * 1024), n=attachments.MAX_FILES)), 413


@bp.errorhandler(ratelimit.RateLimited)
def rate_limited(error: ratelimit.RateLimited):
    response = render_template("complaints/problem.html", code=429, title=_("Bạn đã gửi quá nhiều lần"), message=_(
        "Từ địa chỉ mạng này đã có quá nhiều lượt gửi trong một giờ qua. Hãy thử lại sau khoảng %(n)s phút, "
        "hoặc gọi tổng đài miễn phí 1800 6838.", n=error.minutes))
    return response, 429, {"Retry-After": str(int(error.retry_after.total_seconds()) + 1)}


def _max_request_mb() -> int:
    from flask import current_app

    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 0) // (1024 * 1024)


def _submission(form: IntakeForm) -> tuple[intake.Submission, dict[str, str]]:
    errors: dict[str, str] = {}
    happened_on = None
    typed = (form.happened_on.data or "").strip()
    if typed:
        try:
            happened_on = date.fromisoformat(typed)
        except ValueError:
            errors["happened_on"] = _("Ngày không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2026-03-15.")
    uploads = [intake.Upload(f.stream, f.filename or "") for f in request.files.getlist("files")
               if f and (f.filename or "")]
    text = {name: (getattr(form, name).data or "") for name in (
        "business_name", "business_address", "product", "description", "happened_where", "wanted",
        "contact_name", "contact_email", "contact_phone", "contact_address")}
    return intake.Submission(kind=form.kind.data or "", sector=form.sector.data or "", happened_on=happened_on,
                             consent=bool(form.consent.data), uploads=uploads, **text), errors


@localized_route(bp, {"vi": "/phan-anh", "en": "/en/complaints"}, "form", methods=["GET", "POST"])
def form():
    form = IntakeForm()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not form.validate():  # CSRF
            errors["form"] = _("Phiên làm việc đã hết hạn; hãy gửi lại (nội dung bạn nhập vẫn còn, trừ tệp đính kèm).")
        elif (form.website.data or "").strip():
            ratelimit.check("file", _client())  # a program trying again and again is slowed like any filer
            ratelimit.record("file", _client())
            audit("complaint.honeypot", None, label="public")
            db.session.commit()
            errors["form"] = _("Không gửi được: ô “Để trống ô này” phải để trống. Hãy xóa nội dung ô đó rồi gửi lại.")
        else:
            submission, form_errors = _submission(form)
            try:
                complaint = intake.file_complaint(submission, request_lang(), _client(), form_errors)
            except intake.ComplaintError as error:
                errors = error.errors
            else:
                session[SESSION_KEY] = {"code": complaint.code, "email": bool(complaint.contact_email),
                                        "contact": bool(complaint.contact_email or complaint.contact_phone)}
                return redirect(lurl("complaints.sent"), 303)
            finally:
                for upload in request.files.getlist("files"):
                    upload.close()
        status = 400
    had_files = request.method == "POST" and any(f.filename for f in request.files.getlist("files"))
    return render_template("complaints/form.html", form=form, errors=errors, kinds=KIND_LABELS, had_files=had_files,
                           max_files=attachments.MAX_FILES, file_mb=attachments.MAX_FILE_BYTES // (1024 * 1024),
                           retention_days=_retention_days()), status


def _retention_days() -> int:
    from flask import current_app

    return int(current_app.config["COMPLAINT_RETENTION_DAYS"])


@localized_route(bp, {"vi": "/phan-anh/da-gui", "en": "/en/complaints/sent"}, "sent")
def sent():
    filed = session.pop(SESSION_KEY, None)
    if not filed:
        return redirect(lurl("complaints.status"), 303)
    return render_template("complaints/sent.html", code=codes.display(filed["code"]), email=filed["email"],
                           contact=filed["contact"])


@localized_route(bp, {"vi": "/phan-anh/tra-cuu", "en": "/en/complaints/status"}, "status", methods=["GET", "POST"])
def status():
    form = LookupForm()
    complaint, not_found, status_code = None, False, 200
    if request.method == "POST":
        if form.validate():
            complaint = intake.lookup(form.code.data or "", form.contact.data or "", _client())
            not_found = complaint is None
        else:
            not_found = True
        status_code = 200 if complaint else 404
    return render_template("complaints/status.html", form=form, complaint=complaint, not_found=not_found,
                           history=intake.public_history(complaint) if complaint else [],
                           code=codes.display(complaint.code) if complaint else "",
                           STATUS_LABELS=STATUS_LABELS, KIND_LABELS=KIND_LABELS), status_code


@localized_route(bp, {"vi": "/thong-ke/phan-anh", "en": "/en/statistics/complaints"}, "statistics")
def statistics():
    response = render_template("complaints/statistics.html", stats=complaint_stats(), STATUS_LABELS=STATUS_LABELS,
                               KIND_LABELS=KIND_LABELS, SECTOR_LABELS=SECTOR_LABELS)
    return response, 200, {"Cache-Control": "public, max-age=300"}
