"""The OpenAPI 3 document of /api/v1/, written by hand so it says what the API promises.

The test suite runs schemathesis against it: every documented response must match.
"""
from __future__ import annotations

from typing import Any

from ..content import queries, taxonomy
from ..content.queries import LIST_LIMIT, MAX_PER_PAGE


def _string(**extra: Any) -> dict[str, Any]:
    return {"type": "string", **extra}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _codes(vocabulary: str, name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "style": "form", "explode": True,
            "schema": {"type": "array", "items": {"type": "string", "enum": list(taxonomy.codes(vocabulary))}}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


DATE_TIME = _string(format="date-time", example="2026-03-15T08:00:00+07:00")
NULLABLE_TIME = {**DATE_TIME, "nullable": True}

PAGING = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}, "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
           f"Items per page, 1 to {MAX_PER_PAGE}."),
    _query("updated_since", _string(format="date-time"),
           "Only items changed at or after this time (ISO 8601; without an offset, Vietnam time)."),
    _query("lang", _string(enum=["vi", "en"]), "Only items written in this language."),
]

WARNING_FILTERS = [
    _codes("category", "category", "Product categories (repeat or comma-separate for several)."),
    _codes("hazard", "hazard", "Hazard types: a warning matches if it has any of them."),
    _codes("risk_level", "risk_level", "Risk levels."),
    {"name": "source", "in": "query", "required": False, "style": "form", "explode": True,
     "description": "Who issued the warning: EU Safety Gate, US authorities, or Vietnamese authorities.",
     "schema": {"type": "array", "items": {"type": "string", "enum": list(queries.SOURCES)}}},
    _query("status", _string(enum=["active", "withdrawn"]), "Active or withdrawn warnings."),
    _query("tag", _string(enum=list(taxonomy.codes("tag"))),
           "Warnings with this tag (one code of /api/v1/taxonomies/tag, e.g. 15-3 for the 15 March campaign)."),
    _query("date_from", _string(format="date"), "Published on or after this day (Vietnam time)."),
    _query("date_to", _string(format="date"), "Published on or before this day (Vietnam time)."),
]

SANCTION_FILTERS = [
    _query("year", {"type": "integer", "minimum": 2000, "maximum": 2100}, "Year of the decision."),
    _codes("violation_kind", "violation_kind", "Kinds of violation."),
    _query("online", _string(enum=["1", "0"]), "1: violations in cyberspace only; 0: the others."),
    _query("authority", _string(maxLength=300), "Exact name of the authority that issued the decision."),
]

ARTICLE_FILTERS = [
    _query("kind", _string(enum=["guide", "news"]), "Guides or news."),
    _query("tag", _string(enum=list(taxonomy.codes("tag"))),
           "Guides and news with this tag (one code of /api/v1/taxonomies/tag, e.g. 15-3)."),
]

TERM = _object({"code": _string(), "label_vi": _string(), "label_en": _string()})

COMMON = {
    "id": {"type": "integer", "description": "Database id: stable for the life of the item."},
    "type": _string(enum=["warning", "article", "sanction"]),
    "entry_id": _string(description="The item's permanent id in the Atom/RSS feeds (a tag URI)."),
    "slug": _string(),
    "lang": _string(enum=["vi", "en"]),
    "url": _string(format="uri", description="The public page of the item."),
    "title": _string(),
    "summary": _string(),
    "body_markdown": _string(),
    "body_html": _string(description="The body rendered to sanitised HTML."),
    "tags": {"type": "array", "items": _string(), "description": "Tag codes (vocabulary /api/v1/taxonomies/tag)."},
    "published_at": DATE_TIME,
    "updated_at": {**DATE_TIME, "description": "When the public content last changed: an update published with a "
                                               "change note (or a withdrawal), else the publication time."},
    "images": {"type": "array", "items": _object({"src": _string(format="uri"), "alt": _string()})},
    "translations": {"type": "object", "description": "Public page of the item in each language it exists in.",
                     "properties": {"vi": _string(format="uri"), "en": _string(format="uri")},
                     "additionalProperties": False},
}

WARNING = _object({
    **COMMON,
    "status": _string(enum=["active", "withdrawn"]),
    "withdrawn_reason": _string(),
    "change_note": _string(description="What changed in the latest public update."),
    "category": _ref("Term"),
    "hazards": {"type": "array", "items": _ref("Term")},
    "risk_level": _ref("Term"),
    "product": _object({"name": _string(), "brand": _string(), "model": _string(),
                        "barcodes": {"type": "array", "items": _string()},
                        "batches": {"type": "array", "items": _string()},
                        "production_dates": _string(), "origin_country": _string()}),
    "manufacturer": _string(), "importer": _string(), "seller": _string(), "units": _string(),
    "what_to_do_markdown": _string(), "what_to_do_html": _string(),
    "measures": {"type": "array", "items": _object({"type": _ref("Term"), "kind": _ref("Term"), "by": _string()})},
    "source": _object({"code": _string(enum=list(queries.SOURCES)), "authority": _string(), "reference": _string(),
                       "url": _string(), "language": _string()}),
})

