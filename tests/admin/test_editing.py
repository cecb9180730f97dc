"""The edit forms in the browser's shoes: every field, validation, preview, stale saves, uploads."""
from __future__ import annotations

import html
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from PIL import Image

from portal import create_app
from portal.content import workflow
from portal.content.models import (
    AuditEntry,
    OldSlug,
    Revision,
    Sanction,
    Warning,
    utcnow,
)
from portal.extensions import db
from tests.admin.helpers import PASSWORD, logged_in, login, make_user
from tests.factories import sanction_data, warning_data

WARNING_FORM = {
    "title": "Nồi cơm điện Hiệu Mẫu có nguy cơ gây cháy", "slug": "", "lang": "vi", "summary": "Dây nguồn quá nhiệt.",
    "body": "## Mô tả\n\nDây nguồn **quá nhiệt** khi nấu lâu.<script>alert(1)</script>",
    "what_to_do": "Ngừng sử dụng và mang tới cửa hàng để đổi.", "tags": ["an-toan-san-pham", "thu-hoi"],
    "category": "electrical", "hazards": ["fire", "burns"], "risk_level": "serious",
    "product_name": "Nồi cơm điện NC-18", "product_brand": "Hiệu Mẫu", "product_model": "NC-18",
    "product_barcodes": "8931234567890\n8931234567891", "product_batches": "LOT 2025-01\nLOT 2025-02",
    "product_production_dates": "01/2025 – 03/2025", "product_origin_country": "Việt Nam",
    "manufacturer": "Công ty Mẫu", "importer": "", "seller": "Siêu thị Mẫu", "units": "1.200 chiếc",
    "measures-0-type": "recall", "measures-0-kind": "voluntary", "measures-0-by": "Công ty Mẫu",
    "measures-1-type": "", "measures-1-kind": "voluntary", "measures-1-by": "",
    "source_authority": "Sở Công Thương Hải Phòng", "source_reference": "CB-2026-014",
    "source_url": "https://example.org/cb-2026-014", "source_language": "vi", "change_note": "",
    "published_at": "", "translation_of": "", "note": "",
}


def png_upload(size=(900, 600)) -> tuple[io.BytesIO, str]:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer, "anh-noi-com.png"


@pytest.fixture
def editor(app):
    return logged_in(app, "editor")


def only_warning() -> Warning:
    return db.session.execute(db.select(Warning)).scalar_one()


def test_a_new_warning_covers_every_field(app, editor):
    client, user = editor
    response = client.post("/admin/warnings/new", data={
        **WARNING_FORM, "new_image": png_upload(), "new_image_alt": "Nồi cơm điện NC-18 màu trắng",
        "action": "save"}, content_type="multipart/form-data")
    assert response.status_code == 302
    item = only_warning()
    assert response.headers["Location"] == f"/admin/warnings/{item.id}"
    assert item.slug == "noi-com-dien-hieu-mau-co-nguy-co-gay-chay" and item.status == "draft"
    assert item.hazards == ["fire", "burns"] and item.barcodes == ["8931234567890", "8931234567891"]
    assert item.batches == ["LOT 2025-01", "LOT 2025-02"] and item.tags == ["an-toan-san-pham", "thu-hoi"]
    assert item.measures == [{"type": "recall", "kind": "voluntary", "by": "Công ty Mẫu"}]
    assert (item.source_reference, item.seller, item.units) == ("CB-2026-014", "Siêu thị Mẫu", "1.200 chiếc")
    assert item.images[0]["alt"] == "Nồi cơm điện NC-18 màu trắng" and item.images[0]["width"] == 640
    assert "w640.webp 640w" in item.images[0]["renditions"]["webp"]
    revision = db.session.get(Revision, item.latest_revision_id)
    assert revision.author_id == user.id and revision.data["product"]["model"] == "NC-18"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu (phiên bản 1)" in page and "Nồi cơm điện NC-18 màu trắng" in page


