"""Each public page's main content, in Vietnamese and English."""
from __future__ import annotations

import json
import re

from tests.factories import _when, article_data, create, sanction_data, warning_data


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_shows_hotline_search_and_newest_serious_warnings_first(client):
    create(warning_data(title="Cảnh báo mức thấp mới nhất", risk_level="low", published_at=_when(-0.1)))
    create(warning_data(title="Cảnh báo nghiêm trọng cũ hơn", risk_level="serious", published_at=_when(-5)))
    create(warning_data(title="Cảnh báo nghiêm trọng mới", risk_level="serious", published_at=_when(-1)))
    create(article_data(title="Hướng dẫn đổi trả hàng", kind="guide"))
    create(sanction_data(subject={"name": "Cửa hàng Minh Họa Lê Chân", "kind": "household-business"}))
    create(article_data(title="Ngày Quyền của người tiêu dùng 15/3", tags=["15-3"]))

    page = text(client.get("/"))
    assert '<html lang="vi">' in page
    assert 'href="tel:18006838"' in page
    assert re.search(r'<form[^>]*action="/tim-kiem"[^>]*method="get"', page)
    assert '<label for="home-search">' in page and 'id="home-search" name="q"' in page
    newest, older, low = (page.index(t) for t in ("Cảnh báo nghiêm trọng mới", "Cảnh báo nghiêm trọng cũ hơn",
                                                    "Cảnh báo mức thấp mới nhất"))
    assert newest < older < low
    assert "Hướng dẫn đổi trả hàng" in page
    assert "Cửa hàng Minh Họa Lê Chân" in page and "Dữ liệu minh họa" in page
    assert "Ngày Quyền của người tiêu dùng 15/3" in page


def test_english_home_has_english_chrome_and_search_target(client):
    create(warning_data(title="Cảnh báo chỉ có tiếng Việt", risk_level="serious"))
    page = text(client.get("/en/"))
    assert '<html lang="en">' in page
    assert "Latest serious warnings" in page and "Hải Phòng Consumer Protection Portal" in page
    assert 'action="/en/search"' in page
    assert "Cảnh báo chỉ có tiếng Việt" in page and ">Serious<" in page


def test_warning_detail_shows_every_fact(client):
    warning = create(warning_data(
        title="Máy sấy tóc có nguy cơ điện giật", category="electrical", hazards=["electric-shock", "fire"],
        risk_level="high",
        product={"name": "Máy sấy tóc 2000W", "brand": "Gió Mạnh", "model": "HD-2000",
                 "barcodes": ["8930000000017"], "batches": ["LOT-24A"], "production_dates": "01/2025 – 03/2025",
                 "origin_country": "Trung Quốc"},
        manufacturer="Nhà máy Mẫu", importer="Công ty Nhập khẩu Mẫu", seller="Cửa hàng Mẫu", units="3.500 chiếc",
        what_to_do="**Rút phích cắm** và mang trả nơi bán.",
        measures=[{"type": "recall", "kind": "compulsory", "by": "Cục Quản lý thị trường"}],
        source={"authority": "EU Safety Gate", "reference": "A12/00042/25",
                "url": "https://ec.europa.eu/safety-gate-alerts/screen/webReport/alertDetail/1", "language": "en"},
        images=[{"src": "/media/may-say.jpg", "alt": "Máy sấy tóc màu đỏ",
                 "renditions": {"480": "/media/may-say-480.jpg", "960": "/media/may-say-960.jpg"}}],
        change_note="Bổ sung số lô.", body="Dây nguồn có thể bị hở.",
    ))
    page = text(client.get(f"/canh-bao/{warning.slug}"))
    for fact in ("Máy sấy tóc 2000W", "Gió Mạnh", "HD-2000", "8930000000017", "LOT-24A", "01/2025 – 03/2025",
                 "Thiết bị điện", "Điện giật", "Cháy", "Cao", "Trung Quốc", "Nhà máy Mẫu", "Công ty Nhập khẩu Mẫu",
                 "Cửa hàng Mẫu", "3.500 chiếc", "Thu hồi sản phẩm từ người tiêu dùng", "bắt buộc",
                 "Cục Quản lý thị trường", "EU Safety Gate", "A12/00042/25", "Tiếng Anh", "Dây nguồn có thể bị hở."):
        assert fact in page, fact
    assert "Người tiêu dùng cần làm gì" in page and "<strong>Rút phích cắm</strong>" in page
    assert 'href="https://ec.europa.eu/safety-gate-alerts/screen/webReport/alertDetail/1"' in page
    assert 'alt="Máy sấy tóc màu đỏ"' in page
    assert 'srcset="/media/may-say-480.jpg 480w, /media/may-say-960.jpg 960w"' in page
    assert "Bổ sung số lô." in page


