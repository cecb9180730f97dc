"""Importers for foreign recall records (US CPSC, EU Safety Gate) into draft warnings.

Imported records become *drafts* in English, owned by Sở Công Thương, for an editor to
translate, classify (risk level) and publish: nothing imported is public by itself. Importing
is idempotent by source reference (an already imported record is left as the editor made it)
and all-or-nothing: a record that does not fit the content format stops the run, named by its
position and reference.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..extensions import db
from .models import Warning
from .schema import ContentError, apply, validate
from .services import audit, record_change

EU_CATEGORIES = {
    "motor vehicles": "motor-vehicles", "cosmetics": "cosmetics", "toys": "toys",
    "electrical appliances and equipment": "electrical", "childcare articles and childrens equipment": "childcare",
    "lighting chains": "lighting", "lighting equipment": "lighting", "gadgets": "gadgets",
    "chemical products": "chemicals", "clothing, textiles and fashion items": "clothing",
    "protective equipment": "protective-equipment", "hobby/sports equipment": "sports",
    "laser pointers": "gadgets", "machinery": "machinery", "furniture": "furniture", "lighters": "gadgets",
    "hand tools": "machinery", "food-contact materials": "food-contact", "construction products": "construction",
}
HAZARD_WORDS = {
    "injuries": "injuries", "chemical": "chemical", "fire": "fire", "electric shock": "electric-shock",
    "choking": "choking", "damage to sight": "damage-to-sight", "damage to hearing": "damage-to-hearing",
    "strangulation": "strangulation", "drowning": "drowning", "burns": "burns", "cuts": "cuts",
    "suffocation": "suffocation", "microbiological": "microbiological", "environment": "environment",
    "entrapment": "injuries", "health risk": "health-risk", "fall": "injuries", "crash": "injuries",
    "laceration": "cuts", "burn": "burns", "shock": "electric-shock", "tip-over": "injuries",
}


class ImportFileError(ValueError):
    """The file cannot be read as the expected kind of records."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (position, reason)


