"""Items as API JSON: stable English field names, ISO 8601 times with offset, coded taxonomy.

These shapes are a public contract (see `openapi.py`): fields may be added, never renamed.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..content import queries, taxonomy
from ..content.markdown import render_markdown
from ..content.models import WITHDRAWN, Article, ContentMixin, Sanction, Warning
from ..formatting import iso_datetime
from ..i18n import LANGS
from ..public.meta import absolute, image_src
from ..public.pages import item_url
from ..feeds.entries import entry_id
from ..feeds.selection import item_updated

def term(vocabulary: str, code: str) -> dict[str, str]:
    """A taxonomy value: its code with both labels."""
    return {"code": code, "label_vi": taxonomy.label(vocabulary, code, "vi"),
            "label_en": taxonomy.label(vocabulary, code, "en")}


def _translations(item: ContentMixin, now: datetime) -> dict[str, str]:
    out = {}
    for lang, version in queries.translations(item).items():
        if lang in LANGS and queries.is_public(version, now):
            out[lang] = item_url(version, lang=lang, external=True)
    return out


def _common(item: ContentMixin, now: datetime) -> dict[str, Any]:
    return {
        "id": item.id,
        "type": item.item_type,
        "entry_id": entry_id(item),
        "slug": item.slug,
        "lang": item.lang,
        "url": item_url(item, lang=item.lang, external=True),
        "title": item.title,
        "summary": item.summary or "",
        "body_markdown": item.body or "",
        "body_html": str(render_markdown(item.body)),
        "tags": list(item.tags or []),
        "published_at": iso_datetime(item.published_at),
        "updated_at": iso_datetime(item_updated(item)),
        "images": [{"src": absolute(image_src(image["src"])), "alt": image.get("alt", "")}
                   for image in item.images or [] if image.get("src")],
        "translations": _translations(item, now),
    }


def warning(item: Warning, now: datetime) -> dict[str, Any]:
    out = _common(item, now)
    out.update({
        "status": "withdrawn" if item.status == WITHDRAWN else "active",
        "withdrawn_reason": item.withdrawn_reason or "",
        "change_note": item.change_note or "",
        "category": term("category", item.category),
        "hazards": [term("hazard", code) for code in item.hazards],
        "risk_level": term("risk_level", item.risk_level),
        "product": {"name": item.product_name, "brand": item.brand, "model": item.model,
                    "barcodes": list(item.barcodes), "batches": list(item.batches),
                    "production_dates": item.production_dates, "origin_country": item.origin_country},
        "manufacturer": item.manufacturer,
        "importer": item.importer,
        "seller": item.seller,
        "units": item.units,
        "what_to_do_markdown": item.what_to_do or "",
        "what_to_do_html": str(render_markdown(item.what_to_do)),
        "measures": [{"type": term("measure_type", m.get("type", "other")),
                      "kind": term("measure_kind", m.get("kind", "voluntary")), "by": m.get("by", "")}
                     for m in item.measures],
        "source": {"code": queries.source_code(item.source_authority), "authority": item.source_authority,
                   "reference": item.source_reference, "url": item.source_url, "language": item.source_language},
    })
    return out


def article(item: Article, now: datetime) -> dict[str, Any]:
    out = _common(item, now)
    out["kind"] = item.kind
    return out


def sanction(item: Sanction, now: datetime) -> dict[str, Any]:
    out = _common(item, now)
    out.update({
        "subject": {"name": item.subject_name, "kind": term("subject_kind", item.subject_kind),
                    "tax_code": item.tax_code, "address": item.address, "ward": item.ward},
        "violation": item.violation,
        "violation_kind": term("violation_kind", item.violation_kind),
        "legal_basis": item.legal_basis,
        "decision": {"number": item.decision_number, "date": item.decision_date.isoformat(),
                     "authority": item.decision_authority},
        "fine_vnd": item.fine_vnd,
        "additional_penalties": item.additional_penalties,
        "remedial_measures": item.remedial_measures,
        "online": item.online,
        "compliance": term("compliance", item.compliance),
        "published_from": iso_datetime(item.published_from),
        "published_until": iso_datetime(item.published_until),
        "demo": item.demo,
    })
    return out


REPRESENT = {"warning": warning, "article": article, "sanction": sanction}


def represent(item: ContentMixin, now: datetime) -> dict[str, Any]:
    return REPRESENT[item.item_type](item, now)
