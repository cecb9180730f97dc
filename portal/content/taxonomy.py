"""Controlled vocabularies, following EU Safety Gate's lists plus food and supplements.

The codes are contracts (DESIGN.md): codes may be added, never renamed. Each term has a
Vietnamese and an English label; the `taxonomy_term` table holds the same terms for SQL use.
"""
from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    code: str
    vi: str
    en: str


CATEGORIES: tuple[Term, ...] = (
    Term("toys", "Đồ chơi", "Toys"),
    Term("childcare", "Đồ dùng chăm sóc trẻ em", "Childcare articles and children's equipment"),
    Term("electrical", "Thiết bị điện", "Electrical appliances and equipment"),
    Term("lighting", "Thiết bị chiếu sáng", "Lighting equipment"),
    Term("cosmetics", "Mỹ phẩm", "Cosmetics"),
    Term("chemicals", "Hóa chất", "Chemical products"),
    Term("clothing", "Quần áo, dệt may", "Clothing, textiles and fashion items"),
    Term("motor-vehicles", "Phương tiện cơ giới", "Motor vehicles"),
    Term("food", "Thực phẩm", "Food"),
    Term("food-supplements", "Thực phẩm bảo vệ sức khỏe", "Food supplements"),
    Term("food-contact", "Vật liệu tiếp xúc thực phẩm", "Food-contact materials"),
    Term("furniture", "Đồ nội thất", "Furniture"),
    Term("sports", "Dụng cụ thể thao", "Sports equipment"),
    Term("protective-equipment", "Thiết bị bảo hộ", "Protective equipment"),
    Term("gadgets", "Đồ dùng tiện ích", "Gadgets"),
    Term("machinery", "Máy móc", "Machinery"),
    Term("construction", "Vật liệu xây dựng", "Construction products"),
    Term("other", "Khác", "Other"),
)

HAZARDS: tuple[Term, ...] = (
    Term("injuries", "Gây thương tích", "Injuries"),
    Term("chemical", "Hóa chất độc hại", "Chemical"),
    Term("fire", "Cháy", "Fire"),
    Term("burns", "Bỏng", "Burns"),
    Term("electric-shock", "Điện giật", "Electric shock"),
    Term("choking", "Hóc, nghẹt thở", "Choking"),
    Term("strangulation", "Siết cổ", "Strangulation"),
    Term("suffocation", "Ngạt thở", "Suffocation"),
    Term("drowning", "Đuối nước", "Drowning"),
    Term("cuts", "Vết cắt", "Cuts"),
    Term("damage-to-sight", "Tổn thương thị lực", "Damage to sight"),
    Term("damage-to-hearing", "Tổn thương thính lực", "Damage to hearing"),
    Term("microbiological", "Vi sinh vật", "Microbiological"),
    Term("health-risk", "Nguy cơ sức khỏe", "Health risk"),
    Term("environment", "Môi trường", "Environment"),
    Term("other", "Khác", "Other"),
)

RISK_LEVELS: tuple[Term, ...] = (
    Term("serious", "Nghiêm trọng", "Serious"),
    Term("high", "Cao", "High"),
    Term("medium", "Trung bình", "Medium"),
    Term("low", "Thấp", "Low"),
    Term("unknown", "Chưa xác định", "Unknown"),
)

MEASURE_TYPES: tuple[Term, ...] = (
    Term("recall", "Thu hồi sản phẩm từ người tiêu dùng", "Recall from end users"),
    Term("withdrawal", "Rút sản phẩm khỏi thị trường", "Withdrawal from the market"),
    Term("sales-ban", "Cấm bán", "Ban on sales"),
    Term("import-rejected", "Từ chối nhập khẩu tại cửa khẩu", "Import rejected at border"),
    Term("listing-removed", "Gỡ bỏ tin đăng bán trực tuyến", "Online listing removed"),
    Term("warning-issued", "Cảnh báo người tiêu dùng", "Warning to consumers"),
    Term("destruction", "Tiêu hủy", "Destruction of the product"),
    Term("other", "Biện pháp khác", "Other measures"),
)

MEASURE_KINDS: tuple[Term, ...] = (
    Term("voluntary", "Tự nguyện", "Voluntary"),
    Term("compulsory", "Bắt buộc", "Compulsory"),
)

SUBJECT_KINDS: tuple[Term, ...] = (
    Term("enterprise", "Doanh nghiệp", "Enterprise"),
    Term("household-business", "Hộ kinh doanh", "Household business"),
    Term("individual", "Cá nhân", "Individual"),
)

