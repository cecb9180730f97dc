"""A readable diff between two content dicts: changed fields, and changed lines of long text.

Values are shown as people read them: times and dates in Vietnam's time zone, in the page's
language style (28/11/2026 or 28 November 2026), taxonomy codes as their labels, money as
``1.500.000 ₫``, yes/no for flags.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..content import taxonomy
from ..formatting import format_date, format_datetime, format_money, language_name
from ..i18n import request_lang

FIELD_LABELS = {
    "title": _l("Tiêu đề"), "slug": _l("Địa chỉ trang"), "lang": _l("Ngôn ngữ"),
    "published_at": _l("Thời điểm xuất bản"), "summary": _l("Tóm tắt"), "translation_of": _l("Bản dịch của"),
    "tags": _l("Thẻ"), "images": _l("Ảnh"), "body": _l("Nội dung"), "kind": _l("Loại bài"),
    "category": _l("Nhóm sản phẩm"), "hazards": _l("Loại nguy cơ"), "risk_level": _l("Mức độ rủi ro"),
    "product.name": _l("Tên sản phẩm"), "product.brand": _l("Nhãn hiệu"), "product.model": _l("Kiểu, mẫu"),
    "product.barcodes": _l("Mã vạch"), "product.batches": _l("Số lô"),
    "product.production_dates": _l("Ngày sản xuất"), "product.origin_country": _l("Xuất xứ"),
    "manufacturer": _l("Nhà sản xuất"), "importer": _l("Nhà nhập khẩu"), "seller": _l("Người bán"),
    "units": _l("Số lượng bị ảnh hưởng"), "what_to_do": _l("Người tiêu dùng nên làm gì"),
    "measures": _l("Biện pháp"), "source.authority": _l("Cơ quan phát cảnh báo"),
    "source.reference": _l("Số hiệu cảnh báo gốc"), "source.url": _l("Đường dẫn gốc"),
    "source.language": _l("Ngôn ngữ bản gốc"), "status": _l("Tình trạng cảnh báo"),
    "withdrawn_reason": _l("Lý do thu hồi"), "change_note": _l("Ghi chú thay đổi"),
    "subject.name": _l("Tên đối tượng"), "subject.kind": _l("Loại đối tượng"), "subject.tax_code": _l("Mã số thuế"),
    "subject.address": _l("Địa chỉ"), "subject.ward": _l("Phường, xã"), "violation": _l("Hành vi vi phạm"),
    "violation_kind": _l("Nhóm vi phạm"), "legal_basis": _l("Căn cứ pháp lý"),
    "decision.number": _l("Số quyết định"), "decision.date": _l("Ngày quyết định"),
    "decision.authority": _l("Cơ quan ra quyết định"), "fine_vnd": _l("Tiền phạt (đồng)"),
    "additional_penalties": _l("Xử phạt bổ sung"), "remedial_measures": _l("Biện pháp khắc phục"),
    "online": _l("Vi phạm trên mạng"), "compliance": _l("Chấp hành"), "published_from": _l("Công khai từ"),
    "published_until": _l("Công khai đến"), "demo": _l("Dữ liệu minh họa"),
}
ORDER = list(FIELD_LABELS)


@dataclass
class FieldChange:
    key: str
    label: str
    before: str
    after: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind: "add"|"del"|"same"|"gap", text)


TIME_KEYS = ("published_at", "published_from", "published_until", "updated_at")
DAY_KEYS = ("decision.date", "source.date")
# Content-dict keys whose values are taxonomy codes, and their vocabulary.
CODE_KEYS = {"category": "category", "risk_level": "risk_level", "hazards": "hazard", "subject.kind": "subject_kind",
             "violation_kind": "violation_kind", "compliance": "compliance"}
MEASURE_CODES = {"type": "measure_type", "kind": "measure_kind"}
WORD_LABELS = {
    "lang": {"vi": _l("Tiếng Việt"), "en": _l("Tiếng Anh")},
    "kind": {"guide": _l("Hướng dẫn"), "news": _l("Tin tức")},
    "status": {"active": _l("Đang có hiệu lực"), "withdrawn": _l("Đã thu hồi")},
}


def _flatten(data: dict[str, Any] | None, lang: str) -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in (data or {}).items():
        if key in ("type", "workflow"):  # the state is shown by the action, not as a field
            continue
        if isinstance(value, dict) and key in ("product", "source", "subject", "decision"):
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = _text(f"{key}.{sub}", subvalue, lang)
        else:
            flat[key] = _text(key, value, lang)
    return {k: v for k, v in flat.items() if v != ""}


def _moment(value: Any) -> datetime | date | None:
    if isinstance(value, (datetime, date)):
        return value
    try:
        return datetime.fromisoformat(str(value)) if "T" in str(value) else date.fromisoformat(str(value))
    except ValueError:
        return None


def _text(key: str, value: Any, lang: str) -> str:
    """One field's value as a reader sees it (the raw value when it cannot be read)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if key in TIME_KEYS or key in DAY_KEYS:
        moment = _moment(value)
        if isinstance(moment, datetime) and moment.tzinfo is not None:
            return format_datetime(moment, lang)
        if isinstance(moment, date) and not isinstance(moment, datetime):
            return format_date(moment, lang)
        return str(value)
    if key in CODE_KEYS:
        codes = value if isinstance(value, list) else [value]
        return "\n".join(taxonomy.label(CODE_KEYS[key], str(code), lang) for code in codes)
    if key in WORD_LABELS:
        return str(WORD_LABELS[key].get(str(value), value))
    if key == "fine_vnd" and isinstance(value, int):
        return format_money(value)
    if key == "source.language":
        return f"{language_name(str(value), lang)} ({value})"
    if isinstance(value, list):
        return "\n".join(_entry(entry, lang) for entry in value)
    return str(value)


def _entry(entry: Any, lang: str) -> str:
    """A list entry: a measure (its labels), an image (its text and address), or plain text."""
    if not isinstance(entry, dict):
        return str(entry)
    if "src" in entry:
        return " · ".join(str(entry[key]) for key in ("alt", "src") if entry.get(key))
    parts = [taxonomy.label(MEASURE_CODES[key], str(entry[key]), lang) for key in ("type", "kind") if entry.get(key)]
    return " · ".join(parts + ([str(entry["by"])] if entry.get("by") else []))


def _lines(before: str, after: str, context: int = 2) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    a, b = before.splitlines(), after.splitlines()
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(("gap", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(("same", line) for line in a[i1:i2])
                continue
            out.extend(("del", line) for line in a[i1:i2])
            out.extend(("add", line) for line in b[j1:j2])
    return out


def diff_content(before: dict[str, Any] | None, after: dict[str, Any] | None,
                 lang: str | None = None) -> list[FieldChange]:
    """The fields that differ between two content dicts, in form order, as readers see them."""
    lang = lang or request_lang()
    old, new = _flatten(before, lang), _flatten(after, lang)
    keys = sorted(set(old) | set(new), key=lambda k: (ORDER.index(k) if k in ORDER else len(ORDER), k))
    changes = []
    for key in keys:
        a, b = old.get(key, ""), new.get(key, "")
        if a == b:
            continue
        change = FieldChange(key, str(FIELD_LABELS.get(key, key)), a, b)
        if "\n" in a or "\n" in b or len(a) > 200 or len(b) > 200:
            change.lines = _lines(a, b)
        changes.append(change)
    return changes
