"""US CPSC recalls (JSON: {"recalls": [...]}, one object per recall) → draft warnings."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from . import mapping
from .base import notice_url, read_json_recalls, SkipRecord, SourceRecord, clean, labelled, slug_for, warning_content
from .codes import asins, split_codes, words_in

NAME = "cpsc"
AUTHORITY = "US CPSC"
EXPECTED = 'a US CPSC recalls JSON file: an object with a "recalls" list of records with "number", "hazard" and "remedy"'
SIGNATURE = ("number", "hazard", "remedy")
FIRM_RE = re.compile(r"^(?:CPSC,\s*)?(?P<firm>.+?)\s+(?:Announce|Recalls|Recall of|Expands)\b", re.IGNORECASE)
PARTY_RE = re.compile(r"(?P<role>Imported|Sold|Distributed|Manufactured)\s+(?:exclusively\s+)?"
                      r"(?:on\s+(?P<where>[\w.]+)\s+)?by\s+(?P<who>[^;]+)", re.IGNORECASE)


def read(path: Path) -> list[dict[str, Any]]:
    """The records of a CPSC file; ImportFileError naming the expected format otherwise."""
    return read_json_recalls(path, SIGNATURE, EXPECTED, "a US CPSC recalls file")


def parties(title: str) -> dict[str, str]:
    """Manufacturer, importer and seller as the recall title names them."""
    out = {"manufacturer": "", "importer": "", "seller": ""}
    match = FIRM_RE.match(title)
    if match and "recalled" not in match.group("firm").lower():
        out["manufacturer"] = match.group("firm").strip(" ,")
    recalled_by = re.search(r"\bRecalled [Bb]y (?P<who>[^;]+?)(?: Due to\b|;|$)", title)
    if not out["manufacturer"] and recalled_by:
        out["manufacturer"] = recalled_by.group("who").strip(" ,")
    for party in PARTY_RE.finditer(title):
        who = party.group("who").strip(" ;.")
        role = party.group("role").lower()
        if role == "imported":
            out["importer"] = out["importer"] or who
        elif role == "sold":
            out["seller"] = out["seller"] or (f"{party.group('where')} ({who})" if party.group("where") else who)
        else:
            out["manufacturer"] = out["manufacturer"] or who
    return out


def brand_of(name: str, firm_words: str, brand_tokens: list[str]) -> str:
    """The brand: the name's leading word when the firm or the brand tokens carry it too."""
    first = (name.split() or [""])[0].strip("®™,")
    known = firm_words.lower().split() + [t.lower() for t in brand_tokens]
    return first if first and first.lower().rstrip("'s") in known else ""


def convert(record: dict[str, Any]) -> SourceRecord:
    reference = clean(record.get("number"))
    if not reference:
        raise SkipRecord("no recall number")
    title = clean(record.get("title")) or clean(record.get("name")) or reference
    name = clean(record.get("name")) or title
    hazard = clean(record.get("hazard"))
    description = clean(record.get("description"))
    firms = parties(title)
    text = " ".join((name, title, description))
    models = words_in(text, [t for t in record.get("modelTokens") or [] if any(c.isdigit() for c in t)])
    barcodes, codes = split_codes([str(c) for c in record.get("upcs") or []])
    codes += [c for c in asins(text) + models if c not in codes]
    category = (mapping.category_from_text(name, title.split(" Due to ")[0], description)
                or mapping.table("cpsc")["default_category"])
    hazards = mapping.hazards_from_text(" ".join((hazard, title.split(" Due to ", 1)[-1] if " Due to " in title else "")))
    url = clean(record.get("url"))
    try:
        source_date = date.fromisoformat(clean(record.get("date")))
    except ValueError:
        source_date = None
    image = clean(record.get("image"))
    content = warning_content(
        slug=slug_for("cpsc", reference), title=title, category=category,
        hazards=hazards or [mapping.table("cpsc")["default_hazard"]], risk_level="unknown",
        product={"name": name[:300], "brand": brand_of(name, firms["manufacturer"], record.get("brandTokens") or [])[:200],
                 "model": ", ".join(models)[:300], "barcodes": barcodes, "codes": codes},
        source={"authority": AUTHORITY, "reference": reference, "language": "en",
                "url": notice_url(url), "date": source_date},
        summary=hazard, what_to_do=clean(record.get("remedy")), units=clean(record.get("units"))[:200],
        measures=[{"type": "recall", "kind": "voluntary", "by": (firms["manufacturer"] or "The firm")[:250] + ", with the US CPSC"}],
        body=labelled(("Description", description), ("Hazard", hazard), ("Incidents/injuries", clean(record.get("injuries")))),
        **firms)
    aliases = [f"cpsc-{record['id']}"] if record.get("id") else []
    return SourceRecord(AUTHORITY, reference, content, source_date, [image] if image.startswith("http") else [], aliases)
