"""The import queue in the admin: filters, translating beside the original, bulk actions."""
from __future__ import annotations

import json

import pytest

from portal.content.models import Warning
from portal.extensions import db
from portal.importers.models import DISCARDED, ImportRecord
from portal.importers.service import import_file
from tests.admin.helpers import logged_in

EU = [
    {"alert_number": "A12/00001/24", "brand": "Kia", "product_category": "Motor vehicles", "product_name": "Passenger car",
     "product_description": "Picanto", "risk_type": "Injuries", "case_url": "None", "published_on": None},
    {"alert_number": "A12/00002/24", "brand": "Pepco", "product_category": "Toys", "product_name": "Toy stamps",
     "product_description": "Stamps", "risk_type": "Chemical", "case_url": "None", "published_on": None},
]


@pytest.fixture
def queue_items(app, tmp_path):
    path = tmp_path / "eu.json"
    path.write_text(json.dumps(EU))
    import_file(path, "safety-gate")
    return {r.reference: r for r in db.session.execute(db.select(ImportRecord)).scalars()}


def test_queue_filters_by_category_and_source(app, queue_items):
    client, _ = logged_in(app, "editor")
    page = client.get("/admin/imports/?category=toys").get_data(as_text=True)
    assert "A12/00002/24" in page and "A12/00001/24" not in page
    page = client.get("/admin/imports/?source=cpsc").get_data(as_text=True)
    assert "A12/00002/24" not in page
    page = client.get("/admin/imports/?lang=en&risk=unknown&date_from=2026-13-01").get_data(as_text=True)
    assert "A12/00001/24" in page and "A12/00002/24" in page


def test_dashboard_no_longer_lists_untouched_imported_drafts(app, queue_items):
    client, _ = logged_in(app, "editor")
    page = client.get("/admin/").get_data(as_text=True)
    assert "Toy stamps" not in page


def test_translate_page_shows_the_original_and_saves_the_vietnamese(app, queue_items):
    client, _ = logged_in(app, "editor")
    record = queue_items["A12/00002/24"]
    page = client.get(f"/admin/imports/{record.id}").get_data(as_text=True)
    assert "Toy stamps – Pepco (A12/00002/24)" in page and "Bản gốc" in page
    response = client.post(f"/admin/imports/{record.id}", data={
        "version": record.warning.version, "title": "Bộ con dấu đồ chơi Pepco chứa hóa chất",
        "summary": "Mực của con dấu chứa chất bảo quản vượt ngưỡng.", "what_to_do": "Ngừng cho trẻ chơi.",
        "category": "toys", "risk_level": "serious"})
    assert response.status_code == 302
    warning = db.session.get(Warning, record.warning_id)
    assert warning.lang == "vi" and warning.risk_level == "serious" and warning.title.startswith("Bộ con dấu")


def test_bulk_discard_needs_a_reason_and_csrf(app, queue_items):
    client, _ = logged_in(app, "editor")
    ids = [str(r.id) for r in queue_items.values()]
    client.post("/admin/imports/bulk", data={"action": "discard", "ids": ids, "reason": ""})
    assert all(r.state != DISCARDED for r in db.session.execute(db.select(ImportRecord)).scalars())
    client.post("/admin/imports/bulk", data={"action": "discard", "ids": ids[:1], "reason": "Không bán ở Việt Nam"})
    states = {r.id: r.state for r in db.session.execute(db.select(ImportRecord)).scalars()}
    assert states[int(ids[0])] == DISCARDED and states[int(ids[1])] != DISCARDED
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/admin/imports/bulk", data={"action": "discard", "ids": ids[1:], "reason": "x"})
    assert response.status_code in (302, 400)
    assert db.session.get(ImportRecord, int(ids[1])).state != DISCARDED


def test_bulk_assign_to_an_editor(app, queue_items):
    client, editor = logged_in(app, "editor")
    ids = [str(r.id) for r in queue_items.values()]
    client.post("/admin/imports/bulk", data={"action": "assign", "ids": ids, "assignee": str(editor.id)})
    assert {r.assigned_to_id for r in db.session.execute(db.select(ImportRecord)).scalars()} == {editor.id}
    page = client.get("/admin/imports/?mine=1").get_data(as_text=True)
    assert "A12/00001/24" in page


def test_enforcement_role_has_no_queue(app, queue_items):
    client, _ = logged_in(app, "enforcement")
    assert client.get("/admin/imports/").status_code == 403
