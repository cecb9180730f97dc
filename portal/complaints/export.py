"""The reporting export of the complaint queue (CSV or XLSX), without personal data.

Decision: no role gets personal data in an export. A file leaves the portal's access control
the moment it is downloaded, so the export holds only what reporting needs: code, kind,
sector, status, dates, the organisation in charge, overdue, links. Contact details, the
person's own words (the business and product as they typed them included) and attachments
stay in the admin, where the complaint roles read them one complaint at a time.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from flask_babel import lazy_gettext as _l

from ..content.models import User, utcnow
from ..feeds.exports import csv_chunks, each_item, xlsx_chunks
from ..formatting import iso_datetime
from . import permissions as perm
from .labels import KIND_LABELS, SECTOR_LABELS, STATUS_LABELS
from .models import Complaint

COLUMNS = [
    (_l("Mã theo dõi"), lambda c, now: c.code),
    (_l("Loại"), lambda c, now: str(KIND_LABELS.get(c.kind, c.kind))),
    (_l("Lĩnh vực"), lambda c, now: str(SECTOR_LABELS.get(c.sector, c.sector))),
    (_l("Tình trạng"), lambda c, now: str(STATUS_LABELS.get(c.status, c.status))),
    (_l("Tháng tiếp nhận"), lambda c, now: c.month),
    (_l("Tiếp nhận lúc"), lambda c, now: iso_datetime(c.created_at)),
    (_l("Đổi tình trạng lúc"), lambda c, now: iso_datetime(c.status_changed_at)),
    (_l("Hạn xử lý"), lambda c, now: iso_datetime(c.due_at) if c.due_at else ""),
    (_l("Quá hạn"), lambda c, now: str(_l("Có") if c.overdue(now) else _l("Không"))),
    (_l("Đóng lúc"), lambda c, now: iso_datetime(c.closed_at) if c.closed_at else ""),
    (_l("Cơ quan xử lý"), lambda c, now: c.assigned_org),
    (_l("Bản nháp cảnh báo số"), lambda c, now: c.warning_id or ""),
    (_l("Kết quả xử lý vi phạm số"), lambda c, now: c.sanction_id or ""),
]


def header() -> list[str]:
    return [str(name) for name, _ in COLUMNS]


def rows(complaints: Iterable[Complaint]) -> Iterator[list[Any]]:
    now = utcnow()
    for complaint in complaints:
        yield [value(complaint, now) for _, value in COLUMNS]


def export(actor: User, query, fmt: str) -> Iterator[bytes]:
    """The chunks of the export of ``query``'s complaints in ``fmt`` ("csv" or "xlsx")."""
    perm.require(perm.can_export(actor), "complaint.export")
    values = rows(each_item(query))
    if fmt == "xlsx":
        return xlsx_chunks(header(), values, "complaints")
    return csv_chunks(header(), values)
