"""The `admin` blueprint under /admin: every page needs a logged-in, active account."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..content.permissions import PermissionDenied
from ..content.workflow import StaleEdit

bp = Blueprint("admin", __name__, url_prefix="/admin")
PUBLIC_ENDPOINTS = {"admin.login"}


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    return None


@bp.after_request
def no_store(response):
    # Admin pages carry drafts and personal data: never cache them anywhere.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.errorhandler(PermissionDenied)
def permission_denied(error: PermissionDenied):
    return render_template("admin/error.html", code=403,
                           message=_("Tài khoản của bạn không có quyền thực hiện việc này.")), 403


@bp.errorhandler(413)
def too_large(error):
    return render_template("admin/error.html", code=413, message=_(
        "Dữ liệu gửi lên quá lớn (ảnh tối đa 8 MB mỗi tệp). Chưa có gì được lưu: hãy quay lại trang trước, "
        "chọn ảnh nhỏ hơn rồi gửi lại.")), 413


@bp.errorhandler(StaleEdit)
def stale_action(error: StaleEdit):
    flash(_("Bài này vừa được người khác thay đổi (nay là phiên bản %(v)s) sau khi bạn mở trang. "
            "Thao tác chưa được thực hiện; hãy xem lại bản mới nhất rồi làm lại.", v=error.item.version), "error")
    return redirect(url_for("admin.edit", kind=error.item.item_type, item_id=error.item.id))
