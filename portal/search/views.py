"""The search page (/tim-kiem, /en/search) and GET /api/v1/search. Routes only."""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..content import recall_check
from ..content.models import utcnow
from ..i18n import localized_route, request_lang
from ..params import url_args
from . import badges, service

log = logging.getLogger(__name__)

bp = Blueprint("search", __name__)

ERROR_MESSAGES = {
    "type": lambda: _("Loại nội dung không hợp lệ; đã tìm trong tất cả các loại."),
    "page": lambda: _("Số trang không hợp lệ; đây là trang đầu tiên."),
    "date_from": lambda: _("Ngày không hợp lệ; hãy nhập theo dạng năm-tháng-ngày."),
    "date_to": lambda: _("Ngày không hợp lệ hoặc trước ngày bắt đầu."),
}


def _error_message(name: str) -> str:
    make = ERROR_MESSAGES.get(name)
    return make() if make else _("Giá trị của bộ lọc này không hợp lệ và đã được bỏ qua.")


def _url_with(**changes) -> str:
    """This search with some parameters changed (None removes one); page starts again at 1."""
    args = url_args(request.args, without=("page",))
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **args)


@localized_route(bp, {"vi": "/tim-kiem", "en": "/en/search"}, "results")
def results():
    search_request, errors = service.parse_request(request.args)
    result, failed = None, False
    if search_request.q:
        try:
            result = service.run_search(search_request)
        except Exception:  # noqa: BLE001 - the front door explains a broken index instead of a 500
            log.exception("search failed for %r", search_request.q)
            failed = True
    if (result is not None and result.identifier_hit is not None and not errors
            and search_request.page == 1 and not search_request.kind and not search_request.has_warning_filters):
        return redirect(service.hit_url(result.identifier_hit), code=303)
    status = 503 if failed else 400 if errors else 200
    # A barcode or batch number nothing matches: "no warning recorded", not spelling tips.
    code = recall_check.looks_like_code(search_request.q) if result is not None and not result.total else None
    return render_template(
        "search/results.html", search=search_request, result=result, failed=failed, code=code, checked_at=utcnow(),
        errors={name: _error_message(name) for name in errors}, url_with=_url_with,
        hit_url=service.hit_url, lang=request_lang(),
        warning_states=badges.warning_states(result.hits) if result is not None else {},
    ), status


@bp.route("/api/v1/search")
def api_search():
    try:
        payload, status = service.api_payload(request.args)
    except Exception:  # noqa: BLE001 - JSON clients get a JSON error, never an HTML 500
        log.exception("API search failed for %r", request.args.get("q"))
        return jsonify({"error": {"message": "search is temporarily unavailable"}}), 503
    return jsonify(payload), status
