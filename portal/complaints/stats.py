"""Anonymous complaint statistics: counts by status, kind, sector and month.

Three GROUP BY queries over the ``(month, status, sector)`` index, bounded to the last
twelve months for the monthly table; no personal column is read.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..content.models import utcnow
from ..extensions import db
from ..formatting import local_time
from .models import STATUSES, Complaint

MONTHS = 12


@dataclass
class ComplaintStats:
    total: int
    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_sector: list[tuple[str, int]]
    by_month: list[tuple[str, int]]


def last_months(count: int = MONTHS) -> list[str]:
    today = local_time(utcnow())
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def _grouped(column, *where) -> dict[str, int]:
    rows = db.session.execute(db.select(column, db.func.count(Complaint.id)).where(*where).group_by(column))
    return {key: count for key, count in rows}


def complaint_stats() -> ComplaintStats:
    by_status = _grouped(Complaint.status)
    months = last_months()
    by_month = _grouped(Complaint.month, Complaint.month >= months[0])
    return ComplaintStats(
        total=sum(by_status.values()),
        by_status=[(status, by_status.get(status, 0)) for status in STATUSES],
        by_kind=sorted(_grouped(Complaint.kind).items()),
        by_sector=sorted(_grouped(Complaint.sector).items(), key=lambda pair: (-pair[1], pair[0])),
        by_month=[(month, by_month.get(month, 0)) for month in months],
    )