def test_validation_messages_are_vietnamese_and_next_to_the_field(app, editor):
    client, _ = editor
    bad = {**WARNING_FORM, "title": "", "product_name": "", "hazards": [], "product_barcodes": "12AB",
           "source_url": "ftp://x", "slug": "Có Dấu", "action": "save"}
    response = client.post("/admin/warnings/new", data=bad)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # Product name and hazards may be empty in a draft (issue 12); submitting asks for them (test_drafts.py).
    for field, message in [("title", "Trường này là bắt buộc."),
                           ("product_barcodes", "Mã vạch chỉ gồm chữ số"),
                           ("source_url", "Địa chỉ phải bắt đầu bằng http:// hoặc https://."),
                           ("slug", "Chỉ dùng chữ thường không dấu")]:
        block = page[page.index(f'id="field-{field}"'):]
        block = block[:block.index("</div>\n")]
        assert message in html.unescape(block), field
    assert 'aria-invalid="true"' in page
    assert 'value="Hiệu Mẫu"' in page  # what was typed stays in the form
    assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0


def test_preview_saves_and_leads_to_the_one_preview_page(app, editor):
    # Issue 12 changed this: the edit form's preview no longer renders an unsaved inline preview;
    # it saves the draft and opens the preview page, which leads on to submitting.
    client, _ = editor
    response = client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "preview"})
    item = only_warning()
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/warnings/{item.id}/preview"
    assert item.status == "draft" and item.version == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<iframe class="preview__frame"' in page and 'sandbox="allow-same-origin"' in page
    frame = html.unescape(page.split('srcdoc="', 1)[1].split('"></iframe>', 1)[0])
    assert "<h1>Nồi cơm điện Hiệu Mẫu có nguy cơ gây cháy</h1>" in frame
    assert "Người tiêu dùng cần làm gì" in frame  # the public warning template itself
    assert "<strong>quá nhiệt</strong>" in frame and "<script>alert(1)</script>" not in frame
    assert "8931234567891" in frame
    assert f'action="/admin/warnings/{item.id}/submit"' in page  # an editor may submit, not publish
    assert f'action="/admin/warnings/{item.id}/publish"' not in page


def test_add_measure_row_without_javascript(app, editor):
    client, _ = editor
    response = client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "add-measure",
                                                          "measures-1-type": "sales-ban", "measures-1-by": "Sở"})
    page = response.get_data(as_text=True)
    assert 'name="measures-2-type"' in page and 'name="measures-3-type"' not in page
    assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0


def test_stale_save_is_refused_and_the_text_kept(app, editor):
    client, _ = editor
    other_client, other = logged_in(app, "publisher", "nguoi-khac@example.vn")
    client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "save"})
    item = only_warning()
    opened_at = item.version
    other_client.post(f"/admin/warnings/{item.id}", data={
        **WARNING_FORM, "version": str(opened_at), "body": "Bản của người khác.", "action": "save"})
    db.session.refresh(item)
    assert item.version == opened_at + 1

    mine = "Đoạn tôi viết suốt một giờ, không được phép mất."
    response = client.post(f"/admin/warnings/{item.id}", data={
        **WARNING_FORM, "version": str(opened_at), "body": mine, "action": "save"})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "Chưa lưu: bài đã có phiên bản mới hơn" in page and "nguoi-khac@example.vn" in page
    assert mine in page  # the refused text is shown for merging by hand
    assert f'name="version" type="hidden" value="{item.version}"' in page  # the form is now the newest version
    db.session.refresh(item)
    assert item.body == "Bản của người khác."
    entry = db.session.execute(db.select(AuditEntry).filter_by(action="edit.refused_stale")).scalar_one()
    assert entry.detail["refused"]["body"] == mine


