"""The multi-agency US recalls file (JSON: {"recalls": [...]}, CPSC, FDA and NHTSA records).

Each record is relayed under its own authority. FDA records link only to FDA's general recalls
page, which is not a notice: they keep no URL and the public page links the search page instead.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from . import mapping
from .base import notice_url, read_json_recalls, AUTHORITY_SEARCH_PAGES, SkipRecord, SourceRecord, clean, labelled, slug_for, warning_content
from .codes import asins, split_codes
from .cpsc import parties

NAME = "us-recalls"
EXPECTED = ('a US recalls JSON file: an object with a "recalls" list of records with "id", "source", '
            '"category" and "categoryLabel"')
SIGNATURE = ("id", "source", "category", "categoryLabel")
AUTHORITIES = {"CPSC": "US CPSC", "FDA": "US FDA", "NHTSA": "US NHTSA"}
UPC_RE = re.compile(r"UPC[^0-9]{0,12}((?:\d[\d ]{6,16}\d))", re.IGNORECASE)
NHTSA_TITLE = re.compile(r"^(?P<year>\d{4})\s+(?P<make>\S+)\s+(?P<model>.+?)\s+—\s+(?P<component>.+)$")


def read(path: Path) -> list[dict[str, Any]]:
    return read_json_recalls(path, SIGNATURE, EXPECTED, "a US recalls file")


def convert(record: dict[str, Any]) -> SourceRecord:
    record_id, agency = clean(record.get("id")), clean(record.get("source")).upper()
    authority = AUTHORITIES.get(agency)
    if not record_id or authority is None:
        raise SkipRecord(f"no id or an unknown agency {agency!r}", record_id)
    if record_id.upper().endswith("N/A"):
        raise SkipRecord("no recall number (the file gives N/A)", record_id)
    kind = clean(record.get("category"))
    reference = record_id.split("-", 1)[1] if agency in ("FDA", "NHTSA") else record_id
    if agency == "FDA":
        reference = reference.split("-", 1)[1]  # fda-food-H-1219-2026 → H-1219-2026
    title, description, hazard = clean(record.get("title")), clean(record.get("description")), clean(record.get("hazard"))
    firm = clean(record.get("brand"))
    rules = mapping.table("us_recalls")
    risk = "unknown"
    model = ""
    if agency == "FDA":
        risk = rules["fda_classes"].get(hazard.lower(), "unknown")
        hazard_text = description
    else:
        hazard_text = " ".join((hazard, title.split(" Due to ", 1)[-1] if " Due to " in title else ""))
    if agency == "NHTSA":
        hazard_text = " ".join((hazard.replace(":", " "), description))
        match = NHTSA_TITLE.match(title)
        if match:
            model = f"{match.group('make')} {match.group('model')} ({match.group('year')})"
    mapped = rules["categories"].get(kind, "rules")
    if mapped == "rules-food":
        category = mapping.category_from_text(title, exclude=("motor-vehicles",)) or "food"
    elif mapped == "rules":
        category = mapping.category_from_text(title.split(" Due to ")[0], description) or "other"
    else:
        category = mapped
    hazards = mapping.hazards_from_text(hazard_text) or [rules["default_hazards"].get(kind, "other")]
    url = clean(record.get("url"))
    if url.rstrip("/") == AUTHORITY_SEARCH_PAGES["US FDA"].rstrip("/"):
        url = ""  # FDA's general recalls page, not this notice
    try:
        source_date = date.fromisoformat(clean(record.get("date")))
    except ValueError:
        source_date = None
    barcodes, codes = split_codes([m.group(1).replace(" ", "") for m in UPC_RE.finditer(title + " " + description)])
    codes += [c for c in asins(title + " " + description) if c not in codes]
    name = title.split(" Recall")[0] if agency == "CPSC" else title
    content = warning_content(
        slug=slug_for(agency.lower(), reference if agency != "CPSC" else reference.split("-", 1)[1]),
        title=title, category=category, hazards=hazards, risk_level=risk,
        product={"name": (name or title or reference)[:300], "model": model[:300], "barcodes": barcodes, "codes": codes},
        source={"authority": authority, "reference": reference, "language": "en",
                "url": notice_url(url), "date": source_date},
        summary=description if agency == "FDA" else hazard,
        **({"manufacturer": firm[:300]} if agency != "CPSC" else parties(title)),
        measures=[{"type": "recall", "kind": "voluntary",
                   "by": f"{(parties(title)['manufacturer'] if agency == 'CPSC' else firm)[:250] or 'The firm'}, with the {authority}"}],
        body=labelled(("Description", description), ("Hazard" if agency == "CPSC" else "Component or class", hazard),
                      ("Firm" if agency != "CPSC" else "Brand field of the file", firm)))
    return SourceRecord(authority, reference, content, source_date, [], [record_id])