def _clean(value: Any) -> str:
    """Empty for the "None"/None placeholders the scraped files use."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text in ("None", "null") else text


def _slug(prefix: str, reference: str) -> str:
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", reference.lower()).strip("-")


def _barcodes(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"\b\d{8,14}\b", text)))


def _hazards(text: str) -> list[str]:
    lowered = text.lower()
    found = [code for word, code in HAZARD_WORDS.items() if word in lowered]
    return list(dict.fromkeys(found)) or ["other"]


def _lines(*parts: tuple[str, str]) -> str:
    return "\n\n".join(f"**{label}:** {value}" for label, value in parts if value)


def safety_gate_record(record: dict[str, Any]) -> dict[str, Any] | None:
    """One EU Safety Gate record as a draft warning content dict (None: not a Safety Gate alert)."""
    reference = _clean(record.get("alert_number"))
    if not reference:
        return None
    category = EU_CATEGORIES.get(_clean(record.get("product_category")).lower(), "other")
    name = _clean(record.get("product_name")) or _clean(record.get("product_description")) or reference
    measures = [{"type": "other", "kind": kind, "by": text[:300]}
                for kind, text in (("compulsory", _clean(record.get("compulsory_measures"))),
                                   ("voluntary", _clean(record.get("voluntary_measures")))) if text]
    case_url = _clean(record.get("case_url"))
    return {
        "type": "warning", "slug": _slug("eu", reference), "lang": "en", "workflow": "draft",
        "title": f"{name} ({_clean(record.get('brand')) or 'unbranded'}) – {reference}"[:300],
        "category": category, "hazards": _hazards(_clean(record.get("risk_type"))), "risk_level": "unknown",
        "product": {"name": name[:300], "brand": _clean(record.get("brand"))[:200],
                    "model": _clean(record.get("model_type_number"))[:300],
                    "barcodes": _barcodes(_clean(record.get("barcode"))),
                    "batches": [b.strip()[:300] for b in re.split(r"[\n;]", _clean(record.get("batch_number"))) if b.strip()],
                    "production_dates": _clean(record.get("production_dates")),
                    "origin_country": _clean(record.get("country_of_origin"))[:100]},
        "measures": measures,
        "source": {"authority": "EU Safety Gate", "reference": reference, "language": "en",
                   "url": case_url if case_url.startswith("http") else ""},
        "body": _lines(("Description", _clean(record.get("product_description"))),
                       ("Packaging", _clean(record.get("packaging_description"))),
                       ("Risk", _clean(record.get("risk_description")) or _clean(record.get("risk_type"))),
                       ("Company recall code", _clean(record.get("company_recall_code")))),
    }


def cpsc_record(record: dict[str, Any]) -> dict[str, Any] | None:
    """One US CPSC recall as a draft warning content dict."""
    reference = _clean(record.get("number"))
    if not reference:
        return None
    url = _clean(record.get("url"))
    return {
        "type": "warning", "slug": _slug("cpsc", reference), "lang": "en", "workflow": "draft",
        "title": (_clean(record.get("title")) or _clean(record.get("name")) or reference)[:300],
        "category": "sports" if "bicycle" in _clean(record.get("name")).lower() else "other",
        "hazards": _hazards(_clean(record.get("hazard"))), "risk_level": "unknown",
        "product": {"name": (_clean(record.get("name")) or reference)[:300],
                    "barcodes": _barcodes(" ".join(map(str, record.get("upcs") or [])))},
        "units": _clean(record.get("units"))[:200],
        "what_to_do": _clean(record.get("remedy")),
        "measures": [{"type": "recall", "kind": "voluntary", "by": "The firm, with the US CPSC"}],
        "source": {"authority": "US CPSC", "reference": reference, "language": "en",
                   "url": url if url.startswith("http") else ""},
        "body": _lines(("Description", _clean(record.get("description"))), ("Hazard", _clean(record.get("hazard"))),
                       ("Incidents/injuries", _clean(record.get("injuries"))),
                       ("Recall date", _clean(record.get("date")))),
    }


def _records(path: Path, kind: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFileError(f"{path}: cannot be read as JSON ({exc.__class__.__name__})") from None
    if kind == "cpsc" and isinstance(data, dict):
        data = data.get("recalls")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportFileError(f"{path}: expected a list of {kind} records")
    return data


CONVERTERS: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "cpsc": cpsc_record, "safety-gate": safety_gate_record,
}


def import_file(path: str | Path, kind: str, label: str = "cli",
                progress: Callable[[Iterable], Iterable] = lambda records: records) -> ImportReport:
    """Import the records of ``path`` (kind ``cpsc`` or ``safety-gate``) as draft warnings."""
    path = Path(path)
    records = _records(path, kind)
    report = ImportReport()
    errors: list[str] = []
    try:
        with db.session.no_autoflush:
            for position, record in enumerate(progress(records), start=1):
                data = CONVERTERS[kind](record)
                if data is None:
                    report.skipped.append((f"#{position}", "no reference number"))
                    continue
                if db.session.execute(db.select(Warning.id).filter_by(slug=data["slug"])).first():
                    report.existing.append(data["source"]["reference"])
                    continue
                try:
                    clean = validate(data)
                except ContentError as exc:
                    errors.append(f"record #{position} ({data['source']['reference']}): {exc.field}: {exc.message}")
                    continue
                item = Warning(owner_org="so-cong-thuong")
                apply(item, clean)
                record_change(item, "import", None, label=label)
                db.session.flush()
                report.created.append(data["source"]["reference"])
        if errors:
            raise ImportFileError(f"{path}: " + "; ".join(errors))
        audit("content.import", None, None, {"file": path.name, "kind": kind, "created": len(report.created),
                                             "existing": len(report.existing)}, label=label)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report
