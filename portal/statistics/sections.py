"""The sections of the statistics page and the charts in each.

A section names its charts and the years it has figures for. More sections (complaints, for
instance) are added by appending a `SectionSpec` to `SECTIONS`: the page, its year selector,
its table of contents and the CSV downloads follow from the list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..content import queries, taxonomy
from ..formatting import format_money
from . import figures
from .charts import Bar, Chart

_LOCALES = {"vi": "vi", "en": "en_GB"}


@dataclass(frozen=True)
class ChartSpec:
    key: str  # URL-safe, unique across sections: /thong-ke/<key>.csv
    build: Callable[[int, datetime, str], Chart]  # (year, now, lang): runs one query


@dataclass(frozen=True)
class SectionSpec:
    key: str  # the section's anchor on the page
    title: object  # lazy strings, in the page's language when shown
    intro: object
    years: Callable[[datetime], set[int]]  # the years this section has figures for
    charts: tuple[ChartSpec, ...]
    headlines: Callable[[dict[str, Chart], str], list[tuple[str, str]]] = lambda charts, lang: []


@dataclass
class Section:
    """A section as shown for one year, in one language."""

    key: str
    title: str
    intro: str
    charts: list[Chart]
    headlines: list[tuple[str, str]] = field(default_factory=list)


def count_text(value: int, lang: str) -> str:
    """``1234`` → ``1.234`` (vi) or ``1,234`` (en)."""
    return format_decimal(value, locale=_LOCALES[lang])


def month_names(lang: str) -> dict[int, str]:
    return dict(get_month_names("wide", "stand-alone", _LOCALES[lang]))


def _chart(key: str, title: str, label_heading: str, value_heading: str, bars: list[tuple[str, str, int]],
           lang: str, money: bool = False) -> Chart:
    shown = format_money if money else (lambda value: count_text(value, lang))
    chart = Chart(key=key, title=title, label_heading=label_heading, value_heading=value_heading,
                  bars=[Bar(code=str(code), label=label, value=value, shown=shown(value)) for code, label, value in bars],
                  total_shown=shown(sum(value for _code, _label, value in bars)))
    if chart.empty:
        chart.description = _("Không có số liệu cho năm này.")
    else:
        top = max(chart.bars, key=lambda bar: bar.value)
        chart.description = _("Tổng cộng %(total)s. Nhiều nhất: %(label)s, %(value)s.",
                              total=chart.total_shown, label=top.label, value=top.shown)
    return chart


def _by_month(rows: list[tuple], lang: str, column: int = 1) -> list[tuple[str, str, int]]:
    values = {row[0]: row[column] for row in rows}
    return [(str(month), name, int(values.get(month, 0))) for month, name in month_names(lang).items()]


def _by_code(rows: list[tuple], choices: list[tuple[str | None, str]], keep_zero: bool) -> list[tuple[str, str, int]]:
    """Bars in the vocabulary's order (``keep_zero``) or largest first; unknown codes at the end."""
    values = {code: int(count) for code, count in rows}
    known = [(code or "", label, values.pop(code, 0)) for code, label in choices]
    extra = [(code or "", code or _("Chưa xác định"), count) for code, count in values.items()]
    if keep_zero:
        return known + extra
    return sorted((bar for bar in known + extra if bar[2]), key=lambda bar: -bar[2])


# Warnings ---------------------------------------------------------------------------------

def warnings_by_month(year: int, now: datetime, lang: str) -> Chart:
    return _chart("warnings-by-month", _("Cảnh báo theo tháng"), _("Tháng"), _("Số cảnh báo"),
                  _by_month(figures.warnings_by_month(year, now), lang), lang)


def warnings_by_category(year: int, now: datetime, lang: str) -> Chart:
    bars = _by_code(figures.warnings_by("category", year, now), taxonomy.choices("category", lang), keep_zero=False)
    return _chart("warnings-by-category", _("Cảnh báo theo nhóm sản phẩm"), _("Nhóm sản phẩm"), _("Số cảnh báo"),
                  bars, lang)


def warnings_by_risk(year: int, now: datetime, lang: str) -> Chart:
    bars = _by_code(figures.warnings_by("risk_level", year, now), taxonomy.choices("risk_level", lang), keep_zero=True)
    return _chart("warnings-by-risk-level", _("Cảnh báo theo mức độ rủi ro"), _("Mức độ rủi ro"), _("Số cảnh báo"),
                  bars, lang)


def warnings_by_source(year: int, now: datetime, lang: str) -> Chart:
    choices = [(code, vi if lang == "vi" else en) for code, (vi, en, _needles) in queries.SOURCES.items()]
    bars = _by_code(figures.warnings_by("source_kind", year, now), choices, keep_zero=True)
    return _chart("warnings-by-source", _("Cảnh báo theo nguồn"), _("Nguồn"), _("Số cảnh báo"), bars, lang)


