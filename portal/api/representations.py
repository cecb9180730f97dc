"""Items as API JSON: stable English field names, ISO 8601 times with offset, coded taxonomy.

These shapes are a public contract (see `openapi.py`): fields may be added, never renamed.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..content import queries, taxonomy
from ..content.models import WITHDRAWN, Article, ContentMixin, Sanction, Warning
from ..extensions import db
from ..feeds.entries import entry_id, rendered
from ..feeds.selection import item_updated
from ..formatting import iso_datetime
from ..i18n import LANGS
from ..public.meta import absolute, image_src
from ..public.pages import item_url


def term(vocabulary: str, code: str) -> dict[str, str]:
    """A taxonomy value: its code with both labels."""
    return {"code": code, "label_vi": taxonomy.label(vocabulary, code, "vi"),
            "label_en": taxonomy.label(vocabulary, code, "en")}


def translation_urls(items: list[ContentMixin], now: datetime) -> dict[int, dict[str, str]]:
    """For items of one type: the public page of each item in every language it is public in."""
    if not items:
        return {}
    model = type(items[0])
    roots = {item.translation_of_id or item.id for item in items}
    query = sa.select(model).where(sa.or_(model.id.in_(roots), model.translation_of_id.in_(roots)),
                                   queries.public_clause(model, now))
    versions: dict[int, dict[str, ContentMixin]] = {}
    for version in db.session.execute(query).scalars():
        versions.setdefault(version.translation_of_id or version.id, {}).setdefault(version.lang, version)
    return {item.id: {lang: item_url(version, lang=lang, external=True)
                      for lang, version in versions.get(item.translation_of_id or item.id, {}).items()
                      if lang in LANGS}
            for item in items}


def _common(item: ContentMixin, translations: dict[str, str]) -> dict[str, Any]:
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
        "body_html": rendered(item.body or ""),
        "tags": list(item.tags or []),
        "published_at": iso_datetime(item.published_at),
        "updated_at": iso_datetime(item_updated(item)),
        "images": [{"src": absolute(image_src(image["src"])), "alt": image.get("alt", "")}
                   for image in item.images or [] if image.get("src")],
        "translations": translations,
    }


def warning(item: Warning, translations: dict[str, str]) -> dict[str, Any]:
    out = _common(item, translations)
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
        "what_to_do_html": rendered(item.what_to_do or ""),
        "measures": [{"type": term("measure_type", m.get("type", "other")),
                      "kind": term("measure_kind", m.get("kind", "voluntary")), "by": m.get("by", "")}
                     for m in item.measures],
        "source": {"code": queries.source_code(item.source_authority), "authority": item.source_authority,
                   "reference": item.source_reference, "url": item.source_url, "language": item.source_language},
    })
    return out


def article(item: Article, translations: dict[str, str]) -> dict[str, Any]:
    out = _common(item, translations)
    out["kind"] = item.kind
    return out


def sanction(item: Sanction, translations: dict[str, str]) -> dict[str, Any]:
    out = _common(item, translations)
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


def represent_all(items: list[ContentMixin], now: datetime) -> list[dict[str, Any]]:
    """API JSON of items of one type (their translations looked up together)."""
    translations = translation_urls(items, now)
    return [REPRESENT[item.item_type](item, translations[item.id]) for item in items]
