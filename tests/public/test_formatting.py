"""Dates in Vietnam's time zone, money the Vietnamese way, labels in the page's language."""
from __future__ import annotations

from datetime import date, datetime, timezone

from portal.formatting import format_date, format_datetime, format_money, language_name, term_label


def test_dates_in_vietnam_time_and_style():
    moment = datetime(2026, 3, 14, 18, 5, tzinfo=timezone.utc)  # 01:05 on 15 March in Hải Phòng
    assert format_date(moment, "vi") == "15/03/2026"
    assert format_date(moment, "en") == "15 March 2026"
    assert format_datetime(moment, "vi") == "01:05, 15/03/2026"
    assert format_datetime(moment, "en") == "15 March 2026, 01:05"
    assert format_date(date(2026, 10, 5), "vi") == "05/10/2026"
    assert format_date(None, "vi") == ""


def test_money():
    assert format_money(1_500_000) == "1.500.000 ₫"
    assert format_money(0) == "0 ₫"
    assert format_money(250_000_000) == "250.000.000 ₫"


def test_labels_in_both_languages():
    assert term_label("food-supplements", "category", "vi") == "Thực phẩm bảo vệ sức khỏe"
    assert term_label("food-supplements", "category", "en") == "Food supplements"
    assert term_label("new-code", "category", "en") == "new-code"
    assert language_name("en", "vi") == "Tiếng Anh" and language_name("de", "en") == "German"