ARTICLE = _object({**COMMON, "kind": _string(enum=["guide", "news"])})

SANCTION = _object({
    **COMMON,
    "subject": _object({"name": _string(), "kind": _ref("Term"), "tax_code": _string(), "address": _string(),
                        "ward": _string()}),
    "violation": _string(),
    "violation_kind": _ref("Term"),
    "legal_basis": _string(),
    "decision": _object({"number": _string(), "date": _string(format="date"), "authority": _string()}),
    "fine_vnd": {"type": "integer", "minimum": 0, "description": "Fine in Vietnamese đồng."},
    "additional_penalties": _string(),
    "remedial_measures": _string(),
    "online": {"type": "boolean", "description": "The violation happened in cyberspace."},
    "compliance": _ref("Term"),
    "published_from": NULLABLE_TIME,
    "published_until": {**NULLABLE_TIME, "description": "After this time the item leaves the API."},
    "demo": {"type": "boolean", "description": "Illustrative data, not a real decision."},
})


def _list(item: str) -> dict[str, Any]:
    return _object({
        "total": {"type": "integer", "minimum": 0, "maximum": LIST_LIMIT,
                  "description": f"Matches, counted up to {LIST_LIMIT}."},
        "total_exact": {"type": "boolean",
                        "description": f"False when more than {LIST_LIMIT} items match: only the first {LIST_LIMIT} "
                                       "can be paged through; narrow the list with filters (date_from, date_to, "
                                       "updated_since) to reach the others."},
        "page": {"type": "integer", "minimum": 1},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "pages": {"type": "integer", "minimum": 1},
        "links": _object({"self": _string(format="uri"), "next": _string(format="uri", nullable=True),
                          "prev": _string(format="uri", nullable=True)}),
        "items": {"type": "array", "items": _ref(item)},
    })


ERROR = _object({"error": _object({
    "status": {"type": "integer"}, "message": _string(),
    "parameter": _string(description="The first rejected query parameter."),
    "errors": {"type": "object", "additionalProperties": _string(),
               "description": "Every rejected query parameter with what is wrong with it."},
}, required=["message"])})

SEARCH_PARAMETERS = [
    {"name": "q", "in": "query", "required": False, "schema": _string(maxLength=300),
     "description": "Words, \"quoted phrases\", barcodes, batch, reference or decision numbers; accents optional."},
    _query("type", _string(enum=["warning", "article", "sanction"]), "Only this type of content."),
    *WARNING_FILTERS[:3], WARNING_FILTERS[5], WARNING_FILTERS[6],
    _query("page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 1}, "Page number, 1 to 100."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
           f"Results per page, 1 to {MAX_PER_PAGE}."),
]

SEARCH_RESULTS = _object({
    "query": _string(),
    "total": {"type": "integer", "minimum": 0},
    "page": {"type": "integer", "minimum": 1},
    "per_page": {"type": "integer", "minimum": 1},
    "facets": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0},
               "description": "Matches by type (warning, article, sanction) before the type filter."},
    "results": {"type": "array", "items": _object({
        "type": _string(enum=["warning", "article", "sanction"]), "id": {"type": "integer"}, "slug": _string(),
        "lang": _string(), "url": _string(format="uri"), "title": _string(),
        "snippet": _string(description="HTML excerpt with the matched words in <mark>."),
        "published_at": NULLABLE_TIME,
    })},
})


CHECK_RESULT = _object({
    "code": _string(description="The code as typed, trimmed."),
    "kind": _string(enum=["barcode", "text"],
                    description="barcode: 8, 12, 13 or 14 digits (a GTIN); text: a batch number or product code."),
    "check_digit": {**_object({"valid": {"type": "boolean"}, "expected": _string(pattern="^[0-9]$")}),
                    "nullable": True, "description": "For a barcode: whether its GS1 check digit is right, and the "
                                                     "right digit. The code is looked up either way."},
    "checked_at": DATE_TIME,
    "total": {"type": "integer", "minimum": 0},
    "message": _string(description="The answer in one English sentence, with the date when nothing matched."),
    "report": _object({"hotline": _string(), "how_to_complain": _string(format="uri")},),
    "items": {"type": "array", "items": _ref("Warning"),
              "description": "Public warnings listing the code as a barcode, batch number or product code, "
                             "newest first (both language versions of a warning, unless lang is given)."},
})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR_400 = _json(_ref("Error"), "A query parameter has a bad value; the error names it.")
ERROR_404 = _json(_ref("Error"), "No public item with this id (never published, scheduled, or no longer public).")


