"""CSV and XLSX exports of the warnings and enforcement-results lists.

The rows are the list page's rows (same filters, same order, same language rule), with the
structured fields a reuser needs. CSV is UTF-8 with a byte-order mark so Excel shows
Vietnamese correctly. Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` first) is prefixed with an apostrophe in CSV and stored as plain text in XLSX.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any, Callable

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook

from ..content import taxonomy
from ..content.models import WITHDRAWN, ContentMixin, Warning
from ..formatting import iso_datetime
from ..public.pages import item_url
from .entries import xml_text
from .selection import item_updated

Column = tuple[Any, Callable[[Any, str], Any]]


def _terms(vocabulary: str, codes: list[str], lang: str) -> str:
    return "; ".join(taxonomy.label(vocabulary, code, lang) for code in codes)


def _measures(item: Warning, lang: str) -> str:
    return "; ".join(
        " – ".join(part for part in (taxonomy.label("measure_type", m.get("type", ""), lang),
                                     taxonomy.label("measure_kind", m.get("kind", ""), lang), m.get("by", ""))
                   if part)
        for m in item.measures)


WARNING_COLUMNS: list[Column] = [
    (_l("Mã số"), lambda w, lang: w.id),
    (_l("Tiêu đề"), lambda w, lang: w.title),
    (_l("Ngày đăng"), lambda w, lang: iso_datetime(w.published_at)),
    (_l("Cập nhật lúc"), lambda w, lang: iso_datetime(item_updated(w))),
    (_l("Tình trạng"), lambda w, lang: "withdrawn" if w.status == WITHDRAWN else "active"),
    (_l("Sản phẩm"), lambda w, lang: w.product_name),
    (_l("Nhãn hiệu"), lambda w, lang: w.brand),
    (_l("Kiểu, mẫu"), lambda w, lang: w.model),
    (_l("Mã vạch"), lambda w, lang: "; ".join(w.barcodes)),
    (_l("Số lô"), lambda w, lang: "; ".join(w.batches)),
    (_l("Ngày sản xuất"), lambda w, lang: w.production_dates),
    (_l("Danh mục"), lambda w, lang: taxonomy.label("category", w.category, lang)),
    (_l("Mối nguy"), lambda w, lang: _terms("hazard", w.hazards, lang)),
    (_l("Mức độ rủi ro"), lambda w, lang: taxonomy.label("risk_level", w.risk_level, lang)),
    (_l("Xuất xứ"), lambda w, lang: w.origin_country),
    (_l("Nhà sản xuất"), lambda w, lang: w.manufacturer),
    (_l("Nhà nhập khẩu"), lambda w, lang: w.importer),
    (_l("Người bán"), lambda w, lang: w.seller),
    (_l("Số lượng sản phẩm"), lambda w, lang: w.units),
    (_l("Biện pháp đã áp dụng"), lambda w, lang: _measures(w, lang)),
    (_l("Cơ quan cảnh báo"), lambda w, lang: w.source_authority),
    (_l("Số tham chiếu"), lambda w, lang: w.source_reference),
    (_l("Đường dẫn nguồn"), lambda w, lang: w.source_url),
    (_l("Lý do rút cảnh báo"), lambda w, lang: w.withdrawn_reason),
    (_l("Ghi chú cập nhật"), lambda w, lang: w.change_note),
    (_l("Tóm tắt"), lambda w, lang: w.summary),
    (_l("Đường dẫn"), lambda w, lang: item_url(w, lang=lang, external=True)),
]

SANCTION_COLUMNS: list[Column] = [
    (_l("Mã số"), lambda s, lang: s.id),
    (_l("Tên tổ chức, cá nhân vi phạm"), lambda s, lang: s.subject_name),
    (_l("Loại đối tượng"), lambda s, lang: taxonomy.label("subject_kind", s.subject_kind, lang)),
    (_l("Mã số thuế"), lambda s, lang: s.tax_code),
    (_l("Địa chỉ"), lambda s, lang: s.address),
    (_l("Phường, xã"), lambda s, lang: s.ward),
    (_l("Hành vi vi phạm"), lambda s, lang: s.violation),
    (_l("Nhóm vi phạm"), lambda s, lang: taxonomy.label("violation_kind", s.violation_kind, lang)),
    (_l("Căn cứ pháp lý"), lambda s, lang: s.legal_basis),
    (_l("Số quyết định"), lambda s, lang: s.decision_number),
    (_l("Ngày quyết định"), lambda s, lang: s.decision_date.isoformat()),
    (_l("Cơ quan ra quyết định"), lambda s, lang: s.decision_authority),
    (_l("Số tiền phạt (đồng)"), lambda s, lang: s.fine_vnd),
    (_l("Hình thức xử phạt bổ sung"), lambda s, lang: s.additional_penalties),
    (_l("Biện pháp khắc phục hậu quả"), lambda s, lang: s.remedial_measures),
    (_l("Vi phạm trên môi trường mạng"), lambda s, lang: _yes_no(s.online)),
    (_l("Tình trạng chấp hành"), lambda s, lang: taxonomy.label("compliance", s.compliance, lang)),
    (_l("Công khai từ"), lambda s, lang: iso_datetime(s.published_from)),
    (_l("Công khai đến"), lambda s, lang: iso_datetime(s.published_until)),
    (_l("Dữ liệu minh họa"), lambda s, lang: _yes_no(s.demo)),
    (_l("Đường dẫn"), lambda s, lang: item_url(s, lang=lang, external=True)),
]

COLUMNS = {"warnings": WARNING_COLUMNS, "sanctions": SANCTION_COLUMNS}


def _yes_no(value: bool) -> str:
    return str(_l("Có") if value else _l("Không"))


def table(kind: str, items: list[ContentMixin], lang: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of an export of ``items``."""
    columns = COLUMNS[kind]
    return [str(header) for header, _ in columns], [[value(item, lang) for _, value in columns] for item in items]


def fingerprint(fmt: str, header: list[str], rows: list[list[Any]]) -> str:
    """A digest of what an export holds, for its ETag (the XLSX bytes change with every save)."""
    return hashlib.sha1(json.dumps([fmt, header, rows], default=str).encode("utf-8")).hexdigest()


def _defused(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a BOM, CRLF line ends (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_defused(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    """An XLSX workbook with one sheet; every text cell is stored as text, never as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([xml_text(value) if isinstance(value, str) else value for value in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