def test_warning_page_has_social_tags_and_json_ld(client):
    warning = create(warning_data(title="Sữa bột nhiễm khuẩn", summary="Một lô sữa bột nhiễm khuẩn."))
    page = text(client.get(f"/canh-bao/{warning.slug}"))
    for prop in ("og:title", "og:description", "og:type", "og:url", "og:image", "og:locale"):
        assert f'property="{prop}"' in page, prop
    assert 'name="twitter:card"' in page
    assert f'content="http://localhost/canh-bao/{warning.slug}"' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Article" and data["headline"] == "Sữa bột nhiễm khuẩn"
    assert data["about"]["@type"] == "Product" and data["about"]["gtin"] == "8931234567890"


def test_guide_page_has_article_json_ld(client):
    guide = create(article_data(title="Tin chiến dịch 15/3", kind="news"))
    page = text(client.get(f"/huong-dan/{guide.slug}"))
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["inLanguage"] == "vi"
    assert data["publisher"]["name"] == "Sở Công Thương Hải Phòng"
    assert 'property="og:locale" content="vi_VN"' in page


def test_withdrawn_warning_shows_banner_with_reason(client):
    warning = create(warning_data(status="withdrawn", withdrawn_reason="Nhà sản xuất đã khắc phục lỗi."))
    page = text(client.get(f"/canh-bao/{warning.slug}"))
    assert "Cảnh báo này đã được rút" in page and "Nhà sản xuất đã khắc phục lỗi." in page
    assert "Ngày rút:" in page
    english = text(client.get(f"/en/warnings/{warning.slug}"))
    assert "This warning has been withdrawn" in english


def test_vietnamese_only_warning_on_english_page(client):
    warning = create(warning_data(title="Đồ chơi có pin cúc áo", category="toys", risk_level="serious"))
    page = text(client.get(f"/en/warnings/{warning.slug}"))
    assert "This text is available in Vietnamese only." in page
    assert "Đồ chơi có pin cúc áo" in page
    assert ">Toys<" in page and ">Serious<" in page and "What consumers should do" in page
    assert '<article lang="vi">' in page


def test_guides_list_and_detail_in_both_languages(client):
    vi = create(article_data(slug="quyen-nguoi-tieu-dung", title="Quyền của người tiêu dùng theo luật mới",
                             body="## Quyền được an toàn\n\nNội dung."))
    create(article_data(slug="consumer-rights", lang="en", title="Consumer rights", translation_of=vi.slug,
                        body="## The right to safety\n\nText."))
    create(article_data(title="Tin tức chiến dịch", kind="news"))

    vi_list = text(client.get("/huong-dan"))
    assert "Quyền của người tiêu dùng theo luật mới" in vi_list and "Consumer rights" not in vi_list
    assert "Tin tức chiến dịch" in vi_list
    en_list = text(client.get("/en/guides"))
    assert "Consumer rights" in en_list and "Quyền của người tiêu dùng theo luật mới" not in en_list
    assert "Tin tức chiến dịch" in en_list and "in Vietnamese" in en_list

    news_only = text(client.get("/huong-dan?kind=news"))
    assert "Tin tức chiến dịch" in news_only and "Quyền của người tiêu dùng theo luật mới" not in news_only

    assert "<h2>Quyền được an toàn</h2>" in text(client.get("/huong-dan/quyen-nguoi-tieu-dung"))
    assert "<h2>The right to safety</h2>" in text(client.get("/en/guides/consumer-rights"))