VIOLATION_KINDS: tuple[Term, ...] = (
    Term("misleading-information", "Thông tin gian dối, gây nhầm lẫn", "Misleading or false information"),
    Term("counterfeit", "Hàng giả, hàng kém chất lượng", "Counterfeit or substandard goods"),
    Term("trader-information", "Không công khai thông tin người bán, hàng hóa", "Missing trader or product information"),
    Term("standard-contract", "Hợp đồng theo mẫu, điều kiện giao dịch chung", "Standard-form contracts and general terms"),
    Term("recall", "Vi phạm nghĩa vụ thu hồi sản phẩm", "Breach of recall duties"),
    Term("personal-data", "Vi phạm bảo vệ thông tin người tiêu dùng", "Misuse of consumer information"),
    Term("warranty", "Vi phạm nghĩa vụ bảo hành", "Breach of warranty duties"),
    Term("other", "Vi phạm khác", "Other violations"),
)

COMPLIANCE: tuple[Term, ...] = (
    Term("pending", "Chưa chấp hành xong", "Not yet complied"),
    Term("complied", "Đã chấp hành", "Complied"),
)

# Topics editors tag guides, news and warnings with (the `tags` of a content item). One code per
# topic in both languages; the campaign page lists what carries its tag (``15-3``).
TAGS: tuple[Term, ...] = (
    Term("15-3", "Ngày Quyền của người tiêu dùng 15/3", "Consumer Rights Day, 15 March"),
    Term("quyen-nguoi-tieu-dung", "Quyền của người tiêu dùng", "Consumer rights"),
    Term("luat-19-2023", "Luật Bảo vệ quyền lợi người tiêu dùng 2023", "Consumer Protection Law 2023"),
    Term("van-ban-phap-luat", "Văn bản pháp luật", "Laws and regulations"),
    Term("hai-phong", "Hải Phòng", "Hải Phòng"),
    Term("khieu-nai", "Khiếu nại", "Complaints"),
    Term("tong-dai-1800-6838", "Tổng đài 1800 6838", "Hotline 1800 6838"),
    Term("thu-hoi", "Thu hồi sản phẩm", "Recalls"),
    Term("canh-bao", "Cảnh báo sản phẩm", "Product warnings"),
    Term("an-toan-san-pham", "An toàn sản phẩm", "Product safety"),
    Term("mua-sam-truc-tuyen", "Mua sắm trực tuyến", "Online shopping"),
    Term("thuong-mai-dien-tu", "Thương mại điện tử", "E-commerce"),
    Term("livestream", "Bán hàng qua livestream", "Livestream selling"),
    Term("du-lieu-ca-nhan", "Dữ liệu cá nhân", "Personal data"),
    Term("lua-dao", "Lừa đảo", "Scams"),
    Term("hang-gia", "Hàng giả, hàng kém chất lượng", "Counterfeit and substandard goods"),
    Term("nhan-hang-hoa", "Nhãn hàng hóa", "Product labels"),
    Term("hop-dong-theo-mau", "Hợp đồng theo mẫu", "Standard-form contracts"),
    Term("cong-khai-vi-pham", "Công khai vi phạm", "Publishing violations"),
    Term("nguoi-tieu-dung-de-bi-ton-thuong", "Người tiêu dùng dễ bị tổn thương", "Vulnerable consumers"),
    Term("tre-em", "Trẻ em", "Children"),
    Term("nguoi-cao-tuoi", "Người cao tuổi", "Older people"),
    Term("an-toan-thuc-pham", "An toàn thực phẩm", "Food safety"),
    Term("thuc-pham-chuc-nang", "Thực phẩm chức năng", "Food supplements"),
)

VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "category": CATEGORIES,
    "hazard": HAZARDS,
    "risk_level": RISK_LEVELS,
    "measure_type": MEASURE_TYPES,
    "measure_kind": MEASURE_KINDS,
    "subject_kind": SUBJECT_KINDS,
    "violation_kind": VIOLATION_KINDS,
    "compliance": COMPLIANCE,
    "tag": TAGS,
}

# Order of seriousness, most serious first (for sorting warnings).
RISK_ORDER = {term.code: rank for rank, term in enumerate(RISK_LEVELS)}


def codes(vocabulary: str) -> tuple[str, ...]:
    """All codes of a vocabulary, in display order."""
    return tuple(term.code for term in VOCABULARIES[vocabulary])


def label(vocabulary: str, code: str, lang: str = "vi") -> str:
    """The label of ``code`` in ``lang``; the code itself when unknown."""
    for term in VOCABULARIES[vocabulary]:
        if term.code == code:
            return term.en if lang == "en" else term.vi
    return code


def choices(vocabulary: str, lang: str = "vi") -> list[tuple[str, str]]:
    """(code, label) pairs for select lists."""
    return [(t.code, t.en if lang == "en" else t.vi) for t in VOCABULARIES[vocabulary]]
