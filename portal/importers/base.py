"""What every source importer shares: the record it yields and the errors it raises."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# The public pages where each authority's notices can be looked up by reference, for records
# that carry no link of their own (never a guessed deep link).
AUTHORITY_SEARCH_PAGES = {
    "EU Safety Gate": "https://ec.europa.eu/safety-gate-alerts/screen/search",
    "US CPSC": "https://www.cpsc.gov/Recalls",
    "US FDA": "https://www.fda.gov/safety/recalls-market-withdrawals-safety-alerts",
    "US NHTSA": "https://www.nhtsa.gov/recalls",
}


class ImportFileError(ValueError):
    """The file is not the kind of file this source reads; nothing is imported."""


def read_json_recalls(path: Path, signature: tuple[str, ...], expected: str, kind: str) -> list[dict[str, Any]]:
    """The records of a JSON file shaped ``{"recalls": [...]}`` whose every record has the
    ``signature`` keys; ImportFileError naming the expected format otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ImportFileError(f"{path.name}: not JSON; expected {expected}") from None
    records = data.get("recalls") if isinstance(data, dict) else None
    if not isinstance(records, list) or not records or not all(
            isinstance(r, dict) and all(k in r for k in signature) for r in records):
        raise ImportFileError(f"{path.name}: not {kind}; expected {expected}")
    return records


class SkipRecord(Exception):
    """This record cannot become a warning; ``reason`` goes to the skipped-rows report."""

    def __init__(self, reason: str, reference: str = ""):
        self.reason, self.reference = reason, reference
        super().__init__(reason)


@dataclass
class SourceRecord:
    """One source record turned into a draft warning's content dict, with what goes beside it."""

    authority: str
    reference: str
    content: dict[str, Any]
    source_date: date | None = None
    image_urls: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other references naming the same notice


def clean(value: Any) -> str:
    """Text without the "None"/null placeholders the scraped files use, entities decoded."""
    if value is None:
        return ""
    text = html.unescape(str(value)).replace("\r\n", "\n").strip()
    return "" if text in ("None", "null", "NULL") else text


def notice_url(value: Any) -> str:
    """The record's link when it is a well-formed http(s) address; empty otherwise.

    Spaces are percent-encoded (the same address, as a browser sends it); nothing else is repaired.
    """
    url = clean(value).replace(" ", "%20")
    return url if re.match(r"^https?://[^/\s]+\.[^/\s]+(/\S*)?$", url) else ""


def slug_for(prefix: str, reference: str) -> str:
    return (f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", reference.lower()).strip("-"))[:200]


def labelled(*parts: tuple[str, str]) -> str:
    """Markdown paragraphs "**Label:** value" for the parts that have a value."""
    return "\n\n".join(f"**{label}:** {value}" for label, value in parts if value)


def warning_content(*, slug: str, title: str, category: str, hazards: list[str], risk_level: str,
                    product: dict[str, Any], source: dict[str, Any], body: str, **extra: Any) -> dict[str, Any]:
    """A draft warning content dict in the source's language (English), for an editor to translate."""
    return {"type": "warning", "slug": slug, "lang": "en", "workflow": "draft", "title": title[:300],
            "category": category, "hazards": hazards or ["other"], "risk_level": risk_level,
            "product": product, "source": source, "body": body, **extra}
