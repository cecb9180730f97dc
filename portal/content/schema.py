"""The content-file format (DESIGN.md, "Content files"): validation and conversion.

A content dict is what a file's front matter holds plus ``body``. The same dict is the
snapshot a `Revision` keeps, so files, revisions and restores share one strict format.

Drafts: a dict with ``workflow: draft`` (a draft revision, or a dumped draft file) needs only
``type``, ``slug``, ``title`` and ``lang``; the other required keys may be missing or empty
(unset), but whatever is given is checked as strictly as ever. Submitting for review and
publishing ask for the whole set (`missing_fields`), so a published file stays strict.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..boundary import control_character
from . import taxonomy
from .markdown import foreign_images
from .models import ARCHIVED, DRAFT, PUBLISHED, REVIEW, WITHDRAWN, Article, ContentMixin, Sanction, Warning

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TYPES = ("article", "warning", "sanction")
COMMON_REQUIRED = ("type", "slug", "title", "lang")
COMMON_OPTIONAL = ("published_at", "summary", "translation_of", "tags", "images", "body", "workflow")
TYPE_KEYS = {
    "article": ((), ("kind",)),
    "warning": (
        ("category", "hazards", "risk_level", "product"),
        ("what_to_do", "units", "measures", "source", "status", "withdrawn_reason", "change_note",
         "manufacturer", "importer", "seller", "updated_at"),
    ),
    "sanction": (
        ("subject", "violation", "decision", "fine_vnd", "online", "published_until"),
        ("legal_basis", "additional_penalties", "remedial_measures", "compliance", "published_from", "demo",
         "violation_kind"),
    ),
}
PRODUCT_KEYS = ("name", "brand", "model", "barcodes", "codes", "batches", "production_dates", "origin_country")
SOURCE_KEYS = ("authority", "reference", "url", "language", "date")
SOURCE_TEXT_KEYS = ("authority", "reference", "url", "language")
SUBJECT_KEYS = ("name", "kind", "tax_code", "address", "ward")
DECISION_KEYS = ("number", "date", "authority")
MEASURE_KEYS = ("type", "kind", "by")
WORKFLOW_STATES = (DRAFT, REVIEW, ARCHIVED)


FOREIGN_IMAGE = "loads an image from another site:"


class ContentError(ValueError):
    """A content dict that breaks the format; ``field`` names the offending key."""

    def __init__(self, field: str, message: str, source: str | None = None):
        self.field, self.message, self.source = field, message, source
        where = f"{source}: " if source else ""
        super().__init__(f"{where}{field}: {message}")


def _str(value: Any, field: str, *, required: bool = False, max_len: int = 20000) -> str:
    if value is None:
        if required:
            raise ContentError(field, "is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ContentError(field, "must be text")
    text = str(value).strip()
    position = control_character(text)
    if position is not None:
        raise ContentError(field, f"contains the control character U+{ord(text[position]):04X} "
                                  f"at character {position + 1}; remove it")
    if required and not text:
        raise ContentError(field, "must not be empty")
    if len(text) > max_len:
        raise ContentError(field, f"is longer than {max_len} characters")
    return text


def _str_list(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContentError(field, "must be a list")
    return [_str(v, f"{field}[{i}]", required=True, max_len=300) for i, v in enumerate(value)]


def _tags(value: Any) -> list[str]:
    """Tags from the tag vocabulary (taxonomy.TAGS), each once, in the order given."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ContentError("tags", "must be a list of tag codes")
    return list(dict.fromkeys(_code(tag, f"tags[{i}]", "tag") for i, tag in enumerate(value)))


def _code(value: Any, field: str, vocabulary: str) -> str:
    allowed = taxonomy.codes(vocabulary)
    if value not in allowed:
        raise ContentError(field, f"unknown value {value!r}; expected one of {', '.join(allowed)}")
    return value


