"""Admin lists (issue 12): risk, dates, status and public-link columns, bulk actions through the
workflow services with a confirmation step and per-item results, and statements per list page."""
from __future__ import annotations

import html

import pytest
from flask import g

from portal import create_app
from portal.admin import bulk
from portal.content import workflow
from portal.content.models import AuditEntry, Warning
from portal.extensions import db
from tests.admin.helpers import PASSWORD, logged_in, make_user
from tests.factories import warning_data
from tests.feeds.sql_count import count_statements


@pytest.fixture
def editor(app):
    return logged_in(app, "editor")


@pytest.fixture
def publisher(app):
    return logged_in(app, "publisher")


def draft(user, **overrides) -> Warning:
    data = warning_data(**overrides)
    data.pop("published_at")
    item = workflow.create_item(user, "warning", data)
    db.session.commit()
    return item


def published(user, **overrides) -> Warning:
    item = draft(user, **overrides)
    workflow.publish(user, item, item.version)
    db.session.commit()
    return item


def test_the_list_shows_risk_dates_status_and_the_public_link(app, publisher):
    client, user = publisher
    live = published(user, title="Cảnh báo đang công khai", risk_level="high")
    unset = workflow.create_item(user, "warning", {"type": "warning", "slug": "chua-chon", "title": "Chưa chọn mức",
                                                   "lang": "vi"})
    db.session.commit()
    page = html.unescape(client.get("/admin/warnings/").get_data(as_text=True))
    for heading in ("Mức độ rủi ro", "Trạng thái", "Xuất bản", "Cập nhật", "Trang công khai"):
        assert f'<th scope="col">{heading}</th>' in page
    live_row = page[page.index("Cảnh báo đang công khai"):]
    live_row = live_row[:live_row.index("</tr>")]
    assert '<span class="risk risk--high">Cao</span>' in live_row and "Đang công khai" in live_row
    assert f'<a href="/canh-bao/{live.slug}">Xem' in live_row
    unset_row = page[page.index("Chưa chọn mức"):]
    unset_row = unset_row[:unset_row.index("</tr>")]
    assert "Chưa chọn" in unset_row and "Chưa công khai" in unset_row and 'href="/canh-bao/' not in unset_row
    assert f'name="item" value="{unset.id}:{unset.version}"' in page


def test_bulk_actions_offered_follow_the_role(app, editor, publisher):
    editor_page = editor[0].get("/admin/warnings/").get_data(as_text=True)
    draft(editor[1])
    editor_page = editor[0].get("/admin/warnings/").get_data(as_text=True)
    options = editor_page[editor_page.index('<select id="action"'):]
    options = options[:options.index("</select>")]
    assert 'value="submit"' in options and 'value="publish"' not in options and 'value="archive"' not in options
    page = publisher[0].get("/admin/warnings/").get_data(as_text=True)
    options = page[page.index('<select id="action"'):]
    options = options[:options.index("</select>")]
    for action in ("submit", "publish", "withdraw", "archive"):
        assert f'value="{action}"' in options
    enforcement, _u = logged_in(app, "enforcement")
    assert enforcement.get("/admin/warnings/").status_code == 403
    assert enforcement.post("/admin/warnings/bulk", data={"action": "archive", "item": ["1:1"]}).status_code == 403


def test_bulk_publish_confirms_then_runs_each_item_through_the_workflow(app, editor, publisher):
    client, user = publisher
    ready = draft(editor[1], title="Bài đủ thông tin")
    incomplete = workflow.create_item(editor[1], "warning", {"type": "warning", "slug": "thieu", "title": "Bài thiếu",
                                                             "lang": "vi"})
    db.session.commit()
    targets = [f"{ready.id}:{ready.version}", f"{incomplete.id}:{incomplete.version}"]

    confirm = client.post("/admin/warnings/bulk", data={"action": "publish", "item": targets})
    assert confirm.status_code == 200
    page = html.unescape(confirm.get_data(as_text=True))
    assert "Xác nhận: xuất bản 2 mục" in page and "Bài đủ thông tin" in page and "Bài thiếu" in page
    assert 'name="confirm" value="1"' in page
    db.session.refresh(ready)
    assert ready.status == "draft"  # nothing happens before the confirmation

    result = client.post("/admin/warnings/bulk", data={"action": "publish", "item": targets, "confirm": "1"})
    assert result.status_code == 200
    page = html.unescape(result.get_data(as_text=True))
    assert "Đã thực hiện 1 mục; chưa thực hiện 1 mục." in page
    refused_row = page[page.index("Bài thiếu"):]
    assert "Còn thiếu thông tin bắt buộc: Tên sản phẩm, Nhóm sản phẩm, Loại nguy cơ, Mức độ rủi ro" in \
        refused_row[:refused_row.index("</tr>")]
    db.session.refresh(ready)
    db.session.refresh(incomplete)
    assert ready.status == "published" and incomplete.status == "draft"
    entries = db.session.execute(db.select(AuditEntry).filter_by(action="warning.publish")).scalars().all()
    assert [(e.item_id, e.actor_id) for e in entries] == [(ready.id, user.id)]