def test_sanction_list_and_detail(client):
    sanction = create(sanction_data(
        subject={"name": "Công ty TNHH Thương Mại Mẫu", "kind": "enterprise", "tax_code": "0201234567",
                 "address": "Số 1 Đường Mẫu", "ward": "Phường Hồng Bàng"},
        decision={"number": "123/QĐ-XPHC", "date": "2026-10-05", "authority": "Sở Công Thương Hải Phòng"},
        fine_vnd=1_500_000, online=True, compliance="complied", violation_kind="trader-information",
        legal_basis="Điều 24 Nghị định 55/2024/NĐ-CP", remedial_measures="Gỡ bỏ tin đăng.",
    ))
    listing = text(client.get("/xu-ly-vi-pham"))
    assert "Công ty TNHH Thương Mại Mẫu" in listing and "1.500.000 ₫" in listing
    assert "Dữ liệu minh họa" in listing and "không phải quyết định xử phạt thật" in listing

    page = text(client.get(f"/xu-ly-vi-pham/{sanction.slug}"))
    for fact in ("Công ty TNHH Thương Mại Mẫu", "Doanh nghiệp", "0201234567", "Số 1 Đường Mẫu, Phường Hồng Bàng",
                 "123/QĐ-XPHC", "05/10/2026", "Sở Công Thương Hải Phòng", "1.500.000 ₫", "Đã chấp hành",
                 "Điều 24 Nghị định 55/2024/NĐ-CP", "Gỡ bỏ tin đăng.", "Công khai đến",
                 "Không công khai thông tin người bán, hàng hóa", "Dữ liệu minh họa"):
        assert fact in page, fact
    assert re.search(r'<meta name="robots" content="noarchive, unavailable_after: [0-9T:+-]+">', page)
    english = text(client.get(f"/en/enforcement/{sanction.slug}"))
    assert "Illustrative data" in english and "Public until" in english and "05 October 2026" not in english
    assert "5 October 2026" in english and "Complied" in english


def test_about_page_in_both_languages(client):
    create(article_data(slug="cach-khieu-nai", title="Cách khiếu nại từng bước", tags=["khieu-nai"]))
    page = text(client.get("/gioi-thieu"))
    assert "Cách khiếu nại khi quyền lợi bị xâm phạm" in page and 'href="tel:18006838"' in page
    assert "Cách khiếu nại từng bước" in page
    english = text(client.get("/en/about"))
    assert "How to complain when your rights are infringed" in english


def test_admin_link_is_not_shown_publicly(client):
    create(warning_data())
    for url in ("/", "/en/", "/canh-bao", "/huong-dan", "/xu-ly-vi-pham", "/gioi-thieu"):
        assert 'href="/admin' not in text(client.get(url)), url


def test_pages_use_vietnam_time(client):
    # 20:30 UTC on 31 Dec is already 1 January in Hải Phòng.
    warning = create(warning_data(published_at="2025-12-31T20:30:00+00:00"))
    page = text(client.get(f"/canh-bao/{warning.slug}"))
    assert "01/01/2026" in page and 'datetime="2026-01-01T03:30:00+07:00"' in page


def test_empty_portal_explains_itself(client):
    home = text(client.get("/"))
    assert "Hiện không có cảnh báo nào ở mức nghiêm trọng hoặc cao." in home
    assert "Chưa có hướng dẫn nào." in home
    assert "Hiện không có kết quả xử lý vi phạm nào trong thời hạn công khai." in home
    for url in ("/canh-bao", "/en/warnings", "/huong-dan", "/xu-ly-vi-pham", "/en/enforcement"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Không có kết quả nào." in text(response) or "No results." in text(response), url
