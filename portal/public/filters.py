"""What the filter forms on list pages show: choices, active filters, error messages."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_babel import lazy_gettext as _l

from ..content import queries, taxonomy
from ..formatting import format_date
from ..i18n import request_lang
from .pages import query_args

# Messages for parameters the parsers rejected; the rejected filter is left out.
FIELD_ERRORS = {
    "date_from": _l("Ngày không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2026-03-15."),
    "date_to": _l("Ngày kết thúc phải là một ngày hợp lệ và không sớm hơn ngày bắt đầu."),
    "year": _l("Năm không hợp lệ. Hãy chọn một năm trong danh sách."),
}
DEFAULT_ERROR = _l("Giá trị của bộ lọc này không hợp lệ nên đã được bỏ qua.")


FIELD_LABELS = {
    "category": _l("Danh mục"), "hazard": _l("Mối nguy"), "risk_level": _l("Mức độ rủi ro"), "source": _l("Nguồn"),
    "status": _l("Tình trạng"), "date_from": _l("Từ ngày"), "date_to": _l("Đến ngày"),
    "year": _l("Năm ra quyết định"), "violation_kind": _l("Loại vi phạm"), "online": _l("Trên môi trường mạng"),
    "kind": _l("Loại bài"), "lang": _l("Ngôn ngữ"), "tag": _l("Chủ đề"),
}


def error_messages(errors: dict[str, str]) -> dict[str, str]:
    """Localised messages for the parameters in ``errors``."""
    return {name: str(FIELD_ERRORS.get(name, DEFAULT_ERROR)) for name in errors}


def error_summary(messages: dict[str, str]) -> list[tuple[str, str]]:
    """(filter label, message) pairs from `error_messages`, for the top of a list page."""
    return [(str(FIELD_LABELS.get(name, name)), message) for name, message in messages.items()]


@dataclass
class ActiveFilter:
    label: str
    value: str
    remove_url: str


def _without(name: str, value: str | None = None) -> str:
    """The current URL without filter ``name`` (or only its ``value``), back on page 1."""
    args = query_args(without=("page",))
    if value is None:
        args.pop(name, None)
    else:
        args[name] = [v for v in args.get(name, []) if v != value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def source_choices(lang: str) -> list[tuple[str, str]]:
    return [(code, en if lang == "en" else vi) for code, (vi, en, _) in queries.SOURCES.items()]


def warning_active(filters: queries.WarningFilters, lang: str) -> list[ActiveFilter]:
    out = []
    for name, vocabulary, label in (("category", "category", _("Danh mục")), ("hazard", "hazard", _("Mối nguy")),
                                    ("risk_level", "risk_level", _("Mức độ rủi ro"))):
        for code in getattr(filters, name):
            out.append(ActiveFilter(label, taxonomy.label(vocabulary, code, lang), _without(name, code)))
    if filters.tag:
        out.append(ActiveFilter(_("Chủ đề"), taxonomy.label("tag", filters.tag, lang), _without("tag")))
    sources = dict(source_choices(lang))
    for code in filters.source:
        out.append(ActiveFilter(_("Nguồn"), sources[code], _without("source", code)))
    if filters.status:
        out.append(ActiveFilter(_("Tình trạng"), warning_status_label(filters.status), _without("status")))
    if filters.date_from:
        out.append(ActiveFilter(_("Từ ngày"), format_date(filters.date_from, lang), _without("date_from")))
    if filters.date_to:
        out.append(ActiveFilter(_("Đến ngày"), format_date(filters.date_to, lang), _without("date_to")))
    return out


def warning_status_label(status: str) -> str:
    return _("Đã rút cảnh báo") if status == "withdrawn" else _("Đang có hiệu lực")


def sanction_active(filters: queries.SanctionFilters, lang: str) -> list[ActiveFilter]:
    out = []
    if filters.year:
        out.append(ActiveFilter(_("Năm ra quyết định"), str(filters.year), _without("year")))
    for code in filters.violation_kind:
        out.append(ActiveFilter(_("Loại vi phạm"), taxonomy.label("violation_kind", code, lang),
                                _without("violation_kind", code)))
    if filters.online is not None:
        out.append(ActiveFilter(_("Trên môi trường mạng"), _("Có") if filters.online else _("Không"),
                                _without("online")))
    if filters.authority:
        out.append(ActiveFilter(_("Cơ quan ra quyết định"), filters.authority, _without("authority")))
    return out


def article_active(filters: queries.ArticleFilters) -> list[ActiveFilter]:
    out = []
    if filters.kind:
        out.append(ActiveFilter(_("Loại bài"), article_kind_label(filters.kind), _without("kind")))
    if filters.tag:
        out.append(ActiveFilter(_("Chủ đề"), taxonomy.label("tag", filters.tag, request_lang()), _without("tag")))
    return out


def article_kind_label(kind: str) -> str:
    return pgettext("article kind", "Tin tức") if kind == "news" else pgettext("article kind", "Hướng dẫn")
