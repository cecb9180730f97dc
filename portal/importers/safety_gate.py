"""EU Safety Gate alerts (JSON: a list of alert objects) → draft warnings.

The scraped file carries no notice URL and (but for one row) no date: neither is guessed; the
public page names the authority and the alert number and links Safety Gate's search page.
"""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from . import mapping
from .base import notice_url, ImportFileError, SkipRecord, SourceRecord, clean, labelled, slug_for, warning_content
from .codes import asins, batch_lines, split_codes

NAME = "safety-gate"
AUTHORITY = "EU Safety Gate"
EXPECTED = 'an EU Safety Gate JSON file: a list of alerts with "alert_number", "product_category" and "risk_type"'
SIGNATURE = ("alert_number", "product_category", "risk_type")
VEHICLE_NAMES = re.compile(r"\b(car|van|vehicle|truck|motorcycle|bus|quad)\b", re.IGNORECASE)


def read(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError(f"{path.name}: not JSON; expected {EXPECTED}") from None
    if not isinstance(data, list) or not data or not all(
            isinstance(r, dict) and all(k in r for k in SIGNATURE) for r in data):
        raise ImportFileError(f"{path.name}: not an EU Safety Gate file; expected {EXPECTED}")
    return data


def _date(text: str) -> date | None:
    """A date the record states ("27. 11. 2024" or ISO); None when it has none or it is unclear."""
    match = re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})", text) or None
    try:
        if match:
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def convert(record: dict[str, Any]) -> SourceRecord:
    reference = clean(record.get("alert_number"))
    name = clean(record.get("product_name"))
    if not reference:
        raise SkipRecord("no alert number (a national notice without a Safety Gate reference)"
                         + (f": {name[:80]}" if name else ""))
    label = clean(record.get("product_category"))
    description = clean(record.get("product_description"))
    category = (mapping.lookup("safety_gate", "categories", label)
                or mapping.category_from_text(name, description) or "other")
    hazards: list[str] = []
    for part in filter(None, (p.strip() for p in clean(record.get("risk_type")).split(","))):
        for code in [mapping.lookup("safety_gate", "hazards", part)] if mapping.lookup("safety_gate", "hazards", part) \
                else mapping.hazards_from_text(part):
            if code not in hazards:
                hazards.append(code)
    brand = clean(record.get("brand"))
    model = clean(record.get("model_type_number"))
    if not model and (category == "motor-vehicles" or VEHICLE_NAMES.search(name)):
        model = description  # for vehicles Safety Gate puts the models ("Q7, Q8, RSQ8") in the description
    barcodes, codes = split_codes(clean(record.get("barcode")).splitlines())
    text = " ".join((clean(record.get("barcode")), description, clean(record.get("packaging_description"))))
    codes += [c for c in asins(text) if c not in codes]
    recall_code = clean(record.get("company_recall_code"))
    if recall_code and recall_code not in codes:
        codes.append(recall_code[:300])
    measures = [{"type": "other", "kind": kind, "by": text[:300]}
                for kind, text in (("compulsory", clean(record.get("compulsory_measures"))),
                                   ("voluntary", clean(record.get("voluntary_measures")))) if text]
    url = clean(record.get("case_url"))
    source_date = _date(clean(record.get("published_on")))
    images = [u for u in re.split(r",(?=https?://)", clean(record.get("images"))) if u.startswith("http")]
    product_name = name or description or reference
    title = f"{product_name} – {brand}" if brand else product_name
    content = warning_content(
        slug=slug_for("eu", reference), title=f"{title} ({reference})", category=category,
        hazards=hazards, risk_level="unknown",
        product={"name": product_name[:300], "brand": brand[:200], "model": model[:300],
                 "barcodes": barcodes, "codes": codes, "batches": batch_lines(clean(record.get("batch_number"))),
                 "production_dates": clean(record.get("production_dates")),
                 "origin_country": clean(record.get("country_of_origin"))[:100]},
        source={"authority": AUTHORITY, "reference": reference, "language": "en",
                "url": notice_url(url), "date": source_date},
        summary=clean(record.get("risk_description")), measures=measures,
        body=labelled(("Description", description), ("Packaging", clean(record.get("packaging_description"))),
                      ("Risk", clean(record.get("risk_description")) or clean(record.get("risk_type"))),
                      ("Company recall code", recall_code), ("Company recall page", clean(record.get("company_recall_page"))),
                      ("Legal provision", clean(record.get("risk_legal_provision")))))
    return SourceRecord(AUTHORITY, reference, content, source_date, images)
