"""A realistic synthetic corpus of Vietnamese product warnings, deterministic for a seed.

Vocabulary: products by category, brands built from syllables (about 600), hazards, places
in Hải Phòng, authorities; bodies of 80-240 words from sentence templates; about 2 % of the
records typed without diacritics, as some relayed alerts are.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

PRODUCTS = {
    "food": ["sữa bột trẻ em", "bánh quy bơ", "mì ăn liền", "nước mắm", "giò chả", "bún khô", "kẹo dẻo",
             "trà sữa đóng chai", "tương ớt", "dầu ăn", "nước giải khát", "sữa chua uống", "thịt heo đông lạnh",
             "hạt điều rang muối", "bánh trung thu"],
    "food-supplements": ["viên uống giảm cân", "thực phẩm bảo vệ sức khỏe bổ gan", "viên sủi vitamin C",
                         "cao dược liệu", "men vi sinh cho trẻ", "trà thảo mộc giảm béo"],
    "cosmetics": ["kem trắng da", "son môi", "dầu gội đầu", "sữa rửa mặt", "kem chống nắng", "nước hoa",
                  "thuốc nhuộm tóc", "phấn phủ"],
    "toys": ["đồ chơi nam châm", "búp bê nhựa", "xe đồ chơi chạy pin", "bộ xếp hình", "đất nặn",
             "slime đồ chơi", "bóng bay phát sáng", "súng nước"],
    "electrical": ["nồi cơm điện", "máy sấy tóc", "ấm siêu tốc", "sạc dự phòng", "ổ cắm kéo dài",
                   "quạt điện", "bàn là hơi nước", "bếp từ đôi", "máy xay sinh tố"],
    "childcare": ["xe đẩy em bé", "ghế ăn dặm", "bình sữa nhựa", "nôi điện", "địu em bé", "ty ngậm"],
    "motor-vehicles": ["mũ bảo hiểm", "xe đạp điện", "lốp xe máy", "ắc quy xe máy"],
    "clothing": ["áo khoác trẻ em có dây rút", "giày thể thao", "quần áo ngủ trẻ em"],
    "food-contact": ["hộp nhựa đựng thực phẩm", "cốc giấy", "chảo chống dính", "đũa nhựa"],
    "lighting": ["đèn ngủ cắm điện", "đèn LED trang trí", "đèn pin sạc"],
}
HAZARDS = {
    "chemical": ["nhiễm chì", "chứa thủy ngân vượt mức", "chứa hàn the", "có chất cấm sibutramine",
                 "dư lượng thuốc bảo vệ thực vật", "chứa phthalate vượt giới hạn", "nhiễm melamine"],
    "microbiological": ["nhiễm khuẩn Salmonella", "nhiễm vi khuẩn Listeria", "nhiễm nấm mốc",
                        "vượt giới hạn vi sinh vật"],
    "electric-shock": ["nguy cơ điện giật", "dây dẫn không đạt chuẩn cách điện"],
    "fire": ["nguy cơ cháy nổ", "pin quá nhiệt gây cháy"],
    "choking": ["chi tiết nhỏ gây hóc", "nguy cơ nuốt phải nam châm"],
    "injuries": ["nguy cơ gây thương tích", "khung dễ gãy"],
    "burns": ["nguy cơ gây bỏng", "bề mặt quá nóng"],
    "strangulation": ["dây rút có thể gây siết cổ"],
}
RISKS = ["serious", "high", "medium", "low"]
PLACES = ["Lê Chân", "Ngô Quyền", "Hồng Bàng", "Kiến An", "Hải An", "Dương Kinh", "Đồ Sơn", "Thủy Nguyên",
          "An Dương", "An Lão", "Kiến Thụy", "Tiên Lãng", "Vĩnh Bảo", "Cát Hải", "Bạch Long Vĩ"]
AUTHORITIES = ["Sở Công Thương Hải Phòng", "Chi cục Quản lý thị trường Hải Phòng", "Sở Y tế Hải Phòng",
               "Cục Quản lý cạnh tranh và Bảo vệ người tiêu dùng", "EU Safety Gate", "CPSC Hoa Kỳ"]
ORIGINS = ["Trung Quốc", "Việt Nam", "Thái Lan", "Hàn Quốc", "Nhật Bản", "Malaysia", "Indonesia", "Đức"]
SYLLABLES = ["an", "bảo", "minh", "phát", "thành", "hưng", "long", "việt", "hoa", "kim", "đức", "tâm", "phúc",
             "thịnh", "nam", "sơn", "hải", "quang", "tín", "vinh", "gia", "mỹ", "hòa", "tân", "đại", "lộc",
             "trường", "xuân", "hồng", "ngọc"]
SENTENCES = [
    "Qua kiểm tra, {authority} phát hiện sản phẩm {product} nhãn hiệu {brand} {hazard}.",
    "Sản phẩm được bày bán tại nhiều cửa hàng ở quận {place} và trên các sàn thương mại điện tử.",
    "Người tiêu dùng đang sử dụng sản phẩm cần ngừng sử dụng ngay và liên hệ nơi bán để được hoàn tiền.",
    "Cơ quan quản lý thị trường đã yêu cầu doanh nghiệp thu hồi toàn bộ lô hàng {batch}.",
    "Kết quả kiểm nghiệm cho thấy mẫu sản phẩm không đạt quy chuẩn kỹ thuật quốc gia.",
    "Sản phẩm có xuất xứ {origin}, do công ty {brand} nhập khẩu và phân phối tại Hải Phòng.",
    "Trẻ em và người cao tuổi là nhóm dễ bị ảnh hưởng nhất khi sử dụng sản phẩm này.",
    "Mọi thông tin phản ánh xin gọi tổng đài 1800 6838 hoặc gửi về Sở Công Thương Hải Phòng.",
    "Lực lượng quản lý thị trường tiếp tục kiểm tra các điểm kinh doanh trên địa bàn thành phố.",
    "Doanh nghiệp cho biết đã tạm dừng phân phối và phối hợp với cơ quan chức năng để xử lý.",
    "Theo quy định của Luật Bảo vệ quyền lợi người tiêu dùng, tổ chức kinh doanh phải thu hồi sản phẩm khuyết tật.",
    "Người tiêu dùng cần kiểm tra mã vạch {barcode} trên bao bì trước khi mua.",
    "Cảnh báo này được cập nhật khi có thêm thông tin từ cơ quan chức năng.",
    "Một số cơ sở tại {place} đã bị xử phạt vì kinh doanh hàng hóa không rõ nguồn gốc.",
]


def fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)))


@dataclass
class Record:
    n: int
    slug: str
    title: str
    summary: str
    body: str
    product: str
    brand: str
    category: str
    hazard: str
    hazard_phrase: str
    risk: str
    barcode: str
    batch: str
    reference: str
    origin: str
    authority: str
    published_at: datetime


def brands(rng: random.Random, count: int = 600) -> list[str]:
    seen: set[str] = set()
    while len(seen) < count:
        name = " ".join(w.capitalize() for w in rng.sample(SYLLABLES, 2))
        seen.add(name)
    return sorted(seen)


def generate(count: int, seed: int = 2026) -> list[Record]:
    """``count`` warnings; the same seed always gives the same corpus."""
    rng = random.Random(seed)
    brand_names = brands(rng)
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    records = []
    for n in range(count):
        category = rng.choice(list(PRODUCTS))
        product = rng.choice(PRODUCTS[category])
        hazard = rng.choice(list(HAZARDS))
        phrase = rng.choice(HAZARDS[hazard])
        brand = rng.choice(brand_names)
        place = rng.choice(PLACES)
        barcode = "893" + "".join(rng.choice("0123456789") for _ in range(10))
        batch = f"LOT{rng.randint(2023, 2026)}-{rng.randint(1, 9999):04d}"
        values = dict(authority=rng.choice(AUTHORITIES), product=product, brand=brand, hazard=phrase,
                      place=place, batch=batch, origin=rng.choice(ORIGINS), barcode=barcode)
        sentences = []
        target = rng.randint(80, 236)
        words = 0
        while words < target:
            sentence = rng.choice(SENTENCES).format(**values)
            sentences.append(sentence)
            words += len(sentence.split())
        title = f"Thu hồi {product} {brand} {phrase}"
        summary = f"{values['authority']} cảnh báo {product} nhãn hiệu {brand} {phrase}; người tiêu dùng ngừng sử dụng."
        body = " ".join(sentences)
        if rng.random() < 0.02:
            title, summary, body = fold(title), fold(summary), fold(body)
        records.append(Record(
            n=n, slug=f"bench-{n}", title=title, summary=summary, body=body, product=product, brand=brand,
            category=category, hazard=hazard, hazard_phrase=phrase, risk=rng.choice(RISKS), barcode=barcode,
            batch=batch, reference=f"A12/{n:05d}/{rng.randint(23, 26)}", origin=values["origin"],
            authority=values["authority"], published_at=start + timedelta(minutes=rng.randint(0, 60 * 24 * 1000)),
        ))
    return records


def queries(records: list[Record], per_kind: int = 30, seed: int = 7) -> list[dict]:
    """A fixed mixed query set in seven kinds (the same for both engines)."""
    rng = random.Random(seed)
    products = sorted({r.product for r in records})
    phrases = sorted({r.hazard_phrase for r in records})
    brand_list = sorted({r.brand for r in records})
    words = sorted({w for p in products + phrases for w in p.split() if len(w) > 2})
    out = []
    for _ in range(per_kind):
        out.append({"kind": "single", "q": rng.choice(words)})
        product = rng.choice(products)
        out.append({"kind": "multi", "q": product + " " + rng.choice(brand_list)})
        out.append({"kind": "unaccented", "q": fold(rng.choice(products) + " " + rng.choice(phrases).split()[0])})
        out.append({"kind": "phrase", "q": f'"{rng.choice(phrases)}"'})
        record = rng.choice(records)
        out.append({"kind": "filter", "q": record.product.split()[0], "category": record.category})
        out.append({"kind": "highlight", "q": rng.choice(products) + " " + rng.choice(phrases)})
        out.append({"kind": "page5", "q": rng.choice(words), "page": 5})
    return out
