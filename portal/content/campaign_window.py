"""When the home page shows the campaign banner: PORTAL_CAMPAIGN_START to PORTAL_CAMPAIGN_END.

Each setting is a day, ``MM-DD`` (every year: the default is 03-01 to 03-15) or ``YYYY-MM-DD``
(one year only). The window runs from the start of the first day to the end of the last, Vietnam
time. Its edges are time boundaries of the content generation (`generation.current`), so cached
pages and ETags change the moment the banner appears or goes.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Mapping

VN = timezone(timedelta(hours=7))
DEFAULT_START, DEFAULT_END = "03-01", "03-15"
_DAY = re.compile(r"^(?:(\d{4})-)?(\d{2})-(\d{2})$")


def parse_day(value: str, name: str) -> tuple[int | None, int, int]:
    """(year or None, month, day) from ``MM-DD`` or ``YYYY-MM-DD``; ValueError naming the setting."""
    match = _DAY.match((value or "").strip())
    if not match:
        raise ValueError(f"{name} must be a day as MM-DD (every year) or YYYY-MM-DD, not {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year or 2024, month, day)  # 2024: a leap year, so 02-29 is allowed as a recurring day
    except ValueError:
        raise ValueError(f"{name} is not a day of the calendar: {value!r}") from None
    return year, month, day


def _on(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # 29 February outside a leap year
        return date(year, month, day - 1)


def windows(config: Mapping, around: int) -> list[tuple[datetime, datetime]]:
    """The banner windows (start, end) of the years next to ``around``, as aware datetimes."""
    start = parse_day(config.get("PORTAL_CAMPAIGN_START") or DEFAULT_START, "PORTAL_CAMPAIGN_START")
    end = parse_day(config.get("PORTAL_CAMPAIGN_END") or DEFAULT_END, "PORTAL_CAMPAIGN_END")
    years = {start[0]} if start[0] is not None else {around - 1, around, around + 1}
    out = []
    for year in sorted(years):
        first = _on(year, start[1], start[2])
        end_year = end[0] if end[0] is not None else year + (1 if (end[1], end[2]) < (start[1], start[2]) else 0)
        last = _on(end_year, end[1], end[2])
        if last >= first:
            out.append((datetime.combine(first, time.min, tzinfo=VN),
                        datetime.combine(last + timedelta(days=1), time.min, tzinfo=VN)))
    return out


def banner_open(config: Mapping, now: datetime) -> bool:
    """Whether ``now`` falls in a banner window."""
    return any(start <= now < end for start, end in windows(config, now.astimezone(VN).year))


def latest_edge(config: Mapping, now: datetime) -> datetime | None:
    """The latest window edge at or before ``now`` (a time boundary of the content generation)."""
    edges = [edge for window in windows(config, now.astimezone(VN).year) for edge in window if edge <= now]
    return max(edges, default=None)
