"""Enforcement officers' spreadsheets: template, row-by-row report, all or nothing."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from portal.content.models import Sanction
from portal.extensions import db
from portal.importers.sanctions import COLUMNS
from tests.admin.helpers import logged_in

HEADERS = [header for header, _, _ in COLUMNS]
GOOD = ["Công ty TNHH Minh Họa", "doanh nghiệp", "0201234567", "Số 1 Lạch Tray", "Phường Lê Chân",
        "Không niêm yết giá trên gian hàng trực tuyến", "Nghị định 98/2020/NĐ-CP", "12/QĐ-XPHC", "03/11/2026",
        "Sở Công Thương Hải Phòng", "15.000.000", "", "", "có", "chưa chấp hành"]


def csv_bytes(*rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(*rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_cli_imports_a_good_csv_as_drafts(app, runner, tmp_path):
    path = tmp_path / "xu-phat.csv"
    second = list(GOOD)
    second[0], second[7], second[13] = "Hộ kinh doanh Bình An", "13/QĐ-XPHC", "không"
    path.write_bytes(csv_bytes(GOOD, second))
    result = runner.invoke(args=["import", "sanctions", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 enforcement result(s) recorded" in result.output
    rows = db.session.execute(db.select(Sanction).order_by(Sanction.decision_number)).scalars().all()
    assert [r.status for r in rows] == ["draft", "draft"] and rows[0].fine_vnd == 15_000_000
    assert rows[0].online is True and rows[1].online is False and rows[0].decision_date.isoformat() == "2026-11-03"
    assert rows[0].published_until is not None


def test_one_bad_row_keeps_everything_out_and_is_named(app, runner, tmp_path):
    bad = list(GOOD)
    bad[7], bad[8] = "14/QĐ-XPHC", "31/13/2026"
    path = tmp_path / "xu-phat.xlsx"
    path.write_bytes(xlsx_bytes(GOOD, bad))
    result = runner.invoke(args=["import", "sanctions", str(path)])
    assert result.exit_code != 0 and "nothing was imported" in result.output
    assert "row 2 (12/QĐ-XPHC): ok" in result.output
    assert "row 3 (14/QĐ-XPHC): Ngày quyết định (dd/mm/yyyy):" in result.output
    assert db.session.execute(db.select(Sanction)).first() is None


def test_wrong_columns_or_format_are_refused(app, runner, tmp_path):
    path = tmp_path / "sai.csv"
    path.write_bytes("Tên,Số tiền\nA,1\n".encode("utf-8"))
    result = runner.invoke(args=["import", "sanctions", str(path)])
    assert result.exit_code != 0 and "missing column(s)" in result.output
    path = tmp_path / "sai.pdf"
    path.write_bytes(b"%PDF")
    result = runner.invoke(args=["import", "sanctions", str(path)])
    assert result.exit_code != 0 and "expected an XLSX or CSV file" in result.output


def test_admin_upload_is_for_the_enforcement_role_with_a_template(app):
    client, _ = logged_in(app, "editor")
    assert client.get("/admin/imports/sanctions").status_code == 403
    client, _ = logged_in(app, "enforcement", "thanhtra@example.vn")
    template = client.get("/admin/imports/sanctions/template.xlsx")
    assert template.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(template.data)).active[1]] == HEADERS
    assert next(csv.reader(io.StringIO(client.get("/admin/imports/sanctions/template.csv").data.decode("utf-8-sig")))) == HEADERS
    page = client.post("/admin/imports/sanctions", data={"spreadsheet": (io.BytesIO(csv_bytes(GOOD, GOOD)), "a.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "repeats row 2" in page and db.session.execute(db.select(Sanction)).first() is None
    page = client.post("/admin/imports/sanctions", data={"spreadsheet": (io.BytesIO(csv_bytes(GOOD)), "a.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Hợp lệ" in page
    assert db.session.execute(db.select(Sanction)).scalar_one().owner_org == "so-cong-thuong"
