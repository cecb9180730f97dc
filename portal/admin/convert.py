"""Between edit forms and content dicts: `form_to_data`, `data_to_form`, and errors.

`form_to_data` turns a filled edit form into a content dict for the workflow services and
`data_to_form` fills a form from one. Errors from `schema.validate` come back as
`ContentError(field, message)`; `content_error_field`, `content_error_message` and
`attach_error` put a Vietnamese message next to the matching field.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from ..content.schema import FOREIGN_IMAGE, ContentError
from ..content.workflow import Incomplete
from ..params import whole_number
from .diff import FIELD_LABELS

VN = timezone(timedelta(hours=7))
REQUIRED = _l("Trường này là bắt buộc.")


def slugify(text: str) -> str:
    """A URL slug from Vietnamese text: 'Sữa bột nhiễm chì' → 'sua-bot-nhiem-chi'."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:120].strip("-")


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _to_local(value: str | datetime | None) -> datetime | None:
    """A stored time as the naive Vietnam time a datetime-local input shows."""
    if not value:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment.astimezone(VN).replace(tzinfo=None, second=0, microsecond=0)


def _from_local(value: datetime | None) -> str | None:
    return value.replace(tzinfo=VN).isoformat() if value else None


def parse_vnd(text: str | None) -> int | None:
    digits = re.sub(r"[.\s,₫đ]|VND|vnd", "", text or "")
    return whole_number(digits, max_digits=15)


def format_vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def form_to_data(form: FlaskForm, item_type: str, kept_images: list[dict] | None = None) -> dict[str, Any]:
    """The content dict a filled form describes (images: rows kept, with their renditions)."""
    by_src = {image["src"]: image for image in (kept_images or [])}
    images = []
    for row in (entry.form for entry in form.images):
        if row.remove.data or not row.src.data:
            continue
        image = dict(by_src.get(row.src.data) or {"src": row.src.data})
        image["alt"] = (row.alt.data or "").strip()
        images.append(image)
    data: dict[str, Any] = {
        "type": item_type, "slug": (form.slug.data or "").strip() or slugify(form.title.data),
        "title": (form.title.data or "").strip(), "lang": form.lang.data,
        "published_at": _from_local(form.published_at.data), "summary": form.summary.data or "",
        "translation_of": (form.translation_of.data or "").strip() or None,
        "tags": list(form.tags.data or []), "images": images, "body": form.body.data or "",
    }
    if item_type == "article":
        data["kind"] = form.kind.data
    elif item_type == "warning":
        data.update(
            category=form.category.data or None, hazards=list(form.hazards.data or []),
            risk_level=form.risk_level.data or None,
            product={"name": form.product_name.data, "brand": form.product_brand.data,
                     "model": form.product_model.data, "barcodes": split_lines(form.product_barcodes.data),
                     "batches": split_lines(form.product_batches.data),
                     "production_dates": form.product_production_dates.data,
                     "origin_country": form.product_origin_country.data},
            manufacturer=form.manufacturer.data, importer=form.importer.data, seller=form.seller.data,
            units=form.units.data, what_to_do=form.what_to_do.data, change_note=form.change_note.data,
            measures=[{"type": row.form.type.data, "kind": row.form.kind.data, "by": row.form.by.data}
                      for row in form.measures if not row.form.is_empty()],
            source={"authority": form.source_authority.data, "reference": form.source_reference.data,
                    "url": form.source_url.data, "language": form.source_language.data},
        )
    elif item_type == "sanction":
        data.update(
            subject={"name": form.subject_name.data, "kind": form.subject_kind.data,
                     "tax_code": form.subject_tax_code.data, "address": form.subject_address.data,
                     "ward": form.subject_ward.data},
            violation=form.violation.data, violation_kind=form.violation_kind.data, legal_basis=form.legal_basis.data,
            decision={"number": form.decision_number.data, "authority": form.decision_authority.data,
                      "date": form.decision_date.data.isoformat() if form.decision_date.data else None},
            fine_vnd=parse_vnd(form.fine_vnd.data), online=bool(form.online.data),
            additional_penalties=form.additional_penalties.data, remedial_measures=form.remedial_measures.data,
            compliance=form.compliance.data, demo=bool(form.demo.data),
            published_from=_from_local(form.published_from.data),
            published_until=_from_local(form.published_until.data),
        )
    return data