def test_bulk_refuses_a_stale_item_and_keeps_the_others(app, publisher):
    client, user = publisher
    first, second = published(user), published(user)
    opened = {item.id: item.version for item in (first, second)}
    workflow.save_draft(user, second, dict(workflow.working_data(second), summary="Đổi sau khi mở danh sách"),
                        second.version)
    db.session.commit()
    result = client.post("/admin/warnings/bulk", data={
        "action": "archive", "confirm": "1", "reason": "Hết hiệu lực",
        "item": [f"{item_id}:{version}" for item_id, version in opened.items()]})
    page = html.unescape(result.get_data(as_text=True))
    assert "Đã thực hiện 1 mục; chưa thực hiện 1 mục." in page
    assert "vừa được thay đổi (nay là phiên bản" in page
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "archived" and second.status == "published"


def test_bulk_withdraw_needs_a_public_reason(app, publisher):
    client, user = publisher
    item = published(user)
    response = client.post("/admin/warnings/bulk", data={"action": "withdraw", "confirm": "1", "reason": " ",
                                                         "item": [f"{item.id}:{item.version}"]})
    assert response.status_code == 422
    assert "Hãy ghi lý do thu hồi" in html.unescape(response.get_data(as_text=True))
    db.session.refresh(item)
    assert item.status == "published"
    client.post("/admin/warnings/bulk", data={"action": "withdraw", "confirm": "1", "reason": "Nhà sản xuất đã khắc phục",
                                              "item": [f"{item.id}:{item.version}"]})
    db.session.refresh(item)
    assert item.status == "withdrawn" and item.withdrawn_reason == "Nhà sản xuất đã khắc phục"


def test_bad_bulk_input_is_refused_without_a_change(app, publisher):
    client, user = publisher
    item = draft(user)
    for data in ({"action": "publish", "item": ["1; DROP TABLE warning"], "confirm": "1"},
                 {"action": "publish", "confirm": "1"},
                 {"action": "explode", "item": [f"{item.id}:{item.version}"], "confirm": "1"},
                 {"action": "publish", "confirm": "1", "item": [f"{n}:1" for n in range(1, bulk.MAX_ITEMS + 2)]}):
        response = client.post("/admin/warnings/bulk", data=data, headers={"Referer": "https://evil.example/"})
        assert response.status_code == 302 and response.headers["Location"] == "/admin/warnings/"
        assert "evil" not in response.headers["Location"]
    db.session.refresh(item)
    assert item.status == "draft"


def test_the_service_checks_the_role_whatever_the_form_offered(app, editor):
    _client, user = editor
    item = draft(user)
    results = bulk.run(user, "warning", "publish", [(item.id, item.version)])
    assert [(r.ok, r.message) for r in results] == [(False, "Tài khoản của bạn không có quyền thực hiện việc này.")]
    db.session.refresh(item)
    assert item.status == "draft"


def test_bulk_needs_the_csrf_token(tmp_path, database):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": "t", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        user = make_user("editor")
        item = draft(user)
        client = app.test_client()

        def token(url: str) -> str:
            g.pop("csrf_token", None)  # this test's app context outlives requests; the token lives in `g`
            page = client.get(url).get_data(as_text=True)
            return page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

        client.post("/admin/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token("/admin/login")})
        assert client.get("/admin/warnings/").status_code == 200
        data = {"action": "submit", "confirm": "1", "item": [f"{item.id}:{item.version}"]}
        assert client.post("/admin/warnings/bulk", data=data).status_code == 400
        ok = client.post("/admin/warnings/bulk", data={**data, "csrf_token": token("/admin/warnings/")})
        assert ok.status_code == 200, ok.get_data(as_text=True)
        db.session.refresh(item)
        assert item.status == "review"
        db.session.remove()
        db.engine.dispose()


def _statements(client, url: str) -> int:
    client.get(url)
    db.session.remove()
    with count_statements() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_a_list_page_costs_the_same_statements_with_few_or_many_items(app, publisher):
    client, user = publisher

    def add(n: int) -> None:
        for _ in range(n):
            item = published(user)
            workflow.save_draft(user, item, dict(workflow.working_data(item), summary="Bản cập nhật"), item.version)
            db.session.commit()
            draft(user)

    add(2)
    urls = ["/admin/warnings/", "/admin/warnings/?stage=changes", "/admin/warnings/?q=C%E1%BA%A3nh"]
    few = {url: _statements(client, url) for url in urls}
    add(16)  # a full page (30) of items, half of them live with a pending update
    full = {url: _statements(client, url) for url in urls}
    assert few == full
