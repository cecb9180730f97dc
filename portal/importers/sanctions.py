"""Enforcement officers' spreadsheets (XLSX or CSV) → enforcement results, all or nothing.

One row is one sanction decision. Every row is checked first; if any row is wrong, nothing is
recorded and the report names each wrong row, column and problem. Rows become drafts for the
enforcement role to review and publish (publication windows follow Decree 55/2024 art. 24).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..content import permissions as perm
from ..content import workflow
from ..content.models import DRAFT, Sanction, User
from ..content.schema import ContentError, apply
from ..content.services import audit, record_change
from ..extensions import db
from .base import ImportFileError

MAX_ROWS = 5000
# (header in the template, content key, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("Tên tổ chức, cá nhân vi phạm", "subject.name", True),
    ("Loại đối tượng (doanh nghiệp / hộ kinh doanh / cá nhân)", "subject.kind", True),
    ("Mã số thuế", "subject.tax_code", False),
    ("Địa chỉ", "subject.address", False),
    ("Phường, xã", "subject.ward", False),
    ("Hành vi vi phạm", "violation", True),
    ("Căn cứ pháp lý", "legal_basis", False),
    ("Số quyết định", "decision.number", True),
    ("Ngày quyết định (dd/mm/yyyy)", "decision.date", True),
    ("Cơ quan ra quyết định", "decision.authority", True),
    ("Số tiền phạt (đồng)", "fine_vnd", True),
    ("Hình thức xử phạt bổ sung", "additional_penalties", False),
    ("Biện pháp khắc phục hậu quả", "remedial_measures", False),
    ("Vi phạm trên môi trường mạng (có / không)", "online", True),
    ("Tình trạng chấp hành (chưa chấp hành / đã chấp hành)", "compliance", False),
)
KINDS = {"doanh nghiệp": "enterprise", "hộ kinh doanh": "household-business", "cá nhân": "individual",
         "enterprise": "enterprise", "household-business": "household-business", "individual": "individual"}
YES_NO = {"có": True, "co": True, "yes": True, "x": True, "không": False, "khong": False, "no": False, "": False}
COMPLIANCE = {"": "pending", "chưa chấp hành": "pending", "chưa chấp hành xong": "pending", "pending": "pending",
              "đã chấp hành": "complied", "complied": "complied"}


@dataclass
class RowReport:
    row: int
    decision: str
    errors: list[str] = field(default_factory=list)


@dataclass
class SanctionImport:
    rows: list[RowReport] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(not row.errors for row in self.rows) and bool(self.rows)


def template_csv() -> bytes:
    """The header row as a CSV template (UTF-8 with BOM, so spreadsheet programs read the accents)."""
    out = io.StringIO()
    csv.writer(out).writerow([header for header, _, _ in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Xu phat"
    sheet.append([header for header, _, _ in COLUMNS])
    for cell in sheet[1]:
        sheet.column_dimensions[cell.column_letter].width = max(14, min(45, len(str(cell.value))))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip().lower()


def _read(stream: BinaryIO, filename: str) -> list[list[Any]]:
    suffix = Path(filename).suffix.lower()
    raw = stream.read()
    if suffix == ".csv":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(f"{filename}: not UTF-8 text; expected a CSV file saved as UTF-8 "
                                  "with the template's header row") from None
        return [row for row in csv.reader(io.StringIO(text))]
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ImportFileError(f"{filename}: not an Excel workbook; expected an XLSX file "
                                  "with the template's header row") from None
        rows = []
        for index, row in enumerate(book.worksheets[0].iter_rows(values_only=True)):
            if index > MAX_ROWS + 1:
                break
            rows.append(list(row))
        book.close()
        return rows
    raise ImportFileError(f"{filename}: expected an XLSX or CSV file (the downloadable template)")


def _date(value: Any) -> str | date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        try:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return text  # the schema reports it, naming the column
    return text or None


def _money(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    text = re.sub(r"[\s.,₫đ]|VND|vnđ", "", str(value or ""), flags=re.IGNORECASE)
    return int(text) if text.isdigit() else str(value)


def _row_data(values: dict[str, Any]) -> dict[str, Any]:
    text = {key: ("" if value is None else str(value).strip()) for key, value in values.items()}
    kind = KINDS.get(_fold(text["subject.kind"]), text["subject.kind"])
    online = YES_NO.get(_fold(text["online"]), text["online"])
    name, number = text["subject.name"], text["decision.number"]
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", f"xu-phat-{number}-{name}".replace("đ", "d")
                  .replace("Đ", "D")).encode("ascii", "ignore").decode().lower()).strip("-")[:150]
    return {
        "slug": slug, "lang": "vi", "title": f"Xử phạt {name}"[:300],
        "subject": {"name": name, "kind": kind, "tax_code": text["subject.tax_code"],
                    "address": text["subject.address"], "ward": text["subject.ward"]},
        "violation": text["violation"], "legal_basis": text["legal_basis"],
        "decision": {"number": number, "date": _date(values["decision.date"]), "authority": text["decision.authority"]},
        "fine_vnd": _money(values["fine_vnd"]), "online": online,
        "additional_penalties": text["additional_penalties"], "remedial_measures": text["remedial_measures"],
        "compliance": COMPLIANCE.get(_fold(text["compliance"]), text["compliance"]), "body": "",
    }


def check(stream: BinaryIO, filename: str) -> tuple[SanctionImport, list[dict[str, Any]]]:
    """Read and check every row; returns the report and the clean content dicts of good rows."""
    rows = _read(stream, filename)
    if not rows:
        raise ImportFileError(f"{filename}: empty; expected the template's header row and one row per decision")
    headers = [_fold(h) for h in rows[0]]
    wanted = {_fold(header): key for header, key, _ in COLUMNS}
    missing = [header for header, key, required in COLUMNS if required and _fold(header) not in headers]
    unknown = [h for h in rows[0] if h not in (None, "") and _fold(h) not in wanted]
    if missing or unknown:
        problems = ([f"missing column(s): {', '.join(missing)}"] if missing else []) + \
                   ([f"unknown column(s): {', '.join(map(str, unknown))}"] if unknown else [])
        raise ImportFileError(f"{filename}: {'; '.join(problems)}; use the downloadable template")
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(f"{filename}: more than {MAX_ROWS} rows; split the file")
    labels = {key: header for header, key, _ in COLUMNS}
    report, cleaned = SanctionImport(), []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if all(value in (None, "") for value in row):
            continue
        values = {key: None for _, key, _ in COLUMNS}
        for position, header in enumerate(headers):
            if header in wanted and position < len(row):
                values[wanted[header]] = row[position]
        data = _row_data(values)
        line = RowReport(row=number, decision=data["decision"]["number"])
        report.rows.append(line)
        try:
            clean = workflow.prepare("sanction", data, DRAFT)
        except ContentError as exc:
            line.errors.append(f"{labels.get(exc.field, exc.field)}: {exc.message}")
            continue
        key = f"{clean['decision']['number']}|{clean['subject']['name']}".lower()
        if key in seen:
            line.errors.append(f"repeats row {seen[key]} (same decision and subject)")
            continue
        seen[key] = number
        if db.session.execute(db.select(Sanction.id).filter_by(decision_number=clean["decision"]["number"],
                                                               subject_name=clean["subject"]["name"])).first():
            line.errors.append("this decision is already recorded for this subject")
            continue
        cleaned.append(clean)
    return report, cleaned


def import_sanctions(stream: BinaryIO, filename: str, actor: User | None, label: str = "cli") -> SanctionImport:
    """Record every row as a draft enforcement result, or none if any row is wrong.

    ``actor`` None is the command line (a trusted operator); in the admin only the enforcement role may.
    """
    if actor is not None:
        perm.require(perm.can_write(actor, "sanction"), "import", "sanction")
    report, cleaned = check(stream, filename)
    if not report.ok:
        return report
    try:
        taken = set(db.session.execute(db.select(Sanction.slug)).scalars())
        for clean in cleaned:
            slug, n = clean["slug"] or "xu-phat", 1
            while slug in taken:
                n += 1
                slug = f"{clean['slug'][:140]}-{n}"
            taken.add(slug)
            clean["slug"] = slug
            item = Sanction(owner_org=actor.org if actor is not None else "so-cong-thuong", has_unpublished_changes=True)
            apply(item, clean)
            record_change(item, "create", actor, note=f"import {filename}", data=clean, label=label if actor is None else None)
            report.created.append(clean["decision"]["number"])
        audit("sanction.import", actor, None, {"file": filename, "created": len(report.created)},
              label=label if actor is None else None)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report