def test_a_published_warning_edit_waits_for_its_change_note(app, editor):
    client, _ = editor
    publisher_client, publisher = logged_in(app, "publisher")
    client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "submit"})
    item = only_warning()
    assert item.status == "review"
    page = publisher_client.get(f"/admin/warnings/{item.id}/preview").get_data(as_text=True)
    assert "Xuất bản" in page and "Trả lại để sửa" in page
    response = publisher_client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version)})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == "published"
    assert client.get(f"/canh-bao/{item.slug}").status_code == 200

    client.post(f"/admin/warnings/{item.id}", data={
        **WARNING_FORM, "version": str(item.version), "units": "2.400 chiếc", "action": "submit"})
    db.session.refresh(item)
    assert item.units == "1.200 chiếc" and workflow.pending_stage(item) == "review"
    preview = publisher_client.get(f"/admin/warnings/{item.id}/preview").get_data(as_text=True)
    assert "Thay đổi so với bản đang công khai" in preview and "2.400 chiếc" in preview
    publisher_client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version)})
    db.session.refresh(item)
    assert item.units == "1.200 chiếc"  # refused: no change note
    publisher_client.post(f"/admin/warnings/{item.id}/publish", data={
        "version": str(item.version), "change_note": "Số sản phẩm bị ảnh hưởng tăng lên 2.400."})
    db.session.refresh(item)
    assert item.units == "2.400 chiếc" and item.change_note == "Số sản phẩm bị ảnh hưởng tăng lên 2.400."


def test_slug_change_redirects_the_old_public_address(app, editor):
    client, _ = editor
    publisher_client, _p = logged_in(app, "publisher")
    client.post("/admin/warnings/new", data={**WARNING_FORM, "slug": "dia-chi-cu", "action": "save"})
    item = only_warning()
    publisher_client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version)})
    db.session.refresh(item)
    client.post(f"/admin/warnings/{item.id}", data={**WARNING_FORM, "slug": "dia-chi-moi",
                                                     "version": str(item.version), "action": "save"})
    db.session.refresh(item)
    publisher_client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version),
                                                                       "change_note": "Đổi địa chỉ trang."})
    response = client.get("/canh-bao/dia-chi-cu")
    assert response.status_code == 301 and response.headers["Location"].endswith("/canh-bao/dia-chi-moi")
    assert db.session.execute(db.select(OldSlug.slug)).scalars().all() == ["dia-chi-cu"]


