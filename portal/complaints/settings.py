"""Complaint settings from the environment (test config may override each key)."""
from __future__ import annotations

import os

from flask import Flask

DEFAULT_DUE_DAYS = {"received": 3, "forwarded": 15, "in_progress": 30}


def parse_due_days(value: str) -> dict[str, int]:
    """``received=3,forwarded=15,in_progress=30`` -> days per open stage (missing stages keep the default)."""
    days = dict(DEFAULT_DUE_DAYS)
    for part in (value or "").split(","):
        if not part.strip():
            continue
        stage, _, number = part.partition("=")
        stage, number = stage.strip(), number.strip()
        if stage not in DEFAULT_DUE_DAYS or not number.isdigit() or int(number) < 1:
            raise ValueError(f"PORTAL_COMPLAINT_DUE_DAYS: bad part {part!r} "
                             "(write e.g. received=3,forwarded=15,in_progress=30)")
        days[stage] = int(number)
    return days


def _number(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    return int(value)


def init_app(app: Flask) -> None:
    config = app.config
    config.setdefault("COMPLAINT_DUE_DAYS", parse_due_days(os.environ.get("PORTAL_COMPLAINT_DUE_DAYS", "")))
    # Days after a complaint is closed before `flask complaints purge` erases its personal data.
    config.setdefault("COMPLAINT_RETENTION_DAYS", _number("PORTAL_COMPLAINT_RETENTION_DAYS", 365))
    config.setdefault("COMPLAINT_FILES_DIR", os.environ.get("PORTAL_COMPLAINT_FILES_DIR", ""))
    # Per client address: complaints filed per hour, and status lookups that matched nothing per hour.
    config.setdefault("COMPLAINT_FILINGS_PER_HOUR", _number("PORTAL_COMPLAINT_FILINGS_PER_HOUR", 5))
    config.setdefault("COMPLAINT_FAILED_LOOKUPS_PER_HOUR", _number("PORTAL_COMPLAINT_FAILED_LOOKUPS_PER_HOUR", 10))
