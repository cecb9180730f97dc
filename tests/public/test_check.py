""""Is my product recalled?": the check page (vi/en), the search page's answer for codes, the
code table the triggers keep (migration 0009) and the indexed lookup."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.content import recall_check
from portal.content.models import Warning, WarningCode
from portal.extensions import db
from portal.search import service
from tests.factories import create, warning_data

LEAD = "8934567000017"      # EAN-13, right check digit
PENCIL = "036000291452"     # UPC-A: the same product as EAN-13 0036000291452


@pytest.fixture
def coded(app):
    items = {
        "milk": create(warning_data(
            slug="sua-bot-nhiem-chi", title="Sữa bột trẻ em nhiễm chì",
            product={"name": "Sữa bột Ánh Dương", "barcodes": [LEAD], "batches": ["LOT 2024-05"]})),
        "milk_en": create(warning_data(
            slug="lead-in-formula", lang="en", title="Lead in baby formula", translation_of="sua-bot-nhiem-chi",
            product={"name": "Anh Duong formula", "barcodes": [LEAD], "batches": ["LOT 2024-05"]})),
        "pencil": create(warning_data(
            slug="but-chi-mau", title="Bút chì màu chứa chì",
            product={"name": "Bút chì màu", "barcodes": [PENCIL], "batches": []})),
        "draft": create(warning_data(
            slug="ban-nhap", title="Bản nháp", workflow="draft",
            product={"name": "Bản nháp", "barcodes": ["4006381333931"], "batches": ["BATCH-DRAFT-1"]})),
        "vi_only": create(warning_data(
            slug="noi-com-dien", title="Nồi cơm điện rò điện",
            product={"name": "Nồi cơm điện", "barcodes": [], "batches": ["NC-77"]})),
    }
    service.apply_pending()
    return items


def text(response) -> str:
    return response.get_data(as_text=True)


def test_gtin_check_digits():
    assert recall_check.parse_code(LEAD).check_digit_ok
    assert recall_check.parse_code("8934567000012").expected_digit == "7"
    for good in ("96385074", "036000291452", "4006381333931", "10012345678902"):  # GTIN-8, 12, 13, 14
        assert recall_check.parse_code(good).check_digit_ok, good
    assert not recall_check.parse_code("LOT 2024-05").is_gtin
    assert recall_check.parse_code("８９３４５６７００００１７").check_digit_ok  # full-width digits
    assert recall_check.parse_code("893 4567 00001 7").compact == LEAD


@pytest.mark.parametrize("raw, reason", [("", "empty"), ("   ", "empty"), ("1" * 65, "too_long"),
                                         ("---", "no_code"), ("\u200b", "empty"), ("x" * 10_000, "too_long")])
def test_codes_that_cannot_be_looked_up(raw, reason):
    with pytest.raises(recall_check.CodeError) as caught:
        recall_check.parse_code(raw)
    assert caught.value.reason == reason


def test_vietnamese_page_lists_the_matching_warning(client, coded):
    response = client.get("/kiem-tra-ma", query_string={"code": LEAD})
    html = text(response)
    assert response.status_code == 200
    assert 'href="/canh-bao/sua-bot-nhiem-chi"' in html
    assert "/en/warnings/lead-in-formula" not in html  # one version per warning, in the page's language
    assert "Có 1 cảnh báo ghi nhận mã này." in html


def test_english_page_lists_the_english_version(client, coded):
    html = text(client.get("/en/check-code", query_string={"code": LEAD}))
    assert 'href="/en/warnings/lead-in-formula"' in html and "/canh-bao/sua-bot-nhiem-chi" not in html
    assert "Is my product recalled?" in html


def test_upc_matches_its_ean_13_and_spaces_are_ignored(client, coded):
    for code in (PENCIL, "0" + PENCIL, "0 36000 29145 2"):
        assert 'href="/canh-bao/but-chi-mau"' in text(client.get("/kiem-tra-ma", query_string={"code": code})), code


def test_batch_number_matches_ignoring_case_spaces_and_hyphens(client, coded):
    for code in ("LOT 2024-05", "lot202405", "Lot 2024 05"):
        html = text(client.get("/kiem-tra-ma", query_string={"code": code}))
        assert 'href="/canh-bao/sua-bot-nhiem-chi"' in html, code
    assert "/canh-bao/sua-bot-nhiem-chi" not in text(client.get("/kiem-tra-ma", query_string={"code": "LOT 2024"}))


def test_no_match_says_so_with_the_date_and_how_to_report(client, coded):
    html = text(client.get("/kiem-tra-ma", query_string={"code": "4006381333931"}))  # only a draft has it
    assert "Chưa có cảnh báo nào được ghi nhận cho mã này tính đến ngày" in html
    assert 'href="tel:18006838"' in html and 'href="/gioi-thieu#khieu-nai"' in html
    assert "/canh-bao/ban-nhap" not in html
    english = text(client.get("/en/check-code", query_string={"code": "BATCH-DRAFT-1"}))
    assert "No warning is recorded for this code as of" in english and 'href="/en/about#khieu-nai"' in english


def test_wrong_check_digit_is_explained_and_still_looked_up(client, coded):
    html = text(client.get("/kiem-tra-ma", query_string={"code": "8934567000012"}))
    assert "Số kiểm tra của mã vạch không đúng." in html and "chữ số cuối phải là 7" in html
    assert "Chưa có cảnh báo nào được ghi nhận" in html


@pytest.mark.parametrize("code", ["", "x" * 5000, "---", "\u202e\u200b"])
def test_bad_input_gets_a_clear_400(client, coded, code):
    response = client.get("/kiem-tra-ma", query_string={"code": code})
    assert response.status_code == 400
    assert 'role="alert"' in text(response) and 'aria-invalid="true"' in text(response)


@pytest.mark.parametrize("code", ["\x00", "12\x07", "\u0085"])
def test_control_characters_get_400_not_500(client, code):
    assert client.get("/kiem-tra-ma", query_string={"code": code}).status_code == 400


def test_unicode_and_markup_are_looked_up_as_text(client, coded):
    for code in ("<script>alert(1)</script>", "Lô số 5", "💊🧸", "' OR 1=1 --"):
        response = client.get("/kiem-tra-ma", query_string={"code": code})
        assert response.status_code in (200, 400), code
        assert "<script>alert(1)" not in text(response)


def test_form_without_code_and_links(client, coded):
    page = text(client.get("/kiem-tra-ma"))
    assert 'name="code"' in page and "Chưa có cảnh báo" not in page and "js/check.js" in page
    assert 'href="/kiem-tra-ma"' in text(client.get("/"))
    assert 'href="/en/check-code"' in text(client.get("/en/"))
    assert 'href="/kiem-tra-ma"' in text(client.get("/canh-bao/sua-bot-nhiem-chi"))
    assert 'href="/en/check-code"' in text(client.get("/en/warnings/lead-in-formula"))


def test_search_for_an_unknown_barcode_gets_the_check_answer(client, coded):
    html = text(client.get("/tim-kiem", query_string={"q": "4006381333931"}))
    assert "Chưa có cảnh báo nào được ghi nhận cho mã này tính đến ngày" in html
    assert "Kiểm tra lại chính tả" not in html and 'href="/kiem-tra-ma?code=4006381333931"' in html
    words = text(client.get("/tim-kiem", query_string={"q": "bàn là hơi nước"}))
    assert "Kiểm tra lại chính tả" in words and "ghi nhận cho mã này" not in words


def test_english_lists_label_vietnamese_only_warnings(client, coded):
    html = text(client.get("/en/warnings"))
    item = html.split('href="/en/warnings/noi-com-dien"')[0].rsplit('<li class="item">', 1)[1]
    assert "Vietnamese only" in item
    translated = html.split('href="/en/warnings/lead-in-formula"')[0].rsplit('<li class="item">', 1)[1]
    assert "Vietnamese only" not in translated
    assert "Chỉ có bằng tiếng Việt" not in text(client.get("/canh-bao"))


def test_the_code_table_follows_every_change(app, coded):
    def codes(item):
        return set(db.session.execute(sa.select(WarningCode.kind, WarningCode.code)
                                      .where(WarningCode.warning_id == item.id)).all())

    milk = db.session.get(Warning, coded["milk"].id)  # (indexing detached the fixture's objects)
    assert codes(milk) == {("barcode", LEAD), ("batch", "lot202405")}
    assert codes(coded["pencil"]) == {("barcode", PENCIL.lstrip("0"))}
    milk.batches = ["L-9"]
    milk.product_codes = ["B0ABCDEFGH"]
    db.session.commit()
    assert codes(milk) == {("barcode", LEAD), ("batch", "l9"), ("code", "b0abcdefgh")}
    db.session.execute(sa.delete(Warning).where(Warning.id == coded["vi_only"].id))
    db.session.commit()
    assert not db.session.execute(sa.select(WarningCode).where(WarningCode.warning_id == coded["vi_only"].id)).first()


def _plan(query) -> list[str]:
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        return [row[3] for row in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql))]
    return [row[0] for row in db.session.execute(sa.text("EXPLAIN " + sql))]


def _fill_postgresql_statistics(model, template_id: int, rows: int = 5000) -> None:
    """PostgreSQL chooses a plan from the table's statistics: for a table of a few rows, walking
    the newest-first index is as cheap as anything and the planner may take it (it did, once
    autovacuum had analysed the test table). Copy a public row ``rows`` times, under new slugs,
    and ANALYZE, so the plan read is the one a real table of public warnings gets."""
    table = model.__table__
    series = sa.func.generate_series(1, rows).table_valued("n").render_derived()
    columns = [column for column in table.c if column.name != "id"]
    values = [(table.c.slug + "-" + sa.cast(series.c.n, sa.String)).label("slug") if column.name == "slug"
              else column for column in columns]
    db.session.execute(sa.insert(table).from_select(
        [column.name for column in columns],
        sa.select(*values).select_from(table.join(series, sa.true())).where(table.c.id == template_id)))
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))  # the code table the triggers filled too


def test_the_lookup_probes_the_code_index_then_the_primary_key(app, coded):
    code = recall_check.parse_code(LEAD)
    ids = recall_check.matching_ids(code)
    assert sorted(ids) == sorted([coded["milk"].id, coded["milk_en"].id])
    if db.engine.dialect.name != "sqlite":
        _fill_postgresql_statistics(Warning, coded["vi_only"].id)
        assert sorted(recall_check.matching_ids(code)) == sorted(ids)
    first = _plan(recall_check.ids_query(code))
    second = _plan(recall_check.lookup_query(ids, "vi"))
    if db.engine.dialect.name == "sqlite":
        assert any("warning_code USING COVERING INDEX ix_warning_code_code (code=?)" in s for s in first), first
        assert second[0].startswith("SEARCH warning USING INTEGER PRIMARY KEY (rowid=?)"), second
        assert not any(s.startswith("SCAN") for s in first + second), (first, second)
    else:
        assert "ix_warning_code_code" in "\n".join(first), first
        assert "warning_pkey" in "\n".join(second), second