def _list_operation(name: str, item: str, filters: list[dict[str, Any]], summary: str) -> dict[str, Any]:
    return {"get": {
        "operationId": f"list_{name}", "summary": summary, "tags": [name],
        "parameters": filters + PAGING,
        "responses": {"200": _json(_ref(f"{item}List"), "One page of matching items."), "400": ERROR_400},
    }}


def _item_operation(name: str, item: str, summary: str) -> dict[str, Any]:
    return {"get": {
        "operationId": f"get_{name[:-1]}", "summary": summary, "tags": [name],
        "parameters": [{"name": "id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}}],
        "responses": {"200": _json(_ref(item), "The item."), "404": ERROR_404},
    }}


def document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document, with the API's absolute base URL as its server."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Hải Phòng consumer-protection portal API",
            "version": "1.0.0",
            "description": (
                "Read-only open data of the Hải Phòng Department of Industry and Trade: product warnings and "
                "recalls, consumer guides and news, and enforcement results within their publication window. "
                "No authentication; CORS is allowed for GET. Times are ISO 8601 with an offset; taxonomy values "
                "are codes with Vietnamese and English labels. Unknown query parameters are ignored; a bad value "
                "of a known parameter gives 400 with the parameter's name. Field names are stable: fields may be "
                "added, never renamed."),
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/warnings": _list_operation("warnings", "Warning", WARNING_FILTERS,
                                         "Product warnings and recalls, newest first"),
            "/warnings/{id}": _item_operation("warnings", "Warning", "One product warning"),
            "/articles": _list_operation("articles", "Article", ARTICLE_FILTERS, "Guides and news, newest first"),
            "/articles/{id}": _item_operation("articles", "Article", "One guide or news article"),
            "/sanctions": _list_operation("sanctions", "Sanction", SANCTION_FILTERS,
                                          "Enforcement results within their publication window, newest decision first"),
            "/sanctions/{id}": _item_operation("sanctions", "Sanction", "One enforcement result"),
            "/search": {"get": {
                "operationId": "search", "summary": "Full-text search of everything public, most relevant first",
                "tags": ["search"], "parameters": SEARCH_PARAMETERS,
                "responses": {"200": _json(_ref("SearchResults"), "One page of results (none for an empty q)."),
                              "400": ERROR_400,
                              "503": _json(_ref("Error"), "The search index is temporarily unavailable.")},
            }},
            "/check": {"get": {
                "operationId": "check_code", "summary": "Is my product recalled? Warnings listing a barcode or "
                                                        "batch number", "tags": ["check"],
                "parameters": [
                    {"name": "code", "in": "query", "required": True, "schema": _string(minLength=1, maxLength=64),
                     "description": "A barcode (GTIN-8, -12, -13 or -14; spaces and hyphens allowed; a UPC-A matches "
                                    "its EAN-13 with a leading 0) or a batch number, matched exactly (case and "
                                    "spaces ignored)."},
                    PAGING[3]],
                "responses": {"200": _json(_ref("CheckResult"), "The matching warnings, or none as of today."),
                              "400": ERROR_400},
            }},
            "/taxonomies": {"get": {
                "operationId": "list_taxonomies", "summary": "Every vocabulary with its codes and labels",
                "tags": ["taxonomies"],
                "responses": {"200": _json({"type": "object", "additionalProperties": {
                    "type": "array", "items": _ref("Term")}}, "Vocabularies by name.")},
            }},
            "/taxonomies/{vocabulary}": {"get": {
                "operationId": "get_taxonomy", "summary": "One vocabulary", "tags": ["taxonomies"],
                "parameters": [{"name": "vocabulary", "in": "path", "required": True,
                                "schema": _string(enum=list(taxonomy.VOCABULARIES))}],
                "responses": {"200": _json({"type": "array", "items": _ref("Term")}, "Its terms, in order."),
                              "404": _json(_ref("Error"), "No such vocabulary.")},
            }},
        },
        "components": {"schemas": {
            "Term": TERM, "Error": ERROR, "SearchResults": SEARCH_RESULTS, "CheckResult": CHECK_RESULT,
            "Warning": WARNING, "Article": ARTICLE, "Sanction": SANCTION,
            "WarningList": _list("Warning"), "ArticleList": _list("Article"), "SanctionList": _list("Sanction"),
        }},
    }