def test_restore_from_history_page(app, editor):
    client, _ = editor
    client.post("/admin/warnings/new", data={**WARNING_FORM, "body": "Bản một.", "action": "save"})
    item = only_warning()
    first = item.latest_revision_id
    client.post(f"/admin/warnings/{item.id}", data={**WARNING_FORM, "body": "Bản hai.", "version": "1",
                                                     "action": "save"})
    history = client.get(f"/admin/warnings/{item.id}/history").get_data(as_text=True)
    assert "Phiên bản 2" in history and "editor@example.vn" in history
    diff = client.get(f"/admin/warnings/{item.id}/revisions/{first + 1}").get_data(as_text=True)
    assert "Bản một." in diff and "Bản hai." in diff and "diff__add" in diff
    response = client.post(f"/admin/warnings/{item.id}/revisions/{first}/restore", data={"version": "2"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.body == "Bản một." and item.version == 3
    assert db.session.get(Revision, item.latest_revision_id).action == "restore"


def test_bad_upload_in_the_form_is_refused_with_a_message(app, editor):
    client, _ = editor
    fake = (io.BytesIO(b"GIF89a not really"), "anh.jpg")
    response = client.post("/admin/warnings/new", data={**WARNING_FORM, "new_image": fake,
                                                          "new_image_alt": "Ảnh", "action": "save"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Chỉ nhận ảnh JPEG, PNG hoặc WebP" in html.unescape(response.get_data(as_text=True))
    assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0
    media = Path(app.config["MEDIA_DIR"])
    assert not media.exists() or not any(media.iterdir())


def test_a_request_over_the_size_limit_gets_a_vietnamese_page(app, editor):
    client, _ = editor
    body = (b"--b\r\nContent-Disposition: form-data; name=\"new_image\"; filename=\"to.jpg\"\r\n"
            b"Content-Type: image/jpeg\r\n\r\n" + b"0" * (13 * 1024 * 1024) + b"\r\n--b--\r\n")
    response = client.post("/admin/warnings/new", data=body, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert "quá lớn" in response.get_data(as_text=True)
    media = Path(app.config["MEDIA_DIR"])
    assert not media.exists() or not any(media.iterdir())


def test_upload_without_alt_is_refused(app, editor):
    client, _ = editor
    response = client.post("/admin/warnings/new", data={**WARNING_FORM, "new_image": png_upload(),
                                                          "new_image_alt": "", "action": "save"},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "mô tả ảnh (alt)" in html.unescape(response.get_data(as_text=True))


def test_image_rows_cannot_point_outside_the_media_folder(app, editor):
    client, _ = editor
    response = client.post("/admin/warnings/new", data={**WARNING_FORM, "images-0-src": "https://evil.example/x.jpg",
                                                          "images-0-alt": "x", "action": "save"})
    assert response.status_code == 422
    assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0


def test_csrf_is_enforced(tmp_path, database):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": "t", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        make_user("editor")
        client = app.test_client()
        assert client.post("/admin/login", data={"email": "editor@example.vn", "password": PASSWORD}).status_code == 400
        page = client.get("/admin/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        response = client.post("/admin/login", data={"email": "editor@example.vn", "password": PASSWORD,
                                                      "csrf_token": token})
        assert response.status_code == 302
        assert client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "save"}).status_code == 400
        assert client.post("/admin/logout").status_code == 400
        assert db.session.execute(db.select(db.func.count(Warning.id))).scalar_one() == 0
        db.session.remove()
        db.engine.dispose()


def test_sanction_form_defaults_to_thirty_days_online(app):
    client, _ = logged_in(app, "enforcement")
    response = client.post("/admin/sanctions/new", data={
        "title": "Xử phạt cửa hàng trực tuyến A", "lang": "vi", "subject_name": "Cửa hàng A",
        "subject_kind": "household-business", "subject_tax_code": "0201234567", "subject_ward": "Phường Hồng Bàng",
        "violation": "Không công khai thông tin người bán.", "violation_kind": "trader-information",
        "decision_number": "12/QĐ-XPHC", "decision_date": "2026-11-20", "decision_authority": "Sở Công Thương",
        "fine_vnd": "7.500.000", "compliance": "pending", "online": "y", "action": "save"})
    assert response.status_code == 302, response.get_data(as_text=True)
    item = db.session.execute(db.select(Sanction)).scalar_one()
    assert item.fine_vnd == 7_500_000 and item.online and item.owner_org == "so-cong-thuong"
    assert timedelta(days=29, hours=23) < item.published_until - utcnow() <= timedelta(days=30)
    page = client.get(f"/admin/sanctions/{item.id}").get_data(as_text=True)
    assert 'value="7.500.000"' in page


def test_dashboard_queues(app):
    client, officer = logged_in(app, "enforcement")
    publisher = make_user("publisher")
    soon = workflow.record_sanction(officer, {**sanction_data(published_until=None), "published_at": None,
                                              "published_until": (utcnow() + timedelta(days=3)).isoformat()})
    workflow.publish(officer, soon, soon.version)
    later = workflow.record_sanction(officer, {**sanction_data(), "published_at": None,
                                               "published_until": (utcnow() + timedelta(days=20)).isoformat()})
    workflow.publish(officer, later, later.version)
    db.session.commit()
    page = client.get("/admin/").get_data(as_text=True)
    expiring = page[page.index('id="h-expiring"'):page.index('id="h-scheduled"')]
    assert soon.subject_name in expiring and later.subject_name not in expiring

    editor_client, editor = logged_in(app, "editor")
    waiting = workflow.create_item(editor, "warning", {**warning_data(), "published_at": None})
    workflow.submit_for_review(editor, waiting, waiting.version)
    planned = workflow.create_item(editor, "warning", {**warning_data(), "published_at": None})
    workflow.schedule(publisher, planned, utcnow() + timedelta(days=2), planned.version)
    db.session.commit()
    page = editor_client.get("/admin/").get_data(as_text=True)
    assert waiting.title in page[page.index('id="h-review"'):page.index('id="h-scheduled"')]
    assert planned.title in page[page.index('id="h-scheduled"'):page.index('id="h-drafts"')]
    assert "Chờ duyệt" in page and "sắp hết hạn" not in page  # editors do not see enforcement queues
    with time_machine.travel(utcnow() + timedelta(days=3)):
        login(editor_client, editor)  # sessions last 12 hours (issue 10): log in again three days later
        page = editor_client.get("/admin/").get_data(as_text=True)
        assert planned.title not in page[page.index('id="h-scheduled"'):page.index('id="h-drafts"')]


def test_list_filters_and_search(app, editor):
    client, user = editor
    draft = workflow.create_item(user, "warning", {**warning_data(title="Cảnh báo bình nước"), "published_at": None})
    workflow.create_item(user, "warning", {**warning_data(title="Cảnh báo mũ bảo hiểm"), "published_at": None})
    db.session.commit()
    page = client.get("/admin/warnings/?q=bình nước&stage=draft").get_data(as_text=True)
    assert draft.title in page and "mũ bảo hiểm" not in page
    assert "bình nước" not in client.get("/admin/warnings/?stage=published").get_data(as_text=True)
    assert client.get("/admin/warnings/?page=abc&stage=nonsense&q=%25_").status_code == 200
    other_client, other = logged_in(app, "publisher")
    workflow.create_item(other, "warning", {**warning_data(title="Cảnh báo của người khác"), "published_at": None})
    db.session.commit()
    mine = client.get("/admin/warnings/?mine=1").get_data(as_text=True)
    assert draft.title in mine and "Cảnh báo của người khác" not in mine


def test_audit_log_browse_and_filter(app):
    client, admin = logged_in(app, "admin")
    make_user("editor")
    app.test_client().post("/admin/login", data={"email": "editor@example.vn", "password": "sai-mat-khau-roi"})
    page = client.get("/admin/audit?action=login.failed").get_data(as_text=True)
    assert "Đăng nhập thất bại" in page and "editor@example.vn" in page
    page = client.get("/admin/audit?actor=admin@").get_data(as_text=True)
    assert "Đăng nhập thất bại" not in page and "Đăng nhập" in page
    assert client.get("/admin/audit?since=bad&until=2026-13-45&item_id=x&page=-1").status_code == 200


def test_admin_manages_users_but_not_themselves(app):
    client, admin = logged_in(app, "admin")
    response = client.post("/admin/users/new", data={"email": "moi@example.vn", "role": "publisher",
                                                     "org": "newsroom", "password": "ngan"})
    assert response.status_code == 422 and "ít nhất 12 ký tự" in response.get_data(as_text=True)
    client.post("/admin/users/new", data={"email": "moi@example.vn", "role": "publisher", "org": "newsroom",
                                          "password": "mat-khau-moi-du-dai"})
    response = client.post(f"/admin/users/{admin.id}", data={"role": "admin", "org": "newsroom"})
    assert response.status_code == 422 and "tự khóa" in response.get_data(as_text=True)
    actions = db.session.execute(db.select(AuditEntry.action).where(AuditEntry.action.like("user.%"))).scalars().all()
    assert sorted(actions) == ["user.2fa.enable", "user.create", "user.create"]  # and the admin's second factor
