""""Is my product recalled?" (/kiem-tra-ma, /en/check-code): a barcode or batch number looked up. Routes only."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from ..content import recall_check
from ..content.models import utcnow
from ..i18n import localized_route, request_lang
from .views import bp

CODE_ERRORS = {
    "empty": lambda: _("Hãy nhập mã vạch hoặc số lô in trên bao bì sản phẩm."),
    "too_long": lambda: _("Mã quá dài: mã vạch và số lô thường không quá %(num)s ký tự. Hãy kiểm tra lại.",
                          num=recall_check.MAX_CODE_CHARS),
    "no_code": lambda: _("Mã chỉ gồm chữ cái, chữ số, dấu cách hoặc dấu gạch ngang. Hãy nhập lại mã in trên bao bì."),
}


@localized_route(bp, {"vi": "/kiem-tra-ma", "en": "/en/check-code"}, "check")
def check():
    raw = request.args.get("code")
    code, error, warnings, now = None, None, [], utcnow()
    if raw is not None:
        try:
            code = recall_check.parse_code(raw)
        except recall_check.CodeError as exc:
            error = CODE_ERRORS[exc.reason]()
        else:
            warnings = recall_check.find_warnings(code, request_lang(), now)
    return render_template("public/check.html", code=code, typed=(raw or "")[:recall_check.MAX_CODE_CHARS * 4],
                           error=error, warnings=warnings, checked_at=now), 400 if error else 200
