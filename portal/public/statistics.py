"""The statistics page (/thong-ke, /en/statistics) and its CSV downloads. Routes only.

The figures are counted by `portal.statistics`; this module reads the year asked for, checks it
against the years that have figures, and renders. Like every public page, the answers are
cached on the content generation (`portal.pagecache`, `feeds.caching`).
"""
from __future__ import annotations

from datetime import datetime

from flask import abort, render_template, request
from flask_babel import gettext as _

from ..content.models import utcnow
from ..content.queries import MAX_YEAR, MIN_YEAR
from ..i18n import localized_route, request_lang
from ..params import whole_number
from ..statistics import charts, sections
from .views import bp

bp.add_app_template_global(charts.draw, "draw_chart")


class YearError(Exception):
    """A ``?year=`` that cannot be shown: its HTTP status and the message that says why."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def chosen_year(now: datetime, years: list[int]) -> int | None:
    """The year in ``?year=``, or the newest year with figures; YearError when it cannot be shown."""
    raw = request.args.get("year", "").strip()
    if not raw:
        return years[0] if years else None
    year = whole_number(raw, MIN_YEAR, MAX_YEAR)
    if year is None:
        raise YearError(400, _("Năm không hợp lệ: hãy chọn một năm trong danh sách, ví dụ %(year)s.",
                               year=years[0] if years else now.year))
    if year not in years:
        raise YearError(404, _("Chưa có số liệu cho năm %(year)s. Hãy chọn một năm trong danh sách.", year=year))
    return year


@localized_route(bp, {"vi": "/thong-ke", "en": "/en/statistics"}, "statistics")
def statistics():
    now, lang = utcnow(), request_lang()
    years = sections.available_years(now)
    try:
        year = chosen_year(now, years)
    except YearError as error:
        return render_template("public/statistics.html", years=years, year=None, sections=[],
                               error=error.message), error.status
    found = sections.build(year, now, lang) if year else []
    return render_template("public/statistics.html", years=years, year=year, sections=found, error=None)


@localized_route(bp, {"vi": "/thong-ke/<key>.csv", "en": "/en/statistics/<key>.csv"}, "statistics_csv")
def statistics_csv(key: str):
    spec = sections.find_chart(key)
    if spec is None:
        abort(404)
    now, lang = utcnow(), request_lang()
    years = sections.available_years(now)
    try:
        year = chosen_year(now, years)
    except YearError as error:
        return error.message + "\n", error.status, {"Content-Type": "text/plain; charset=utf-8"}
    if year is None:
        return _("Chưa có số liệu thống kê.") + "\n", 404, {"Content-Type": "text/plain; charset=utf-8"}
    chart = spec.build(year, now, lang)
    body = charts.to_csv(chart, code_heading=_("Mã"))
    return body, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{key}-{year}.csv"',
    }
