"""What a result list shows beside a warning's title that the index does not keep.

A warning's risk level and whether it was withdrawn are read from the database (the source
of truth) for one page of results at a time, in one statement, never one per result.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..content.models import WITHDRAWN, Warning
from ..extensions import db


@dataclass(frozen=True)
class WarningState:
    risk_level: str
    withdrawn: bool


def warning_states(hits: Iterable) -> dict[int, WarningState]:
    """Item id -> risk level and withdrawn status, for the warnings among ``hits``."""
    ids = sorted({hit.item_id for hit in hits if hit.kind == "warning"})
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(Warning.id, Warning.risk_level, Warning.status).where(Warning.id.in_(ids)))
    return {row.id: WarningState(row.risk_level or "unknown", row.status == WITHDRAWN) for row in rows}
