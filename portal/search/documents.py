"""Index documents built from content rows.

Every item that is or may become public is indexed with the window in which it is visible
(``visible_from``/``visible_until``, epoch seconds); queries filter by the current time, so
scheduled items appear and enforcement results leave on time without any job. Items that
cannot become public without another change (drafts, review, archived) are not indexed.
"""
from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any

from ..content import taxonomy
from ..content.markdown import plain_text
from ..content.models import PUBLISHED, WITHDRAWN, Article, ContentMixin, Sanction, Warning
from .analysis import SEGMENT_BREAK, identifier_forms

FOREVER = 2.0 ** 62
# How much of the body is kept for snippets.
EXCERPT_CHARS = 4000


def doc_key(item_type: str, item_id: int) -> str:
    return f"{item_type}:{item_id}"


# Text without any character Markdown gives meaning to is indexed as it is (rendering it
# through Markdown and the sanitiser would cost more than indexing it).
_MARKDOWN_SIGNS = re.compile(r"[*_`#\[\]<>&|!\\~=]|^\s*(?:[-+]|\d+[.)])\s", re.MULTILINE)


def _plain(body: str | None) -> str:
    if not body:
        return ""
    if _MARKDOWN_SIGNS.search(body):
        return plain_text(body)
    return " ".join(body.split())


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _labels(vocabulary: str, code_list: list[str]) -> list[str]:
    out = []
    for code in code_list:
        out.append(taxonomy.label(vocabulary, code, "vi"))
        out.append(taxonomy.label(vocabulary, code, "en"))
    return out


def visibility(item: ContentMixin) -> tuple[float, float] | None:
    """(visible_from, visible_until) in epoch seconds, or None if the item is not indexed."""
    published = _epoch(item.published_at)
    if published is None:
        return None
    if isinstance(item, Warning):
        return (published, FOREVER) if item.status in (PUBLISHED, WITHDRAWN) else None
    if item.status != PUBLISHED:
        return None
    if isinstance(item, Sanction):
        start, until = _epoch(item.published_from), _epoch(item.published_until)
        if start is None or until is None:
            return None
        return max(published, start), until
    return published, FOREVER


def build_document(item: ContentMixin, now: float | None = None) -> dict[str, Any] | None:
    """The index document for ``item``, or None when the item must not be in the index."""
    window = visibility(item)
    if window is None:
        return None
    visible_from, visible_until = window
    title = item.title or ""
    summary = item.summary or ""
    body = _plain(item.body)
    segments = [title, title, summary]
    identifiers: set[str] = set()
    english: list[str] = []  # English labels, stemmed for English searches (the whole text of English items)
    fields: dict[str, Any] = {}
    if isinstance(item, Warning):
        segments += [item.product_name, item.brand, item.model, " ".join(item.barcodes or []),
                     " ".join(item.product_codes or []),
                     " ".join(item.batches or []), item.production_dates, item.what_to_do,
                     item.manufacturer, item.importer, item.seller, item.origin_country,
                     item.source_authority, item.source_reference, item.withdrawn_reason, item.change_note,
                     " ".join(_labels("category", [item.category])),
                     " ".join(_labels("hazard", list(item.hazards or []))),
                     " ".join(_labels("risk_level", [item.risk_level]))]
        english += [taxonomy.label(vocabulary, code, "en") for vocabulary, codes in (
            ("category", [item.category]), ("hazard", list(item.hazards or [])), ("risk_level", [item.risk_level]))
            for code in codes if code]
        for code in item.barcodes or []:
            identifiers |= identifier_forms(str(code), barcode=True)
        for batch in item.batches or []:
            identifiers |= identifier_forms(str(batch))
        identifiers |= identifier_forms(item.source_reference or "")
        identifiers |= identifier_forms(item.model or "") if _looks_like_code(item.model) else set()
        for code in item.product_codes or []:  # ASINs, item and model numbers, codes failing the GTIN check
            identifiers |= identifier_forms(str(code))
        fields.update(category=item.category or "", hazards=",".join(item.hazards or []),
                      risk=item.risk_level or "")
    elif isinstance(item, Sanction):
        segments += [item.subject_name, item.tax_code, item.address, item.ward, item.violation,
                     item.legal_basis, item.decision_number, item.decision_authority,
                     item.additional_penalties, item.remedial_measures,
                     " ".join(_labels("subject_kind", [item.subject_kind])),
                     " ".join(_labels("violation_kind", [item.violation_kind or "other"]))]
        english += [taxonomy.label("subject_kind", item.subject_kind, "en"),
                    taxonomy.label("violation_kind", item.violation_kind or "other", "en")]
        identifiers |= identifier_forms(item.decision_number or "")
        identifiers |= identifier_forms(item.tax_code or "", barcode=True)
    segments.append(body)
    segments += [str(tag) for tag in item.tags or []]
    text = SEGMENT_BREAK.join(s for s in segments if s)
    excerpt = " ".join(s for s in (summary, body) if s)[:EXCERPT_CHARS]
    now = time.time() if now is None else now
    timed = visible_until < FOREVER or visible_from > now or isinstance(item, Sanction)
    return dict(
        key=doc_key(item.item_type, item.id), kind=item.item_type, item_id=item.id, slug=item.slug,
        lang=item.lang or "vi", title=title, excerpt=excerpt,
        published=int(item.published_at.timestamp()), visible_from=visible_from, visible_until=visible_until,
        timed="1" if timed else "0",
        demo="1" if isinstance(item, Sanction) and item.demo else "0",
        text=text, pairs=text, exact=text, ids="\n".join(sorted(identifiers)),
        stems=text if item.lang == "en" else SEGMENT_BREAK.join(e for e in english if e), **fields,
    )


def _looks_like_code(value: str | None) -> bool:
    """A model such as "XJ-2000" is an identifier too; a prose model name is not."""
    return bool(value) and any(c.isdigit() for c in value) and len(value.split()) <= 2


KINDS: dict[str, type[ContentMixin]] = {"article": Article, "warning": Warning, "sanction": Sanction}
