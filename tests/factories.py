"""Small factories: content dicts in the content-file format, loaded through the real services."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from portal.content.models import CONTENT_MODELS
from portal.content.schema import apply, validate
from portal.content.services import record_change
from portal.extensions import db

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def _when(offset_days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=offset_days)).astimezone(
        timezone(timedelta(hours=7))).isoformat()


def article_data(**overrides: Any) -> dict[str, Any]:
    n = _next()
    data = {"type": "article", "slug": f"huong-dan-{n}", "title": f"Hướng dẫn số {n}", "lang": "vi",
            "published_at": _when(-1), "summary": "Tóm tắt hướng dẫn.", "body": "Nội dung hướng dẫn."}
    data.update(overrides)
    return data


def warning_data(**overrides: Any) -> dict[str, Any]:
    n = _next()
    data = {"type": "warning", "slug": f"canh-bao-{n}", "title": f"Cảnh báo sản phẩm số {n}", "lang": "vi",
            "published_at": _when(-1), "summary": "Sản phẩm có nguy cơ gây hại.", "category": "toys",
            "hazards": ["choking"], "risk_level": "serious",
            "product": {"name": f"Đồ chơi xếp hình {n}", "brand": "Hiệu Mẫu", "barcodes": ["8931234567890"]},
            "what_to_do": "Ngừng sử dụng sản phẩm.",
            "measures": [{"type": "recall", "kind": "voluntary", "by": "Nhà sản xuất"}],
            "source": {"authority": "EU Safety Gate", "reference": f"A12/{n:05d}/26",
                       "url": "https://example.org/alert", "language": "en"},
            "body": "Mô tả mối nguy."}
    data.update(overrides)
    return data


def sanction_data(**overrides: Any) -> dict[str, Any]:
    n = _next()
    data = {"type": "sanction", "slug": f"xu-phat-{n}", "title": f"Xử phạt cơ sở minh họa số {n}", "lang": "vi",
            "published_at": _when(-2), "summary": "Kết quả xử lý vi phạm.",
            "subject": {"name": f"Công ty TNHH Minh Họa {n}", "kind": "enterprise", "tax_code": f"02000{n:05d}",
                        "address": "Địa chỉ minh họa", "ward": "Phường Lê Chân"},
            "violation": "Không cung cấp thông tin người bán trên sàn thương mại điện tử.",
            "decision": {"number": f"{n}/QĐ-XPHC", "date": "2026-11-01", "authority": "Sở Công Thương Hải Phòng"},
            "fine_vnd": 15000000, "online": True, "demo": True,
            "published_until": _when(28), "body": "Chi tiết."}
    data.update(overrides)
    return data


def create(data: dict[str, Any]):
    """Insert one item from a content dict through the real revision/outbox bookkeeping."""
    clean = validate(data)
    model = CONTENT_MODELS[clean["type"]]
    item = model()
    apply(item, clean)
    if clean["translation_of"]:
        item.translation_of = db.session.execute(
            db.select(model).filter_by(slug=clean["translation_of"])).scalar_one()
    record_change(item, "create")
    db.session.commit()
    return item