def parse_datetime(value: Any, field: str) -> datetime:
    """An ISO 8601 time with an offset (YAML may already have parsed it)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ContentError(field, f"is not an ISO 8601 date and time: {value!r}") from None
    else:
        raise ContentError(field, "must be an ISO 8601 date and time with an offset")
    if parsed.tzinfo is None:
        raise ContentError(field, "needs a time-zone offset, e.g. +07:00")
    return parsed


def parse_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        raise ContentError(field, "must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ContentError(field, f"is not a date (YYYY-MM-DD): {value!r}") from None


def _mapping(value: Any, field: str, keys: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ContentError(field, "must be a mapping")
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise ContentError(f"{field}.{unknown[0]}", "unknown key")
    return value


def iso(value: datetime | None) -> str | None:
    """Render a time as ISO 8601 in Vietnam's offset, as content files write it."""
    if value is None:
        return None
    return value.astimezone(timezone(timedelta(hours=7))).isoformat()


def validate(data: dict[str, Any]) -> dict[str, Any]:
    """Check a content dict strictly and return it normalised; raise ContentError."""
    if not isinstance(data, dict):
        raise ContentError("front matter", "must be a mapping of keys")
    kind = data.get("type")
    if kind == "campaign":
        from .campaigns import validate_campaign
        return validate_campaign(data)
    if kind not in TYPES:
        raise ContentError("type", f"must be one of {', '.join(TYPES + ('campaign',))}")
    required, optional = TYPE_KEYS[kind]
    unknown = sorted(set(data) - set(COMMON_REQUIRED + COMMON_OPTIONAL + required + optional))
    if unknown:
        raise ContentError(unknown[0], "unknown key")
    draft = data.get("workflow") == DRAFT
    for key in COMMON_REQUIRED + (() if draft else required):
        if key not in data or data[key] is None:
            raise ContentError(key, "is required")

    out: dict[str, Any] = {"type": kind}
    slug = _str(data["slug"], "slug", required=True, max_len=200)
    if not SLUG_RE.match(slug):
        raise ContentError("slug", "use lowercase letters a-z, digits and single hyphens")
    out["slug"] = slug
    out["title"] = _str(data["title"], "title", required=True, max_len=300)
    if data["lang"] not in ("vi", "en"):
        raise ContentError("lang", "must be vi or en")
    out["lang"] = data["lang"]
    workflow = data.get("workflow")
    if workflow is not None and workflow not in WORKFLOW_STATES:
        raise ContentError("workflow", f"must be one of {', '.join(WORKFLOW_STATES)}")
    out["workflow"] = workflow
    if data.get("published_at") is None:
        if workflow is None:
            raise ContentError("published_at", "is required")
        out["published_at"] = None
    else:
        out["published_at"] = parse_datetime(data["published_at"], "published_at")
    out["summary"] = _str(data.get("summary"), "summary", max_len=1000)
    out["translation_of"] = _str(data.get("translation_of"), "translation_of", max_len=200) or None
    out["tags"] = _tags(data.get("tags"))
    images = data.get("images") or []
    if not isinstance(images, list):
        raise ContentError("images", "must be a list of {src, alt}")
    out["images"] = []
    for i, image in enumerate(images):
        image = _mapping(image, f"images[{i}]", ("src", "alt", "renditions", "width", "height"))
        clean = {"src": _str(image.get("src"), f"images[{i}].src", required=True, max_len=500),
                 "alt": _str(image.get("alt"), f"images[{i}].alt", required=True, max_len=500)}
        for extra in ("renditions", "width", "height"):
            if image.get(extra) is not None:
                clean[extra] = image[extra]
        out["images"].append(clean)
    out["body"] = _str(data.get("body"), "body", max_len=200000)
    out.update(_VALIDATORS[kind](data, draft))
    for key in ("body", "what_to_do"):
        foreign = foreign_images(out.get(key))
        if foreign:
            raise ContentError(key, f"{FOREIGN_IMAGE} {foreign[0]} (only images uploaded to the portal, /media/..., "
                                    "may be shown)")
    return out


