"""CSV and XLSX exports read back (csv module, openpyxl) to the rows the list page shows."""
from __future__ import annotations

import csv
import io
import itertools

from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from portal.content.models import Sanction, Warning, utcnow
from portal.content.queries import parse_sanction_filters, parse_warning_filters, public_sanctions, public_warnings
from portal.extensions import db
from portal.feeds import exports
from portal.content.queries import prefer_language
from tests.databases import with_control_characters
from tests.factories import _when, create, sanction_data, warning_data
from tests.feeds.sql_count import count_statements


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response.data.startswith("\ufeff".encode("utf-8"))
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list[object]]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def page_ids(model, query) -> list[int]:
    """The ids of the list page's query, in its order (what the page lists)."""
    return [item.id for item in db.session.execute(prefer_language(query, model, "vi", utcnow())).scalars()]


def test_warning_exports_hold_the_filtered_list_rows(client, app):
    toy = create(warning_data(category="toys", product={"name": "Xe đồ chơi", "brand": "Bé Yêu",
                                                        "barcodes": ["8930000000017"], "batches": ["L1", "L2"]}))
    create(warning_data(category="food", hazards=["microbiological"]))
    create(warning_data(category="toys", published_at=_when(2)))  # scheduled: not on the page
    args = MultiDict({"category": "toys"})
    filters, _ = parse_warning_filters(args)
    expected = page_ids(Warning, public_warnings(filters))
    assert expected == [toy.id]

    rows = read_csv(client.get("/canh-bao/export.csv?category=toys"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Mã số", "Tiêu đề", "Ngày đăng"]
    assert [int(row[0]) for row in body] == expected
    record = dict(zip(header, body[0]))
    assert record["Tiêu đề"] == toy.title and record["Sản phẩm"] == "Xe đồ chơi"
    assert record["Mã vạch"] == "8930000000017" and record["Số lô"] == "L1; L2"
    assert record["Danh mục"] == "Đồ chơi" and record["Mức độ rủi ro"] == "Nghiêm trọng"
    assert record["Đường dẫn"] == f"http://localhost/canh-bao/{toy.slug}"

    sheet = read_xlsx(client.get("/canh-bao/export.xlsx?category=toys"))
    assert [str(value) for value in sheet[0]] == header
    assert [[str(value) for value in row] for row in sheet[1:]] == body


def test_sanction_exports_hold_only_results_within_their_window(client, app):
    online = create(sanction_data(online=True, fine_vnd=12500000))
    offline = create(sanction_data(online=False))
    create(sanction_data(published_at=_when(-60), published_until=_when(-30)))  # window over
    create(sanction_data(published_at=_when(1), published_until=_when(31)))  # window not open
    filters, _ = parse_sanction_filters(MultiDict())
    expected = page_ids(Sanction, public_sanctions(filters))
    assert set(expected) == {online.id, offline.id}

    rows = read_csv(client.get("/xu-ly-vi-pham/export.csv"))
    assert [int(row[0]) for row in rows[1:]] == expected
    sheet = read_xlsx(client.get("/xu-ly-vi-pham/export.xlsx"))
    assert [row[0] for row in sheet[1:]] == expected
    fine_column = rows[0].index("Số tiền phạt (đồng)")
    assert {row[0]: row[fine_column] for row in sheet[1:]}[online.id] == 12500000

    only_online = read_csv(client.get("/xu-ly-vi-pham/export.csv?online=1"))
    assert [int(row[0]) for row in only_online[1:]] == [online.id]


def test_english_export_uses_english_labels(client, app):
    create(sanction_data(subject={"name": "Hộ kinh doanh An Bình", "kind": "household-business"}))
    rows = read_csv(client.get("/en/enforcement/export.csv"))
    assert "Household business" in rows[1]
    assert rows[1][-1].startswith("http://localhost/en/enforcement/")


def test_text_cannot_become_a_spreadsheet_formula(client, app):
    create(warning_data(title='=HYPERLINK("http://evil.example","Bấm vào đây")', summary="+1-2"))
    rows = read_csv(client.get("/canh-bao/export.csv"))
    assert rows[1][1] == "'" + '=HYPERLINK("http://evil.example","Bấm vào đây")'
    workbook = load_workbook(io.BytesIO(client.get("/canh-bao/export.xlsx").data))
    cell = workbook.active.cell(row=2, column=2)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_control_characters_do_not_break_the_workbook(client, app):
    with_control_characters(create(warning_data()), title="Ấm siêu tốc\x0b lỗi\x00")
    sheet = read_xlsx(client.get("/canh-bao/export.xlsx"))
    assert sheet[1][1] == "Ấm siêu tốc lỗi"


def test_bad_filter_gives_400(client, app):
    response = client.get("/xu-ly-vi-pham/export.csv?year=abc")
    assert response.status_code == 400 and b"year" in response.data


def test_exports_stream_every_row_across_batches(client, app, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)
    for _ in range(5):
        create(warning_data())
    expected = page_ids(Warning, public_warnings())
    response = client.get("/canh-bao/export.csv")
    assert response.is_streamed
    assert [int(row[0]) for row in read_csv(response)[1:]] == expected
    response = client.get("/canh-bao/export.xlsx")
    assert response.is_streamed
    assert [row[0] for row in read_xlsx(response)[1:]] == expected


def test_csv_is_sent_before_the_last_row_is_read():
    endless = ([n, f"Cảnh báo {n}"] for n in itertools.count())
    chunks = exports.csv_chunks(["Mã số", "Tiêu đề"], endless)
    first = next(chunks).decode("utf-8-sig").splitlines()
    assert first[0] == "Mã số,Tiêu đề" and len(first) == exports.BATCH + 1


def test_rows_are_read_lazily_from_the_database(app):
    for _ in range(3):
        create(warning_data())
    with count_statements() as statements:
        items = exports.each_item(public_warnings())
        assert statements == []
        next(items)
    assert len(statements) == 1
    items.close()


def test_a_head_request_builds_no_export(client, app):
    create(warning_data())
    with count_statements() as statements:
        response = client.head("/canh-bao/export.xlsx")
    assert response.status_code == 200 and "ETag" in response.headers
    assert len(statements) == 1  # the content generation only


def test_exports_leave_the_bodies_in_the_database(client, app):
    """No column reads the body, the images or the tags: they are not loaded (and reading one
    would be an error, not a query per row). The English links follow the English paths."""
    item = create(warning_data(body="Nội dung dài " * 200))
    with count_statements() as statements:
        rows = read_csv(client.get("/canh-bao/export.csv"))
    selects = [statement for statement, _ in statements if "FROM warning" in statement]
    assert selects and not any("warning.body" in statement or "warning.images" in statement for statement in selects)
    assert len(rows) == 2 and rows[1][0] == str(item.id)
    english = read_csv(client.get("/en/warnings/export.csv"))
    assert english[1][-1] == f"http://localhost/en/warnings/{item.slug}"
    sanction = create(sanction_data())
    assert read_csv(client.get("/xu-ly-vi-pham/export.csv"))[1][-1] == f"http://localhost/xu-ly-vi-pham/{sanction.slug}"
