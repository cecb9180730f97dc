"""CSV and XLSX exports of the warnings and enforcement-results lists.

The rows are the list page's rows (same filters, same order, same language rule), with the
structured fields a reuser needs. CSV is UTF-8 with a byte-order mark so Excel shows
Vietnamese correctly. Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@`` first) is prefixed with an apostrophe in CSV and stored as plain text in XLSX.

Both are produced from the rows as they come from the database, a batch at a time: CSV is
streamed to the client, XLSX is written in openpyxl's write-only mode to a temporary file and
sent from there, so memory stays flat however many rows there are.
"""
from __future__ import annotations

import csv
import io
import tempfile
from typing import Any, Callable, Iterable, Iterator

import sqlalchemy as sa
from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer

from ..content import taxonomy
from ..content.models import WITHDRAWN, ContentMixin, Warning
from ..extensions import db
from ..formatting import iso_datetime
from ..public.pages import item_url_parts
from .entries import xml_text
from .selection import item_updated

Column = tuple[Any, Callable[[Any, str], Any]]
BATCH = 500  # rows fetched from the database, and CSV rows sent, at a time
CHUNK = 64 * 1024  # bytes of a workbook sent at a time


def _link(item: ContentMixin, lang: str) -> str:
    """The item's public URL, from `item_url_parts` built once per request (`item_url` per row
    cost more than the rest of the row)."""
    parts = g.setdefault("export_links", {})
    key = (item.item_type, lang)
    if key not in parts:
        parts[key] = item_url_parts(item.item_type, lang)
    before, after = parts[key]
    return before + item.slug + after


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
    (_l("Đường dẫn"), lambda w, lang: _link(w, lang)),
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
    (_l("Đường dẫn"), lambda s, lang: _link(s, lang)),
]

COLUMNS = {"warnings": WARNING_COLUMNS, "sanctions": SANCTION_COLUMNS}


def _yes_no(value: bool) -> str:
    return str(_l("Có") if value else _l("Không"))


def header(kind: str) -> list[str]:
    """The column names of an export, in the request's language."""
    return [str(name) for name, _ in COLUMNS[kind]]


def rows(kind: str, items: Iterable[ContentMixin], lang: str) -> Iterator[list[Any]]:
    """One list of values per item, as the items come."""
    columns = [value for _, value in COLUMNS[kind]]
    for item in items:
        yield [value(item, lang) for value in columns]


# Columns no export reads (the body, the images...): not loaded, and an error if read.
NOT_EXPORTED = ("body", "what_to_do", "images", "tags", "product_codes", "latest_revision_id")


def each_item(query: sa.Select, model: type[ContentMixin] | None = None) -> Iterator[ContentMixin]:
    """Every item of a list query, in its order, fetched ``BATCH`` rows at a time.

    ``yield_per`` streams from the database (a server-side cursor on PostgreSQL) and the
    session keeps no strong reference to a row once it is written, so memory stays flat. With
    the ``model`` of an export, the columns no export reads are left in the database.
    """
    if model is not None:
        query = query.options(*(defer(getattr(model, name), raiseload=True)
                                for name in NOT_EXPORTED if hasattr(model, name)))
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    try:
        yield from result.scalars()
    finally:
        result.close()


def _defused(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(header: list[str], values: Iterable[list[Any]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM, CRLF line ends (RFC 4180), a batch of rows at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for number, row in enumerate(values, start=1):
        writer.writerow([_defused(value) for value in row])
        if number % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(header: list[str], values: Iterable[list[Any]], title: str) -> Iterator[bytes]:
    """An XLSX workbook with one sheet, built in write-only mode into a temporary file, then sent.

    Rows go to disk as they are appended (openpyxl writes strings inline), so memory does not
    grow with the number of rows; the file is read back a chunk at a time.

    openpyxl is imported here, on the first XLSX export, not with the module: importing it
    adds about 20 MB to every process that never writes a workbook (web workers that serve no
    export, the search rebuild, whose peak memory is bounded).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    def text_cell(value: str) -> Any:
        """Text that openpyxl would take for a formula or an error code is stored as text."""
        value = xml_text(value)
        if value[:1] != "=" and value not in ERROR_CODES:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([text_cell(name) for name in header])
    for row in values:
        sheet.append([text_cell(value) if isinstance(value, str) else value for value in row])
    with tempfile.TemporaryFile() as target:
        workbook.save(target)
        target.seek(0)
        while chunk := target.read(CHUNK):
            yield chunk
