"""The read-only JSON API under /api/v1/: lists, single items, taxonomies, OpenAPI, docs page.

Filters are the list pages' own (`portal.content.queries`); unknown query parameters are
ignored; a bad value gives 400 naming the parameter; anything not public is 404.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ..content import queries, recall_check, taxonomy
from ..content.models import CONTENT_MODELS, utcnow
from ..extensions import db
from ..feeds.selection import KINDS
from ..formatting import iso_datetime, local_time
from ..i18n import lurl
from ..params import url_args
from ..public.pages import count_memo
from . import openapi
from .representations import represent_all

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_ID = 2**63 - 1
LIST_TYPES = {"warnings": "warning", "articles": "article", "sanctions": "sanction"}


def error(status: int, message: str, parameter: str | None = None, errors: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"error": {"status": status, "message": message}}
    if parameter:
        body["error"]["parameter"] = parameter
    if errors:
        body["error"]["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    return response


def bad_parameters(errors: dict[str, str]) -> Response:
    first = next(iter(errors))
    return error(400, f"invalid parameter {first!r}: {errors[first]}", parameter=first, errors=errors)


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return error(exc.code or 500, exc.description or exc.name)


def _lang(errors: dict[str, str]) -> str | None:
    lang = (request.args.get("lang") or "").strip()
    if lang and lang not in ("vi", "en"):
        errors["lang"] = "expected vi or en"
        return None
    return lang or None


def _page_link(page: int) -> str:
    args = url_args(request.args)
    args["page"] = [str(page)]
    return url_for(request.endpoint, _external=True, **(request.view_args or {}), **args)


def _listing(name: str) -> Response:
    spec = KINDS[name]
    now = utcnow()
    filters, errors = spec.parse(request.args)
    page, per_page, page_errors = queries.parse_page(request.args)
    errors.update(page_errors)
    lang = _lang(errors)
    if errors:
        return bad_parameters(errors)
    query = spec.query(filters, now)
    if lang and name != "articles":
        query = query.where(spec.model.lang == lang)
    result = queries.paginate(query, page, per_page, **count_memo(("page", "per_page")))
    if not result.exact and page > result.pages:
        return bad_parameters({"page": f"only the first {queries.LIST_LIMIT} matches can be paged through; "
                                       "narrow the list with date_from, date_to or updated_since"})
    return jsonify({
        "total": result.total,
        "total_exact": result.exact,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "links": {"self": _page_link(page),
                  "next": _page_link(page + 1) if result.has_next else None,
                  "prev": _page_link(min(page - 1, result.pages)) if result.has_prev else None},
        "items": represent_all(result.items, now),
    })


def _item(item_type: str, item_id: int) -> Response:
    model = CONTENT_MODELS[item_type]
    item = db.session.get(model, item_id) if 0 < item_id <= MAX_ID else None
    now = utcnow()
    if item is None or not queries.is_public(item, now):
        return error(404, f"no public {item_type} with id {item_id}")
    return jsonify(represent_all([item], now)[0])


@bp.get("/warnings")
def warnings():
    return _listing("warnings")


@bp.get("/articles")
def articles():
    return _listing("articles")


@bp.get("/sanctions")
def sanctions():
    return _listing("sanctions")


@bp.get("/warnings/<int:item_id>")
def warning(item_id: int):
    return _item("warning", item_id)


@bp.get("/articles/<int:item_id>")
def article(item_id: int):
    return _item("article", item_id)


@bp.get("/sanctions/<int:item_id>")
def sanction(item_id: int):
    return _item("sanction", item_id)


CODE_PROBLEMS = {
    "empty": "expected a barcode (GTIN-8, -12, -13 or -14) or a batch number",
    "too_long": f"longer than {recall_check.MAX_CODE_CHARS} characters: not a barcode or batch number",
    "no_code": "expected letters, digits, spaces or hyphens",
}


@bp.get("/check")
def check():
    """Is this product recalled? Public warnings listing a barcode or batch number."""
    errors: dict[str, str] = {}
    lang = _lang(errors)
    code = None
    try:
        code = recall_check.parse_code(request.args.get("code"))
    except recall_check.CodeError as exc:
        errors["code"] = CODE_PROBLEMS[exc.reason]
    if errors:
        return bad_parameters(errors)
    now = utcnow()
    found = [w for w in recall_check.find_warnings(code, None, now) if lang is None or w.lang == lang]
    day = local_time(now).date().isoformat()
    if found:
        message = f"{len(found)} public warning{'s' if len(found) > 1 else ''} list this code."
    else:
        message = f"No warning is recorded for this code as of {day}."
    if code.is_gtin and not code.check_digit_ok:
        message = (f"The check digit of this barcode is wrong: after these digits it should be "
                   f"{code.expected_digit}. {message}")
    return jsonify({
        "code": code.text,
        "kind": "barcode" if code.is_gtin else "text",
        "check_digit": ({"valid": bool(code.check_digit_ok), "expected": code.expected_digit or code.compact[-1]}
                        if code.is_gtin else None),
        "checked_at": iso_datetime(now),
        "total": len(found),
        "message": message,
        "report": {"hotline": "1800 6838",
                   "how_to_complain": lurl("public.about", lang=lang or "vi", _external=True) + "#khieu-nai"},
        "items": represent_all(found, now),
    })


@bp.get("/taxonomies")
def taxonomies():
    return jsonify({name: [{"code": t.code, "label_vi": t.vi, "label_en": t.en} for t in terms]
                    for name, terms in taxonomy.VOCABULARIES.items()})


@bp.get("/taxonomies/<vocabulary>", endpoint="taxonomy")
def taxonomy_terms(vocabulary: str):
    if vocabulary not in taxonomy.VOCABULARIES:
        return error(404, f"no vocabulary {vocabulary!r}; expected one of {', '.join(taxonomy.VOCABULARIES)}")
    return jsonify([{"code": t.code, "label_vi": t.vi, "label_en": t.en} for t in taxonomy.VOCABULARIES[vocabulary]])


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(openapi.document(url_for("api.docs", _external=True).rstrip("/")))


@bp.get("/")
def docs():
    return render_template("api/docs.html", spec=openapi.document(url_for("api.docs", _external=True).rstrip("/")))


@bp.route("/<path:unknown>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def not_found(unknown: str):
    if request.method not in ("GET", "HEAD"):
        response = error(405, "the API is read-only: use GET")
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
        return response
    return error(404, f"no such API resource: /api/v1/{unknown}")