def _unset(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _code_or_unset(value: Any, field: str, vocabulary: str, draft: bool) -> str | None:
    """A taxonomy code; a draft may leave it unset (None)."""
    if draft and _unset(value):
        return None
    return _code(value, field, vocabulary)


def missing_fields(data: dict[str, Any]) -> list[str]:
    """The required fields a (draft) content dict leaves unset, as dotted paths in form order."""
    missing = [key for key in ("title",) if _unset(data.get(key))]
    for path in REQUIRED_TO_PUBLISH.get(data.get("type"), ()):
        parent, _dot, child = path.partition(".")
        value = data.get(parent)
        if child:
            value = value.get(child) if isinstance(value, dict) else None
        if _unset(value) or (isinstance(value, str) and not value.strip()):
            missing.append(path)
    return missing


# What a draft may leave unset but review and publication need (besides the common keys).
REQUIRED_TO_PUBLISH = {
    "article": (),
    "warning": ("product.name", "category", "hazards", "risk_level"),
    "sanction": ("subject.name", "subject.kind", "violation", "decision.number", "decision.date",
                 "decision.authority", "fine_vnd"),
}


def _validate_article(data: dict, draft: bool = False) -> dict:
    kind = data.get("kind") or "guide"
    if kind not in ("guide", "news"):
        raise ContentError("kind", "must be guide or news")
    return {"kind": kind}


def _validate_warning(data: dict, draft: bool = False) -> dict:
    out: dict[str, Any] = {"category": _code_or_unset(data.get("category"), "category", "category", draft)}
    hazards = data.get("hazards")
    if draft and hazards is None:
        hazards = []
    if not isinstance(hazards, list) or (not hazards and not draft):
        raise ContentError("hazards", "must be a non-empty list")
    out["hazards"] = [_code(h, f"hazards[{i}]", "hazard") for i, h in enumerate(hazards)]
    out["risk_level"] = _code_or_unset(data.get("risk_level"), "risk_level", "risk_level", draft)
    product = _mapping({} if draft and data.get("product") is None else data["product"], "product", PRODUCT_KEYS)
    out["product"] = {
        "name": _str(product.get("name"), "product.name", required=not draft, max_len=300),
        "brand": _str(product.get("brand"), "product.brand", max_len=200),
        "model": _str(product.get("model"), "product.model", max_len=300),
        "barcodes": _str_list(product.get("barcodes"), "product.barcodes"),
        "codes": _str_list(product.get("codes"), "product.codes"),
        "batches": _str_list(product.get("batches"), "product.batches"),
        "production_dates": _str(product.get("production_dates"), "product.production_dates"),
        "origin_country": _str(product.get("origin_country"), "product.origin_country", max_len=100),
    }
    for i, code in enumerate(out["product"]["barcodes"]):
        if not re.fullmatch(r"[0-9][0-9 ]{5,20}", code):
            raise ContentError(f"product.barcodes[{i}]", f"is not a barcode (digits only): {code!r}")
    for key in ("what_to_do", "change_note"):
        out[key] = _str(data.get(key), key)
    for key in ("manufacturer", "importer", "seller"):
        out[key] = _str(data.get(key), key, max_len=300)
    out["units"] = _str(data.get("units"), "units", max_len=200)
    measures = data.get("measures") or []
    if not isinstance(measures, list):
        raise ContentError("measures", "must be a list of {type, kind, by}")
    out["measures"] = []
    for i, measure in enumerate(measures):
        measure = _mapping(measure, f"measures[{i}]", MEASURE_KEYS)
        out["measures"].append({
            "type": _code(measure.get("type"), f"measures[{i}].type", "measure_type"),
            "kind": _code(measure.get("kind"), f"measures[{i}].kind", "measure_kind"),
            "by": _str(measure.get("by"), f"measures[{i}].by", max_len=300),
        })
    source = _mapping(data.get("source") or {}, "source", SOURCE_KEYS)
    out["source"] = {key: _str(source.get(key), f"source.{key}", max_len=500) for key in SOURCE_TEXT_KEYS}
    out["source"]["date"] = parse_date(source["date"], "source.date") if source.get("date") else None
    url = out["source"]["url"]
    if url and not re.match(r"^https?://", url):
        raise ContentError("source.url", "must be an http(s) address")
    status = data.get("status") or "active"
    if status not in ("active", "withdrawn"):
        raise ContentError("status", "must be active or withdrawn")
    out["status"] = status
    out["withdrawn_reason"] = _str(data.get("withdrawn_reason"), "withdrawn_reason")
    if status == "withdrawn" and not out["withdrawn_reason"]:
        raise ContentError("withdrawn_reason", "is required when status is withdrawn")
    out["updated_at"] = _content_updated_at(data, out)
    return out


def _content_updated_at(data: dict, warning: dict) -> datetime | None:
    """``updated_at``: when a public update (a change note, or the withdrawal) went out."""
    if data.get("updated_at") is None:
        return None
    updated = parse_datetime(data["updated_at"], "updated_at")
    if not warning["change_note"] and warning["status"] != "withdrawn":
        raise ContentError("updated_at", "is only allowed with a change_note (or on a withdrawn warning)")
    if data.get("published_at") is not None and updated < parse_datetime(data["published_at"], "published_at"):
        raise ContentError("updated_at", "must not be before published_at")
    return updated


def _validate_sanction(data: dict, draft: bool = False) -> dict:
    subject = _mapping({} if draft and data.get("subject") is None else data["subject"], "subject", SUBJECT_KEYS)
    decision = _mapping({} if draft and data.get("decision") is None else data["decision"], "decision",
                        DECISION_KEYS)
    out: dict[str, Any] = {
        "subject": {
            "name": _str(subject.get("name"), "subject.name", required=not draft, max_len=300),
            "kind": _code_or_unset(subject.get("kind"), "subject.kind", "subject_kind", draft),
            "tax_code": _str(subject.get("tax_code"), "subject.tax_code", max_len=20),
            "address": _str(subject.get("address"), "subject.address", max_len=400),
            "ward": _str(subject.get("ward"), "subject.ward", max_len=100),
        },
        "violation": _str(data.get("violation"), "violation", required=not draft),
        "violation_kind": _code(data.get("violation_kind") or "other", "violation_kind", "violation_kind"),
        "decision": {
            "number": _str(decision.get("number"), "decision.number", required=not draft, max_len=100),
            "date": None if draft and _unset(decision.get("date")) else parse_date(decision.get("date"),
                                                                                    "decision.date"),
            "authority": _str(decision.get("authority"), "decision.authority", required=not draft, max_len=300),
        },
    }
    fine = data.get("fine_vnd")
    if not (draft and fine is None) and (isinstance(fine, bool) or not isinstance(fine, int) or fine < 0):
        raise ContentError("fine_vnd", "must be a whole number of đồng, 0 or more")
    out["fine_vnd"] = fine
    for key in ("online", "demo"):
        value = data.get(key, False)
        if not isinstance(value, bool):
            raise ContentError(key, "must be true or false")
        out[key] = value
    for key in ("legal_basis", "additional_penalties", "remedial_measures"):
        out[key] = _str(data.get(key), key)
    out["compliance"] = _code(data.get("compliance") or "pending", "compliance", "compliance")
    until = data.get("published_until")
    out["published_until"] = None if draft and until is None else parse_datetime(until, "published_until")
    if data.get("published_from") is not None:
        out["published_from"] = parse_datetime(data["published_from"], "published_from")
    else:
        out["published_from"] = data.get("published_at") and parse_datetime(data["published_at"], "published_at")
    if out["published_from"] and out["published_until"] and out["published_until"] <= out["published_from"]:
        raise ContentError("published_until", "must be after published_from")
    return out


_VALIDATORS = {"article": _validate_article, "warning": _validate_warning, "sanction": _validate_sanction}


def apply(item: ContentMixin, data: dict[str, Any]) -> None:
    """Copy a validated content dict onto a model row (translation_of is resolved by the caller)."""
    for key in ("slug", "title", "lang", "published_at", "summary", "tags", "images", "body"):
        setattr(item, key, data[key])
    status = data["workflow"] or PUBLISHED
    if isinstance(item, Article):
        item.kind = data["kind"]
    elif isinstance(item, Warning):
        product = data["product"]
        item.product_name, item.brand, item.model = product["name"], product["brand"], product["model"]
        item.barcodes, item.batches = product["barcodes"], product["batches"]
        item.product_codes = product["codes"]
        item.production_dates, item.origin_country = product["production_dates"], product["origin_country"]
        for key in ("category", "hazards", "risk_level", "what_to_do", "units", "measures", "withdrawn_reason",
                    "change_note", "manufacturer", "importer", "seller"):
            setattr(item, key, data[key])
        source = data["source"]
        item.source_authority, item.source_reference = source["authority"], source["reference"]
        item.source_url, item.source_language = source["url"], source["language"]
        item.source_date = source["date"]
        if data["workflow"] is None and data["status"] == "withdrawn":
            status = WITHDRAWN
    elif isinstance(item, Sanction):
        subject, decision = data["subject"], data["decision"]
        item.subject_name, item.subject_kind, item.tax_code = subject["name"], subject["kind"] or "", subject["tax_code"]
        item.address, item.ward = subject["address"], subject["ward"]
        item.decision_number, item.decision_date = decision["number"], decision["date"]
        item.decision_authority = decision["authority"]
        for key in ("violation", "violation_kind", "fine_vnd", "online", "demo", "legal_basis", "additional_penalties",
                    "remedial_measures", "compliance", "published_from", "published_until"):
            setattr(item, key, data[key])
    item.status = status
    item.content_updated_at = data.get("updated_at") or item.publication_time


def to_dict(item: ContentMixin) -> dict[str, Any]:
    """The content dict of a row: what `content dump` writes and a revision keeps."""
    out: dict[str, Any] = {
        "type": item.item_type, "slug": item.slug, "title": item.title, "lang": item.lang,
        "published_at": iso(item.published_at),
    }
    if item.status in WORKFLOW_STATES:
        out["workflow"] = item.status
    if item.summary:
        out["summary"] = item.summary
    if item.translation_of is not None:
        out["translation_of"] = item.translation_of.slug
    if item.tags:
        out["tags"] = list(item.tags)
    if item.images:
        out["images"] = [dict(image) for image in item.images]
    if isinstance(item, Article):
        if item.kind != "guide":
            out["kind"] = item.kind
    elif isinstance(item, Warning):
        out.update(category=item.category, hazards=list(item.hazards), risk_level=item.risk_level)
        product = {"name": item.product_name, "brand": item.brand, "model": item.model,
                   "barcodes": list(item.barcodes), "codes": list(item.product_codes or []),
                   "batches": list(item.batches),
                   "production_dates": item.production_dates, "origin_country": item.origin_country}
        out["product"] = {k: v for k, v in product.items() if v}
        for key in ("manufacturer", "importer", "seller", "units", "what_to_do", "change_note"):
            if getattr(item, key):
                out[key] = getattr(item, key)
        if item.measures:
            out["measures"] = [dict(m) for m in item.measures]
        source = {"authority": item.source_authority, "reference": item.source_reference,
                  "url": item.source_url, "language": item.source_language,
                  "date": item.source_date.isoformat() if item.source_date else None}
        if any(source.values()):
            out["source"] = {k: v for k, v in source.items() if v}
        out["status"] = "withdrawn" if item.status == WITHDRAWN else "active"
        if item.withdrawn_reason:
            out["withdrawn_reason"] = item.withdrawn_reason
        if item.content_updated_at and item.content_updated_at != item.publication_time:
            out["updated_at"] = iso(item.content_updated_at)
    elif isinstance(item, Sanction):
        subject = {"name": item.subject_name, "kind": item.subject_kind, "tax_code": item.tax_code,
                   "address": item.address, "ward": item.ward}
        out["subject"] = {k: v for k, v in subject.items() if v}
        out["violation"] = item.violation
        out["violation_kind"] = item.violation_kind
        decision = {"number": item.decision_number, "authority": item.decision_authority,
                    "date": item.decision_date.isoformat() if item.decision_date else None}
        out["decision"] = {k: v for k, v in decision.items() if v}
        out.update(fine_vnd=item.fine_vnd, online=item.online, compliance=item.compliance,
                   published_from=iso(item.published_from), published_until=iso(item.published_until),
                   demo=item.demo)
        for key in ("legal_basis", "additional_penalties", "remedial_measures"):
            if getattr(item, key):
                out[key] = getattr(item, key)
    out["body"] = item.body
    return {k: v for k, v in out.items() if v is not None}
