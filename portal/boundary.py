"""The request boundary: control characters never get past it.

PostgreSQL text cannot hold NUL, and no control character belongs in an address, a query
parameter or a typed text. One ``before_request`` hook, run before every other, looks at the
path, the query string and the submitted form:

* a control character in the path or in a query parameter's name or value answers 400, with
  a localised page naming the parameter: a link carrying one is broken. Under ``/api/`` the
  answer is JSON: 400 naming the parameter, or 404 for the path (as for any path the API does
  not know, which is what its OpenAPI document promises);
* form values are cleaned instead, so an editor's pasted text is not lost: vertical tab, form
  feed and NEL (which word processors put in pasted text) become spaces, so words stay apart
  in one-line fields too; other control characters are removed; tab, line feed and carriage
  return stay. A form field *name* with a
  control character is never sent by our forms and answers 400.

Numbers in paths (``<int:...>``) are bounded by what an INTEGER column holds, so a huge id is
a 404 on PostgreSQL as on SQLite, never "integer out of range".

``control_character()`` is shared with the content-file schema, which rejects such text with
the file and the field named.
"""
from __future__ import annotations

import re

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import escape
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In an address even tab and line breaks are out of place.
ADDRESS_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SEPARATORS = str.maketrans({"\x0b": " ", "\x0c": " ", "\x85": " "})

TITLE = _l("Yêu cầu không hợp lệ")
PATH_MESSAGE = _l("Đường dẫn chứa ký tự điều khiển (ví dụ ký tự NUL) nên không phải là địa chỉ hợp lệ. "
                  "Hãy kiểm tra lại đường dẫn hoặc bắt đầu lại từ trang chủ.")


def control_character(text: str, pattern: re.Pattern = TEXT_CONTROL) -> int | None:
    """The position of the first control character in ``text`` (tab and line breaks allowed), or None."""
    found = pattern.search(text)
    return found.start() if found else None


def clean_text(text: str) -> str:
    """``text`` without control characters; the line breaks word processors write become spaces."""
    return TEXT_CONTROL.sub("", text.translate(_SEPARATORS))


def shown(name: str) -> str:
    """A parameter name fit to be shown: its control characters made visible as U+FFFD."""
    return ADDRESS_CONTROL.sub("\ufffd", name)


class ControlCharacters(BadRequest):
    """A path or parameter holding a control character; ``parameter`` is None for the path."""

    def __init__(self, parameter: str | None):
        self.parameter = parameter
        super().__init__(f"control character in {'the path' if parameter is None else repr(parameter)}")


def check_request() -> None:
    """Refuse control characters in the path and query string; clean them out of form values."""
    if control_character(request.path, ADDRESS_CONTROL) is not None:
        raise ControlCharacters(None)
    for name, values in request.args.lists():
        if control_character(name, ADDRESS_CONTROL) is not None:
            raise ControlCharacters(name)
        if any(control_character(value) is not None for value in values):
            raise ControlCharacters(name)
    if control_character(request.remote_addr or "", ADDRESS_CONTROL) is not None:
        raise ControlCharacters("remote address")
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.form:
        cleaned = []
        changed = False
        for name, values in request.form.lists():
            if control_character(name, ADDRESS_CONTROL) is not None:
                raise ControlCharacters(name)
            for value in values:
                clean = clean_text(value)
                changed = changed or clean != value
                cleaned.append((name, clean))
        if changed:
            request.form = ImmutableMultiDict(cleaned)


def refuse(error: ControlCharacters):
    if request.path.startswith("/api/"):
        if error.parameter is None:
            # The API answers any path it does not know (``/articles/abc``) with 404, as its
            # document says; a path with a control character is one of those.
            return jsonify(error={"status": 404, "message": "no such resource: the path contains a control "
                                                            "character"}), 404
        return jsonify(error={"status": 400, "parameter": shown(error.parameter), "message":
                              f"invalid parameter {shown(error.parameter)!r}: contains a control character"}), 400
    if error.parameter is None:
        message = PATH_MESSAGE
    else:
        message = _("Tham số “%(name)s” chứa ký tự điều khiển (ví dụ ký tự NUL) nên không phải là giá trị "
                    "hợp lệ. Hãy kiểm tra lại đường dẫn hoặc bắt đầu lại từ trang chủ.", name=shown(error.parameter))
    try:
        return render_template("errors/error.html", code=400, title=TITLE, message=message), 400
    except Exception:  # the error page must never fail itself
        return (f"<!doctype html><title>400</title><h1>400</h1><p>{escape(str(message))}</p>"
                "<p><a href='/'>/</a></p>", 400)


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in a route: at most the largest id an INTEGER column holds (PostgreSQL's is
    32-bit; SQLite's is not), so a longer number is a 404 and never a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits, min, 2**31 - 1 if max is None else max, signed)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger  # before any blueprint adds its rules
    app.before_request(check_request)
    app.register_error_handler(ControlCharacters, refuse)
