"""Localised error pages. They touch no database, so a broken database still gets a page."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: _l("Yêu cầu không hợp lệ"),
    404: _l("Không tìm thấy trang"),
    405: _l("Phương thức không được hỗ trợ"),
    410: _l("Thông tin không còn được công khai"),
    500: _l("Đã có lỗi xảy ra"),
}
MESSAGES = {
    400: _l("Địa chỉ hoặc dữ liệu gửi lên có giá trị không hợp lệ. Hãy kiểm tra lại đường dẫn hoặc bắt đầu lại từ trang chủ."),
    404: _l("Trang bạn tìm không có hoặc đã được chuyển đi. Nếu bạn gõ địa chỉ, hãy kiểm tra lại chính tả; bạn cũng có thể tìm kiếm hoặc xem các mục dưới đây."),
    405: _l("Trang này không nhận yêu cầu theo cách vừa gửi."),
    410: _l("Kết quả xử lý vi phạm chỉ được công khai trong thời hạn pháp luật quy định. Thời hạn công khai của thông tin này đã kết thúc nên thông tin không còn hiển thị trên cổng."),
    500: _l("Hệ thống đang gặp sự cố và chúng tôi đã ghi nhận lỗi. Vui lòng thử lại sau ít phút. Nếu cần hỗ trợ gấp, hãy gọi tổng đài miễn phí 1800 6838."),
}


def _is_api() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int):
    """The error page for ``code`` (JSON under /api/)."""
    if _is_api():
        return jsonify(error={"status": code, "message": str(TITLES.get(code, TITLES[500]))}), code
    try:
        return render_template("errors/error.html", code=code, title=TITLES.get(code, TITLES[500]),
                               message=MESSAGES.get(code, MESSAGES[500])), code
    except Exception:  # the error page must never fail itself
        return (f"<!doctype html><title>{code}</title><h1>{code}</h1>"
                f"<p>{escape(str(MESSAGES.get(code, MESSAGES[500])))}</p><p><a href='/'>/</a></p>", code)


def handle_http_error(error: HTTPException):
    if error.code in TITLES:
        return render_error(error.code)
    return error


def handle_server_error(error: Exception):
    return render_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_server_error)
