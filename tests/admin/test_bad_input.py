"""Malformed form input gets a Vietnamese message, never a server error."""
from __future__ import annotations

import html

import pytest

from portal.content import workflow
from portal.extensions import db
from tests.admin.helpers import logged_in
from tests.factories import warning_data

ENGLISH = ("Not a valid", "This field is required", "is not a valid choice", "Invalid")

BAD_WARNING = [
    {"category": "weapons"}, {"hazards": ["fire", "boredom"]}, {"risk_level": "apocalyptic"},
    {"published_at": "ngày mai"}, {"published_at": "2026-02-30T10:00"}, {"lang": "fr"},
    {"measures-0-type": "nuke", "measures-0-kind": "maybe", "measures-0-by": "x"},
    {"measures-999999-type": "recall", "measures-999999-by": "x"},
    {"title": "x" * 400}, {"body": "\x00\x07 control characters", "title": ""}, {"translation_of": "khong-co-bai-nay"},
    {"images-0-src": "/media/../../etc/passwd", "images-0-alt": "x"}, {"version": "abc"},
]


@pytest.mark.parametrize("bad", BAD_WARNING, ids=[",".join(b) for b in BAD_WARNING])
def test_bad_warning_form_input(app, bad):
    client, user = logged_in(app, "editor")
    good = {"title": "Cảnh báo thử", "lang": "vi", "category": "toys", "hazards": "choking", "risk_level": "high",
            "product_name": "Đồ chơi", "action": "save"}
    response = client.post("/admin/warnings/new", data={**good, **bad})
    assert response.status_code in (302, 422), response.status_code
    page = html.unescape(response.get_data(as_text=True))
    assert not any(phrase in page for phrase in ENGLISH), page[page.find("field__error"):][:400]
    if bad.get("version") is None and response.status_code == 302:
        pytest.fail(f"accepted {bad}")


@pytest.mark.parametrize("bad", [
    {"decision_date": "31/02/2026"}, {"fine_vnd": "mười triệu"}, {"fine_vnd": "9" * 40},
    {"published_until": "2020-01-01T00:00"}, {"subject_kind": "alien"}, {"violation_kind": "x"},
])
def test_bad_sanction_form_input(app, bad):
    client, _ = logged_in(app, "enforcement")
    good = {"title": "Xử phạt thử", "lang": "vi", "subject_name": "Cửa hàng", "subject_kind": "enterprise",
            "violation": "Vi phạm.", "violation_kind": "other", "decision_number": "1/QĐ",
            "decision_date": "2026-11-01", "decision_authority": "Sở Công Thương", "fine_vnd": "1.000.000",
            "compliance": "pending", "published_from": "2026-11-02T08:00", "action": "save"}
    response = client.post("/admin/sanctions/new", data={**good, **bad})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "field--error" in page and not any(phrase in page for phrase in ENGLISH)


def test_bad_workflow_posts(app):
    client, publisher = logged_in(app, "publisher")
    item = workflow.create_item(publisher, "warning", {**warning_data(), "published_at": None})
    db.session.commit()
    for url, data in [
        (f"/admin/warnings/{item.id}/publish", {"version": "x", "at": "không phải ngày"}),
        (f"/admin/warnings/{item.id}/publish", {"version": "999"}),
        (f"/admin/warnings/{item.id}/return", {"version": "1"}),
        (f"/admin/warnings/{item.id}/withdraw", {"version": "1", "reason": ""}),
        (f"/admin/warnings/{item.id}/revisions/{item.latest_revision_id}/restore", {}),
        (f"/admin/warnings/{item.id}/submit", {"version": ""}),
    ]:
        response = client.post(url, data=data)
        assert response.status_code in (302, 400, 422), (url, response.status_code)
    db.session.refresh(item)
    assert item.status == "draft"


def test_control_characters_are_dropped(app):
    from portal.content.models import Article

    client, _ = logged_in(app, "editor")
    response = client.post("/admin/articles/new", data={"title": "Tiêu\x00 đề", "lang": "vi", "kind": "guide",
                                                         "body": "Dòng một\x07\r\nDòng\thai", "action": "save"})
    assert response.status_code == 302
    item = db.session.execute(db.select(Article)).scalar_one()
    assert item.title == "Tiêu đề" and item.body == "Dòng một\r\nDòng\thai"