def _warning_headlines(charts: dict[str, Chart], lang: str) -> list[tuple[str, str]]:
    return [(_("Cảnh báo đã công bố"), charts["warnings-by-month"].total_shown)]


WARNINGS = SectionSpec(
    key="canh-bao",
    title=_l("Cảnh báo sản phẩm"),
    intro=_l("Cảnh báo và thu hồi sản phẩm đã công bố trên cổng trong năm, tính theo ngày công bố (giờ Việt Nam). "
             "Cảnh báo đã rút lại vẫn được tính, vì đã được công bố. Mỗi cảnh báo có bản dịch chỉ được tính một lần."),
    years=figures.warning_years,
    charts=(ChartSpec("warnings-by-month", warnings_by_month),
            ChartSpec("warnings-by-category", warnings_by_category),
            ChartSpec("warnings-by-risk-level", warnings_by_risk),
            ChartSpec("warnings-by-source", warnings_by_source)),
    headlines=_warning_headlines,
)


# Enforcement results ------------------------------------------------------------------------

def sanctions_by_month(year: int, now: datetime, lang: str) -> Chart:
    rows = figures.sanctions_by_month(year, now)
    chart = _chart("enforcement-by-month", _("Kết quả xử lý vi phạm theo tháng ra quyết định"), _("Tháng"),
                   _("Số kết quả xử lý"), _by_month(rows, lang), lang)
    demo = sum(row[3] for row in rows)
    if demo:
        chart.notes.append(ngettext("Trong đó có %(count)s mục là dữ liệu minh họa, không phải quyết định xử phạt thật.",
                                    "Trong đó có %(count)s mục là dữ liệu minh họa, không phải quyết định xử phạt thật.",
                                    demo, count=count_text(demo, lang)))
    return chart


def fines_by_month(year: int, now: datetime, lang: str) -> Chart:
    return _chart("fines-by-month", _("Tiền phạt theo tháng ra quyết định"), _("Tháng"), _("Tiền phạt (đồng)"),
                  _by_month(figures.sanctions_by_month(year, now), lang, column=2), lang, money=True)


def sanctions_by_kind(year: int, now: datetime, lang: str) -> Chart:
    bars = _by_code(figures.sanctions_by_kind(year, now), taxonomy.choices("violation_kind", lang), keep_zero=True)
    return _chart("enforcement-by-violation", _("Kết quả xử lý vi phạm theo loại vi phạm"), _("Loại vi phạm"),
                  _("Số kết quả xử lý"), bars, lang)


def _enforcement_headlines(charts: dict[str, Chart], lang: str) -> list[tuple[str, str]]:
    return [(_("Kết quả xử lý đang công khai"), charts["enforcement-by-month"].total_shown),
            (_("Tổng tiền phạt"), charts["fines-by-month"].total_shown)]


ENFORCEMENT = SectionSpec(
    key="xu-ly-vi-pham",
    title=_l("Kết quả xử lý vi phạm"),
    intro=_l("Chỉ tính các kết quả xử lý đang được công khai, tức là còn trong thời hạn công khai pháp luật quy định "
             "(30 ngày với vi phạm trên môi trường mạng, Điều 24 Nghị định 55/2024/NĐ-CP); hết thời hạn, kết quả "
             "không còn được tính ở đây. Tháng và năm là của ngày ra quyết định xử phạt."),
    years=figures.sanction_years,
    charts=(ChartSpec("enforcement-by-month", sanctions_by_month),
            ChartSpec("fines-by-month", fines_by_month),
            ChartSpec("enforcement-by-violation", sanctions_by_kind)),
    headlines=_enforcement_headlines,
)

# The page's sections, in order. Another feature adds its own with SECTIONS.append(...).
SECTIONS: list[SectionSpec] = [WARNINGS, ENFORCEMENT]


def available_years(now: datetime) -> list[int]:
    """Every year some section has figures for, newest first."""
    years: set[int] = set()
    for section in SECTIONS:
        years |= section.years(now)
    return sorted(years, reverse=True)


def build(year: int, now: datetime, lang: str) -> list[Section]:
    """Every section's charts for ``year``, in ``lang``."""
    out = []
    for spec in SECTIONS:
        charts = [chart.build(year, now, lang) for chart in spec.charts]
        out.append(Section(key=spec.key, title=str(spec.title), intro=str(spec.intro), charts=charts,
                           headlines=spec.headlines({chart.key: chart for chart in charts}, lang)))
    return out


def find_chart(key: str) -> ChartSpec | None:
    for section in SECTIONS:
        for chart in section.charts:
            if chart.key == key:
                return chart
    return None
