"""Campaigns (the yearly 15 March one): their content-file format, loading, and lookup.

A campaign is a content file with ``type: campaign`` (in ``content/campaigns/``), loaded by
``flask content load`` with the other files (all or nothing, errors naming file and field) and
kept whole as JSON in the `Campaign` table. Editors change the year's theme, dates, events and
leaflet points by editing that file, without code. Every text is a ``{vi, en}`` pair (English
optional: the Vietnamese is shown where it is missing); guides, news and warnings join the
campaign by carrying its ``tag``.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from . import generation
from .models import Campaign, utcnow
from .schema import SLUG_RE, ContentError, _code, _mapping, _str, parse_date

REQUIRED = ("type", "slug", "year", "tag", "starts_on", "ends_on", "title")
OPTIONAL = ("theme", "intro", "events", "leaflet", "body")
EVENT_KEYS = ("title", "date", "time", "end_time", "place", "description", "demo")
TIME_RE = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MAX_EVENTS, MAX_POINTS = 50, 12


def _text(value: Any, field: str, *, required: bool = False, max_len: int = 2000) -> dict[str, str]:
    """A ``{vi, en}`` pair; ``vi`` is required whenever the pair is."""
    if value is None:
        if required:
            raise ContentError(field, "is required (a mapping with vi and en)")
        return {"vi": "", "en": ""}
    pair = _mapping(value, field, ("vi", "en"))
    out = {"vi": _str(pair.get("vi"), f"{field}.vi", required=required, max_len=max_len),
           "en": _str(pair.get("en"), f"{field}.en", max_len=max_len)}
    if out["en"] and not out["vi"]:
        raise ContentError(f"{field}.vi", "is required when en is given (Vietnamese first)")
    return out


def _time(value: Any, field: str) -> str:
    text = _str(value, field, max_len=5)
    if text and not TIME_RE.match(text):
        raise ContentError(field, f"is not a time of day as HH:MM (24-hour): {text!r}")
    return text


def validate_campaign(data: dict[str, Any]) -> dict[str, Any]:
    """Check a campaign file's dict strictly and return it normalised (dates as ISO text)."""
    unknown = sorted(set(data) - set(REQUIRED + OPTIONAL))
    if unknown:
        raise ContentError(unknown[0], "unknown key")
    for key in REQUIRED:
        if data.get(key) is None:
            raise ContentError(key, "is required")
    if _str(data.get("body"), "body"):
        raise ContentError("body", "must be empty: a campaign keeps its text in intro.vi and intro.en")
    slug = _str(data["slug"], "slug", required=True, max_len=200)
    if not SLUG_RE.match(slug):
        raise ContentError("slug", "use lowercase letters a-z, digits and single hyphens")
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ContentError("year", "must be a year such as 2026")
    starts, ends = parse_date(data["starts_on"], "starts_on"), parse_date(data["ends_on"], "ends_on")
    if ends < starts:
        raise ContentError("ends_on", "must not be before starts_on")
    out: dict[str, Any] = {
        "type": "campaign", "slug": slug, "year": year, "tag": _code(data["tag"], "tag", "tag"),
        "starts_on": starts.isoformat(), "ends_on": ends.isoformat(),
        "title": _text(data["title"], "title", required=True, max_len=300),
        "theme": _text(data.get("theme"), "theme", max_len=300),
        "intro": _text(data.get("intro"), "intro", max_len=20000),
        "events": [], "leaflet": [],
    }
    events = data.get("events") or []
    if not isinstance(events, list) or len(events) > MAX_EVENTS:
        raise ContentError("events", f"must be a list of at most {MAX_EVENTS} events")
    for i, event in enumerate(events):
        field = f"events[{i}]"
        event = _mapping(event, field, EVENT_KEYS)
        if event.get("date") is None:
            raise ContentError(f"{field}.date", "is required")
        demo = event.get("demo", False)
        if not isinstance(demo, bool):
            raise ContentError(f"{field}.demo", "must be true or false")
        out["events"].append({
            "title": _text(event.get("title"), f"{field}.title", required=True, max_len=300),
            "date": parse_date(event["date"], f"{field}.date").isoformat(),
            "time": _time(event.get("time"), f"{field}.time"),
            "end_time": _time(event.get("end_time"), f"{field}.end_time"),
            "place": _text(event.get("place"), f"{field}.place", required=True, max_len=300),
            "description": _text(event.get("description"), f"{field}.description"),
            "demo": demo,
        })
        if out["events"][-1]["end_time"] and not out["events"][-1]["time"]:
            raise ContentError(f"{field}.end_time", "needs a start time")
    points = data.get("leaflet") or []
    if not isinstance(points, list) or len(points) > MAX_POINTS:
        raise ContentError("leaflet", f"must be a list of at most {MAX_POINTS} points, each {{vi, en}}")
    out["leaflet"] = [_text(point, f"leaflet[{i}]", required=True, max_len=200) for i, point in enumerate(points)]
    out["events"].sort(key=lambda event: (event["date"], event["time"]))
    return out


def upsert(items: list[tuple[str, dict[str, Any]]]) -> tuple[list[str], list[str], list[str]]:
    """Create or update campaigns by slug in the caller's transaction: (created, updated, unchanged)."""
    created: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    if not items:
        return created, updated, unchanged
    slugs = sorted(data["slug"] for _source, data in items)
    known = {row.slug: row for row in db.session.execute(sa.select(Campaign).where(Campaign.slug.in_(slugs))).scalars()}
    for source, data in items:
        row = known.get(data["slug"])
        if row is not None and row.data == data:
            unchanged.append(source)
            continue
        if row is None:
            row = Campaign(slug=data["slug"])
            db.session.add(row)
            created.append(source)
        else:
            updated.append(source)
        row.tag, row.data, row.updated_at = data["tag"], data, utcnow()
        row.starts_on, row.ends_on = date.fromisoformat(data["starts_on"]), date.fromisoformat(data["ends_on"])
    if created or updated:
        generation.bump()  # the campaign page and the home banner show it
    return created, updated, unchanged


def file_dict(row: Campaign) -> dict[str, Any]:
    """A campaign row as a content file's front matter (what `content dump` writes)."""
    data = dict(row.data)
    for key in ("theme", "intro"):
        if not any(data.get(key, {}).values()):
            data.pop(key, None)
    for key in ("events", "leaflet"):
        if not data.get(key):
            data.pop(key, None)
    return data


def current(today: date) -> Campaign | None:
    """The campaign to show on ``today``: the first one not yet over, else the latest (one index walk)."""
    upcoming = db.session.execute(
        sa.select(Campaign).where(Campaign.ends_on >= today).order_by(Campaign.ends_on, Campaign.id).limit(1)
    ).scalar_one_or_none()
    if upcoming is not None:
        return upcoming
    return db.session.execute(
        sa.select(Campaign).order_by(Campaign.ends_on.desc(), Campaign.id.desc()).limit(1)
    ).scalar_one_or_none()