def data_to_form(data: dict[str, Any], item_type: str) -> dict[str, Any]:
    """Form data (for ``Form(data=...)``) from a content dict."""
    out: dict[str, Any] = {
        "title": data.get("title", ""), "slug": data.get("slug", ""), "lang": data.get("lang", "vi"),
        "translation_of": data.get("translation_of") or "", "summary": data.get("summary", ""),
        "body": data.get("body", ""), "tags": list(data.get("tags") or []),
        "published_at": _to_local(data.get("published_at")),
        "images": [{"src": i["src"], "alt": i.get("alt", ""), "remove": False} for i in data.get("images") or []],
    }
    if item_type == "article":
        out["kind"] = data.get("kind", "guide")
    elif item_type == "warning":
        product, source = data.get("product") or {}, data.get("source") or {}
        out.update(
            category=data.get("category") or "", hazards=list(data.get("hazards") or []),
            risk_level=data.get("risk_level") or "",
            product_name=product.get("name", ""), product_brand=product.get("brand", ""),
            product_model=product.get("model", ""), product_barcodes="\n".join(product.get("barcodes") or []),
            product_batches="\n".join(product.get("batches") or []),
            product_production_dates=product.get("production_dates", ""),
            product_origin_country=product.get("origin_country", ""),
            measures=[dict(m) for m in data.get("measures") or []],
            source_authority=source.get("authority", ""), source_reference=source.get("reference", ""),
            source_url=source.get("url", ""), source_language=source.get("language", ""),
        )
        for key in ("manufacturer", "importer", "seller", "units", "what_to_do", "change_note"):
            out[key] = data.get(key, "")
    elif item_type == "sanction":
        subject, decision = data.get("subject") or {}, data.get("decision") or {}
        out.update(
            subject_name=subject.get("name", ""), subject_kind=subject.get("kind") or "enterprise",
            subject_tax_code=subject.get("tax_code", ""), subject_address=subject.get("address", ""),
            subject_ward=subject.get("ward", ""), violation=data.get("violation", ""),
            violation_kind=data.get("violation_kind", "other"),
            legal_basis=data.get("legal_basis", ""), decision_number=decision.get("number", ""),
            decision_date=date.fromisoformat(str(decision["date"])) if decision.get("date") else None,
            decision_authority=decision.get("authority", ""),
            fine_vnd=format_vnd(int(data["fine_vnd"])) if data.get("fine_vnd") is not None else "",
            additional_penalties=data.get("additional_penalties", ""),
            remedial_measures=data.get("remedial_measures", ""), online=bool(data.get("online")),
            compliance=data.get("compliance", "pending"), demo=bool(data.get("demo")),
            published_from=_to_local(data.get("published_from")),
            published_until=_to_local(data.get("published_until")),
        )
    return out


# ContentError messages (English, from the content-file format) → Vietnamese for the form.
_MESSAGES = (
    ("is required", REQUIRED), ("must not be empty", REQUIRED),
    ("is longer than", _l("Quá dài.")),
    ("use lowercase", _l("Chỉ dùng chữ thường không dấu a–z, chữ số và dấu gạch ngang đơn.")),
    ("unknown value", _l("Giá trị không có trong danh mục.")),
    ("is not a barcode", _l("Mã vạch chỉ gồm chữ số.")),
    ("http(s)", _l("Địa chỉ phải bắt đầu bằng http:// hoặc https://.")),
    ("must be after", _l("Phải sau thời điểm bắt đầu công khai.")),
    ("non-empty list", _l("Chọn ít nhất một mục.")),
    ("date", _l("Ngày giờ không hợp lệ.")),
    ("whole number", _l("Nhập số tiền bằng chữ số, ví dụ 15.000.000.")),
)


def content_error_field(field: str) -> str:
    """The form field a ContentError path points at: 'product.barcodes[1]' → 'product_barcodes'."""
    base = re.sub(r"\[\d+\]", "", field)
    if base.startswith("images"):
        return "images"
    if base.startswith("measures"):
        return "measures"
    return base.replace(".", "_")


def content_error_message(error: ContentError) -> str:
    if error.message.startswith(FOREIGN_IMAGE):
        url = error.message.removeprefix(FOREIGN_IMAGE).split(" (")[0].strip()
        return str(_l("Ảnh %(url)s nằm trên trang web khác. Chỉ được dùng ảnh tải lên cổng thông tin (địa chỉ "
                      "bắt đầu bằng /media/); hãy tải ảnh lên rồi dùng địa chỉ mới, hoặc bỏ ảnh này.", url=url))
    for needle, message in _MESSAGES:
        if needle in error.message:
            return str(message)
    return str(_l("Giá trị không hợp lệ."))


def workflow_message(error: Exception) -> str:
    """The message for a refused workflow step; a missing-fields refusal names the fields."""
    if isinstance(error, Incomplete):
        labels = ", ".join(str(FIELD_LABELS.get(path, path)) for path in error.fields)
        return str(_l("Còn thiếu thông tin bắt buộc: %(fields)s. Hãy bổ sung ở trang Sửa.", fields=labels))
    return str(getattr(error, "message", error))


def attach_workflow_error(form: FlaskForm, error: Exception) -> bool:
    """Mark the fields a refused step names; True when at least one field of ``form`` was marked."""
    if isinstance(error, Incomplete):
        marked = [attach_error(form, content_error_field(path), str(REQUIRED)) for path in error.fields]
        return any(marked)
    return attach_error(form, getattr(error, "field", None), str(getattr(error, "message", error)))


def attach_error(form: FlaskForm, field_name: str | None, message: str) -> bool:
    """Put ``message`` next to a field of ``form``; False when the form has no such field."""
    field = getattr(form, field_name, None) if field_name else None
    if field is None or not hasattr(field, "errors"):
        return False
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(message)
    return True
