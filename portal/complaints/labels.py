"""Labels of the complaint vocabularies (Vietnamese source; English in messages.po)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "report": _l("Phản ánh"),
    "complaint": _l("Khiếu nại, yêu cầu"),
}
STATUS_LABELS = {
    "received": _l("Đã tiếp nhận"),
    "forwarded": _l("Đã chuyển cơ quan có thẩm quyền"),
    "in_progress": _l("Đang giải quyết"),
    "resolved": _l("Đã giải quyết"),
    "rejected": _l("Không tiếp nhận"),
}
# Sectors of goods and services (codes are stable; labels may change).
SECTOR_LABELS = {
    "food": _l("Thực phẩm, đồ uống"),
    "cosmetics": _l("Mỹ phẩm"),
    "medicine": _l("Thuốc, dịch vụ y tế"),
    "electrical": _l("Điện, điện tử, gia dụng"),
    "clothing": _l("Quần áo, giày dép"),
    "childcare": _l("Đồ chơi, đồ dùng trẻ em"),
    "vehicles": _l("Xe cộ, phụ tùng, nhiên liệu"),
    "ecommerce": _l("Mua bán trực tuyến"),
    "telecom": _l("Viễn thông, internet"),
    "utilities": _l("Điện, nước sinh hoạt"),
    "finance": _l("Ngân hàng, bảo hiểm, tài chính"),
    "housing": _l("Nhà ở, bất động sản"),
    "travel": _l("Du lịch, vận tải, lưu trú"),
    "education": _l("Giáo dục, đào tạo"),
    "other": _l("Khác"),
}
# Warning categories for a report turned into a warning draft.
SECTOR_TO_CATEGORY = {"food": "food", "cosmetics": "cosmetics", "electrical": "electrical",
                      "clothing": "clothing", "childcare": "toys", "vehicles": "motor-vehicles"}
