"""A small Vietnamese corpus, loaded through the real services and indexed through the outbox."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from portal.search import service
from tests.factories import article_data, create, sanction_data, warning_data

VN = timezone(timedelta(hours=7))


def when(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).astimezone(VN).isoformat()


@pytest.fixture
def corpus(app):
    """Items keyed by a short name; the index is up to date with the outbox."""
    items = {
        "lead_milk": create(warning_data(
            slug="sua-bot-nhiem-chi", title="Sữa bột trẻ em nhiễm chì",
            summary="Lô sữa bột dành cho trẻ em có hàm lượng chì vượt giới hạn cho phép.",
            category="food", hazards=["chemical"], risk_level="serious",
            product={"name": "Sữa bột Ánh Dương 900 g", "brand": "Ánh Dương", "barcodes": ["8934567000012"],
                     "batches": ["LOT 2024-05"], "origin_country": "Việt Nam"},
            source={"authority": "Sở Công Thương Hải Phòng", "reference": "A12/02685/24"},
            published_at=when(-10))),
        "pencil": create(warning_data(
            slug="but-chi-mau", title="Bút chì màu có sơn chứa chì",
            summary="Lớp sơn của bút chì màu chứa chì vượt ngưỡng.", category="toys", hazards=["chemical"],
            risk_level="high",
            product={"name": "Bút chì màu 12 cây", "brand": "Cầu Vồng", "barcodes": ["036000291452"]},
            source={"authority": "US CPSC", "reference": "SR/00949/26"}, published_at=when(-5))),
        "cost": create(warning_data(
            slug="chi-phi-sua-chua", title="Chi phí sửa chữa nồi cơm điện bị tính sai",
            summary="Người tiêu dùng phản ánh chi phí sửa chữa nồi cơm điện.", category="electrical",
            hazards=["electric-shock"], risk_level="low",
            product={"name": "Nồi cơm điện Đông Đô", "brand": "Đông Đô", "barcodes": ["8930000000017"]},
            published_at=when(-3))),
        "magnet": create(warning_data(
            slug="do-choi-nam-cham", title="Đồ chơi nam châm nhỏ gây nguy hiểm khi nuốt",
            summary="Trẻ nuốt phải nhiều viên nam châm có thể bị thủng ruột.", category="toys",
            hazards=["choking"], risk_level="serious",
            product={"name": "Bộ xếp hình nam châm", "brand": "Sáng Tạo", "barcodes": ["8931111111116"]},
            published_at=when(-2))),
        "english": create(warning_data(
            slug="lead-in-baby-formula", lang="en", title="Lead found in baby formula powder",
            summary="Batches of infant formula contained lead above the legal limit.", category="food",
            hazards=["chemical"], risk_level="serious", translation_of="sua-bot-nhiem-chi",
            product={"name": "Anh Duong formula", "barcodes": ["8934567000012"]}, published_at=when(-9))),
        "guide": create(article_data(
            slug="bao-ve-nguoi-tieu-dung", title="Quyền của người tiêu dùng khi mua hàng trực tuyến",
            summary="Hướng dẫn bảo vệ người tiêu dùng trên sàn thương mại điện tử.",
            body="Người tiêu dùng có quyền được **cung cấp thông tin** đầy đủ, chính xác về hàng hóa.")),
        "draft": create(warning_data(
            slug="ban-nhap", title="Bản nháp cảnh báo sữa bột giả", workflow="draft")),
        "scheduled": create(warning_data(
            slug="sap-cong-bo", title="Cảnh báo sữa bột sắp công bố", published_at=when(2))),
        "sanction": create(sanction_data(
            slug="xu-phat-dai-phat", title="Xử phạt Công ty TNHH Đại Phát bán sữa bột giả",
            subject={"name": "Công ty TNHH Đại Phát", "kind": "enterprise", "tax_code": "0201234567",
                     "address": "Số 5 Lạch Tray", "ward": "Phường Lê Chân"},
            decision={"number": "125/QĐ-XPHC", "date": "2026-11-01", "authority": "Sở Công Thương Hải Phòng"},
            published_until=when(20))),
        "expired": create(sanction_data(
            slug="xu-phat-het-han", title="Xử phạt hộ kinh doanh Hoàng Long đã hết thời hạn công khai",
            published_at=when(-60), published_from=when(-60), published_until=when(-30))),
    }
    service.apply_pending()
    return items
