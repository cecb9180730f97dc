"""The statistics page and its CSV files: figures, charts, tables, the year selector, both languages."""
from __future__ import annotations

import csv
import io
import re

import sqlalchemy as sa

from portal.extensions import db
from tests.perf.test_statement_counts import seed, statements_per_request


def test_the_page_shows_each_chart_with_its_table_and_csv(client, known):
    response = client.get("/thong-ke")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Thống kê 2025</h1>" in html  # the newest year with figures
    assert re.findall(r'<option value="(\d+)"', html) == ["2025", "2024"]  # only years with figures
    charts = re.findall(r'<svg class="chart__svg".*?</svg>', html, re.S)
    assert len(charts) == 7
    first = charts[0]
    assert '<title id="chart-warnings-by-month-title">Cảnh báo theo tháng, 2025</title>' in first
    assert "Tổng cộng 6. Nhiều nhất: Tháng 1, 2." in first  # <desc>: the figures in words
    assert len(re.findall(r'class="chart__bar"', first)) == 4  # one bar per month with warnings
    assert first.count(">Tháng ") == 12  # every month labelled in text, not by colour
    assert '<tr><th scope="row">Tháng 3</th><td class="num">2</td></tr>' in html
    assert "42.500.000 ₫" in html  # total fines
    assert "Trong đó có 1 mục là dữ liệu minh họa" in html
    assert 'href="/thong-ke/warnings-by-month.csv?year=2025"' in html
    assert 'href="/thong-ke/fines-by-month.csv?year=2025"' in html
    for anchor in ("canh-bao", "xu-ly-vi-pham"):  # the sections, listed at the top
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html


def test_the_english_page(client, known):
    html = client.get("/en/statistics?year=2025").get_data(as_text=True)
    assert "<h1>Statistics 2025</h1>" in html
    assert "Warnings by risk level" in html and "Fines by month of decision" in html
    assert '<tr><th scope="row">March</th><td class="num">2</td></tr>' in html
    assert 'href="/en/statistics/enforcement-by-violation.csv?year=2025"' in html
    assert 'hreflang="vi" href="http://localhost/thong-ke?year=2025"' in html


def test_another_year(client, known):
    html = client.get("/thong-ke?year=2024").get_data(as_text=True)
    assert "<h1>Thống kê 2024</h1>" in html
    assert '<option value="2024" selected>' in html
    assert "Tổng cộng 1. Nhiều nhất: Tháng 12, 1." in html


def test_a_bad_year_is_explained_not_a_server_error(client, known):
    for year, status, message in (("abc", 400, "Năm không hợp lệ"), ("99999", 400, "Năm không hợp lệ"),
                                  ("2019", 404, "Chưa có số liệu cho năm 2019"), ("٢٠٢٥", 400, "Năm không hợp lệ")):
        response = client.get("/thong-ke", query_string={"year": year})
        html = response.get_data(as_text=True)
        assert response.status_code == status, year
        assert message in html and '<option value="2025">' in html  # and the years there are
        assert "<svg" not in html
    response = client.get("/en/statistics?year=2019")
    assert response.status_code == 404 and "No figures for 2019 yet." in response.get_data(as_text=True)


def test_no_figures_at_all(client, app):
    response = client.get("/thong-ke")
    assert response.status_code == 200
    assert "Chưa có số liệu thống kê." in response.get_data(as_text=True)
    assert client.get("/thong-ke/warnings-by-month.csv").status_code == 404


def test_csv_for_excel(client, known):
    response = client.get("/thong-ke/fines-by-month.csv?year=2025")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="fines-by-month-2025.csv"'
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, for Excel
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Mã", "Tháng", "Tiền phạt (đồng)"]
    assert rows[1] == ["1", "Tháng 1", "10000000"] and rows[2] == ["2", "Tháng 2", "32500000"]
    assert len(rows) == 13
    english = client.get("/en/statistics/warnings-by-category.csv?year=2025").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(english)))
    assert rows[0] == ["Code", "Product category", "Number of warnings"]
    assert sorted(rows[1:]) == [["cosmetics", "Cosmetics", "1"], ["electrical", "Electrical appliances and equipment", "1"],
                                ["food", "Food", "2"], ["toys", "Toys", "2"]]


def test_csv_errors(client, known):
    assert client.get("/thong-ke/nope.csv?year=2025").status_code == 404
    response = client.get("/thong-ke/warnings-by-month.csv?year=x")
    assert response.status_code == 400 and "Năm không hợp lệ" in response.get_data(as_text=True)
    assert client.get("/en/statistics/warnings-by-month.csv?year=2030").status_code == 404


def test_linked_from_the_footer_and_the_about_page(client, app):
    for page in ("/", "/gioi-thieu"):
        assert 'href="/thong-ke"' in client.get(page).get_data(as_text=True), page
    assert 'href="/en/statistics"' in client.get("/en/about").get_data(as_text=True)


def test_answers_are_cached_on_the_content_generation(client, known):
    first = client.get("/thong-ke")
    again = client.get("/thong-ke", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_statements_do_not_grow_with_the_items(app, client):
    """One statement per chart and per section's years, plus the content generation: at 45 or
    180 items of each kind alike."""
    urls = ["/thong-ke", "/en/statistics", "/thong-ke/warnings-by-category.csv"]
    seed(1, 46)
    small = statements_per_request(client, urls)
    seed(46, 181)
    assert db.session.execute(sa.text("select count(*) from warning")).scalar() > 180
    large = statements_per_request(client, urls)
    assert small == large
    assert small["/thong-ke"] <= 10  # generation + 2 year lists + 7 charts
