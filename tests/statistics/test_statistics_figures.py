"""The statistics' figures against the database: what counts, and in which month (Vietnam time)."""
from __future__ import annotations

from portal.content.models import utcnow
from portal.statistics import figures, sections


def by_code(chart) -> dict[str, int]:
    return {bar.code: bar.value for bar in chart.bars}


def test_warnings_by_month_follow_vietnam_time(known):
    chart = sections.warnings_by_month(2025, utcnow(), "vi")
    months = by_code(chart)
    assert list(months) == [str(m) for m in range(1, 13)]  # every month, empty ones as 0
    # 00:30 on 1 January in Vietnam (31 December in UTC) and 23:59 on 31 January count in January;
    # 00:00 on 1 February in Vietnam (still 31 January in UTC) counts in February.
    assert months == {"1": 2, "2": 1, "3": 2, "4": 0, "5": 0, "6": 0, "7": 0, "8": 0, "9": 0, "10": 0,
                      "11": 0, "12": 1}
    assert chart.total == 6


def test_only_public_warnings_count_once_each_withdrawn_included(known):
    now = utcnow()
    # The draft (June), the scheduled warning and the English translation of December's are not counted;
    # the withdrawn one (March) is, since it was published.
    assert dict(figures.warnings_by_month(2025, now)) == {1: 2, 2: 1, 3: 2, 12: 1}
    assert figures.warning_years(now) == {2024, 2025}
    assert dict(figures.warnings_by_month(2024, now)) == {12: 1}


def test_warnings_by_category_risk_and_source(known):
    now = utcnow()
    categories = sections.warnings_by_category(2025, now, "vi")
    assert [(bar.code, bar.value) for bar in categories.bars][:2] in (
        [("toys", 2), ("food", 2)], [("food", 2), ("toys", 2)])  # largest first, empty ones left out
    assert by_code(categories) == {"toys": 2, "food": 2, "cosmetics": 1, "electrical": 1}
    assert categories.bars[0].label in ("Đồ chơi", "Thực phẩm")
    risk = sections.warnings_by_risk(2025, now, "en")
    assert [(bar.code, bar.label, bar.value) for bar in risk.bars] == [
        ("serious", "Serious", 2), ("high", "High", 2), ("medium", "Medium", 1), ("low", "Low", 1),
        ("unknown", "Unknown", 0)]
    sources = sections.warnings_by_source(2025, now, "vi")
    assert by_code(sources) == {"eu-safety-gate": 4, "us-cpsc": 1, "domestic": 1}


def test_enforcement_counts_only_results_inside_their_window(known):
    now = utcnow()
    assert figures.sanction_years(now) == {2025}
    chart = sections.sanctions_by_month(2025, now, "vi")
    months = by_code(chart)
    assert (months["1"], months["2"], months["3"]) == (1, 2, 0)  # closed and not yet open windows left out
    assert chart.total == 3
    assert chart.notes == ["Trong đó có 1 mục là dữ liệu minh họa, không phải quyết định xử phạt thật."]
    fines = sections.fines_by_month(2025, now, "vi")
    assert (by_code(fines)["1"], by_code(fines)["2"]) == (10_000_000, 32_500_000)
    assert fines.total_shown == "42.500.000 ₫"
    kinds = by_code(sections.sanctions_by_kind(2025, now, "vi"))
    assert kinds["counterfeit"] == 2 and kinds["misleading-information"] == 1 and kinds["warranty"] == 0


def test_demo_results_leave_with_the_demo_content(known, app):
    app.config["PORTAL_DEMO_CONTENT"] = False
    now = utcnow()
    assert by_code(sections.sanctions_by_month(2025, now, "vi"))["2"] == 1
    assert sections.fines_by_month(2025, now, "vi").total == 17_500_000


def test_a_year_without_figures_is_empty(known):
    chart = sections.warnings_by_month(2023, utcnow(), "vi")
    assert chart.empty and chart.total == 0
    assert chart.description == "Không có số liệu cho năm này."


def test_every_chart_key_is_unique_and_found():
    keys = [chart.key for section in sections.SECTIONS for chart in section.charts]
    assert len(keys) == len(set(keys))
    assert all(sections.find_chart(key).key == key for key in keys)
    assert sections.find_chart("nope") is None
