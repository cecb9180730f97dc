"""US FDA recalls (XML: <RECALLS_DATA><PRODUCT>...) → draft warnings.

The record's reference is the number of its press-release page (``ucm348095``); the release
link is the original notice. The file gives no recall class, so the risk stays unknown.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from . import mapping
from .base import notice_url, ImportFileError, SkipRecord, SourceRecord, clean, labelled, slug_for, warning_content

NAME = "fda"
AUTHORITY = "US FDA"
EXPECTED = "a US FDA recalls XML file: <RECALLS_DATA> holding <PRODUCT> elements"
FIELDS = ("DATE", "BRAND_NAME", "PRODUCT_DESCRIPTION", "REASON", "COMPANY", "COMPANY_RELEASE_LINK", "PHOTOS_LINK")


def read(path: Path) -> list[dict[str, Any]]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, UnicodeDecodeError):
        raise ImportFileError(f"{path.name}: not XML; expected {EXPECTED}") from None
    products = list(root) if root.tag == "RECALLS_DATA" else []
    if not products or any(p.tag != "PRODUCT" for p in products):
        raise ImportFileError(f"{path.name}: not a US FDA recalls file; expected {EXPECTED}")
    return [{name: (p.findtext(name) or "") for name in FIELDS} for p in products]


def convert(record: dict[str, Any]) -> SourceRecord:
    link = clean(record["COMPANY_RELEASE_LINK"])
    match = re.search(r"(ucm\d+)", link, re.IGNORECASE)
    if not match:
        raise SkipRecord("no release link with a ucm number")
    reference = match.group(1).lower()
    brand, description = clean(record["BRAND_NAME"]), clean(record["PRODUCT_DESCRIPTION"])
    reason, company = clean(record["REASON"]), clean(record["COMPANY"])
    try:
        source_date = parsedate_to_datetime(clean(record["DATE"])).date()
    except (TypeError, ValueError):
        source_date = None
    rules = mapping.table("fda")
    category = mapping.category_from_text(" ".join((brand, description))) or rules["default_category"]
    hazards = mapping.hazards_from_text(reason) or [rules["default_hazard"]]
    name = description or brand or reference
    images = [u for u in clean(record["PHOTOS_LINK"]).split() if u.startswith("http")]
    content = warning_content(
        slug=slug_for("fda", reference), title=f"{brand}: {name}" if brand and brand not in name else name,
        category=category, hazards=hazards, risk_level="unknown",
        product={"name": name[:300], "brand": brand[:200]},
        source={"authority": AUTHORITY, "reference": reference, "language": "en",
                "url": notice_url(link), "date": source_date},
        summary=reason, manufacturer=company[:300],
        measures=[{"type": "recall", "kind": "voluntary", "by": (company or "The firm")[:250] + ", with the US FDA"}],
        body=labelled(("Product", description), ("Reason", reason), ("Company", company)))
    return SourceRecord(AUTHORITY, reference, content, source_date, images)
