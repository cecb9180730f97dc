"""Drafts with only a title (issue 12): what saves, what submit and publish ask for, the one
preview page, the unset risk level, readable diffs, and the content-file rule for drafts."""
from __future__ import annotations

import html

import pytest

from portal.content import workflow
from portal.content.models import AuditEntry, Revision, Sanction, Warning
from portal.content.loader import dump_item
from portal.content.schema import ContentError, missing_fields, validate
from portal.extensions import db
from tests.admin.helpers import logged_in
from tests.admin.test_editing import WARNING_FORM
from tests.factories import warning_data

TITLE_ONLY = {"title": "Cảnh báo đang soạn", "lang": "vi", "action": "save"}


@pytest.fixture
def editor(app):
    return logged_in(app, "editor")


def only(model):
    return db.session.execute(db.select(model)).scalar_one()


def field_block(page: str, name: str) -> str:
    block = page[page.index(f'id="field-{name}"'):]
    return html.unescape(block[:block.index("</fieldset>") if name == "hazards" else block.index("</div>\n")])


def test_a_warning_draft_saves_with_only_a_title(app, editor):
    client, user = editor
    response = client.post("/admin/warnings/new", data=TITLE_ONLY)
    assert response.status_code == 302
    item = only(Warning)
    assert (item.title, item.status, item.slug) == ("Cảnh báo đang soạn", "draft", "canh-bao-dang-soan")
    assert item.risk_level is None and item.category is None and item.hazards == [] and item.product_name == ""
    revision = db.session.get(Revision, item.latest_revision_id)
    assert revision.author_id == user.id and revision.data["workflow"] == "draft"
    assert revision.data.get("risk_level") is None
    assert db.session.execute(db.select(AuditEntry).filter_by(action="warning.create")).scalar_one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu (phiên bản 1)" in page


def test_a_sanction_draft_saves_with_only_a_title(app):
    client, _user = logged_in(app, "enforcement")
    response = client.post("/admin/sanctions/new", data={**TITLE_ONLY, "title": "Xử phạt đang soạn",
                                                         "subject_kind": "enterprise", "violation_kind": "other",
                                                         "compliance": "pending", "decision_authority": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    item = only(Sanction)
    assert item.decision_date is None and item.fine_vnd is None and item.subject_name == ""
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="fine_vnd" type="text" value=""' in page  # unset stays empty, not "0"


def test_the_risk_level_is_unset_until_chosen(app, editor):
    client, _ = editor
    page = client.get("/admin/warnings/new").get_data(as_text=True)
    assert "(cần khi gửi duyệt)" in field_block(page, "product_name")  # needed for review, not for a draft
    assert "(cần khi gửi duyệt)" not in field_block(page, "title")
    select = page[page.index('<select id="risk_level"'):]
    select = select[:select.index("</select>")]
    assert '<option selected value="">— Chọn mức độ —</option>' in select
    assert '<option value="serious">' in select and "selected" not in select.split("</option>", 1)[1]
    client.post("/admin/warnings/new", data=TITLE_ONLY)
    item = only(Warning)
    page = client.get(f"/admin/warnings/{item.id}").get_data(as_text=True)
    assert '<option selected value="">— Chọn mức độ —</option>' in page


def test_submit_keeps_the_draft_and_names_every_missing_field(app, editor):
    client, _ = editor
    response = client.post("/admin/warnings/new", data={**TITLE_ONLY, "product_brand": "Hiệu Mẫu",
                                                         "action": "submit"})
    assert response.status_code == 422
    item = only(Warning)
    assert item.status == "draft" and item.brand == "Hiệu Mẫu"  # saved, not submitted
    page = html.unescape(response.get_data(as_text=True))
    assert "Đã lưu bản nháp (phiên bản 1) nhưng chưa gửi duyệt được." in page
    assert "Còn thiếu thông tin bắt buộc: Tên sản phẩm, Nhóm sản phẩm, Loại nguy cơ, Mức độ rủi ro." in page
    for name in ("product_name", "category", "risk_level", "hazards"):
        assert "Trường này là bắt buộc." in field_block(page, name), name
    assert f'name="version" type="hidden" value="{item.version}"' in page  # the next save is not stale

    response = client.post(f"/admin/warnings/{item.id}", data={**WARNING_FORM, "version": str(item.version),
                                                              "action": "submit"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == "review" and item.risk_level == "serious"


def test_the_services_refuse_an_incomplete_draft(app, editor):
    _client, user = editor
    _pc, publisher = logged_in(app, "publisher")
    item = workflow.create_item(user, "warning", {"type": "warning", "slug": "nhap", "title": "Nháp", "lang": "vi",
                                                  "category": "toys", "hazards": []})
    db.session.commit()
    with pytest.raises(workflow.Incomplete) as refused:
        workflow.submit_for_review(user, item, item.version)
    assert refused.value.fields == ["product.name", "hazards", "risk_level"]
    db.session.rollback()
    with pytest.raises(workflow.Incomplete) as refused:
        workflow.publish(publisher, item, item.version)
    assert refused.value.fields == ["product.name", "hazards", "risk_level"]
    db.session.rollback()
    assert db.session.get(Warning, item.id).status == "draft"


def test_stale_saves_of_a_title_only_draft_are_still_refused(app, editor):
    client, _ = editor
    client.post("/admin/warnings/new", data=TITLE_ONLY)
    item = only(Warning)
    opened_at = item.version
    assert client.post(f"/admin/warnings/{item.id}", data={**TITLE_ONLY, "version": str(opened_at),
                                                          "summary": "Lần một"}).status_code == 302
    response = client.post(f"/admin/warnings/{item.id}", data={**TITLE_ONLY, "version": str(opened_at),
                                                              "summary": "Lần hai, từ trang cũ"})
    assert response.status_code == 409
    db.session.refresh(item)
    assert item.summary == "Lần một"


def test_the_preview_lists_what_is_missing_and_offers_the_role_s_steps(app, editor):
    client, _ = editor
    publisher_client, _p = logged_in(app, "publisher")
    response = client.post("/admin/warnings/new", data={**TITLE_ONLY, "action": "preview"})
    item = only(Warning)
    assert response.headers["Location"] == f"/admin/warnings/{item.id}/preview"
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    missing = page[page.index('id="h-missing"'):]
    missing = missing[:missing.index("</section>")]
    for label in ("Tên sản phẩm", "Nhóm sản phẩm", "Loại nguy cơ", "Mức độ rủi ro"):
        assert f"<li>{label}</li>" in missing
    assert f'action="/admin/warnings/{item.id}/submit"' in page
    assert f'action="/admin/warnings/{item.id}/publish"' not in page
    publisher_page = publisher_client.get(f"/admin/warnings/{item.id}/preview").get_data(as_text=True)
    assert f'action="/admin/warnings/{item.id}/publish"' in publisher_page

    refused = publisher_client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version)},
                                    follow_redirects=True)
    assert "Còn thiếu thông tin bắt buộc: Tên sản phẩm" in html.unescape(refused.get_data(as_text=True))
    db.session.refresh(item)
    assert item.status == "draft"
    submitted = client.post(f"/admin/warnings/{item.id}/submit", data={"version": str(item.version)},
                            follow_redirects=True)
    assert "Còn thiếu thông tin bắt buộc" in html.unescape(submitted.get_data(as_text=True))


def test_the_editor_cannot_publish_through_the_service(app, editor):
    client, _ = editor
    client.post("/admin/warnings/new", data={**WARNING_FORM, "action": "save"})
    item = only(Warning)
    response = client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(item.version)})
    assert response.status_code == 403
    db.session.refresh(item)
    assert item.status == "draft"


def test_diffs_show_dates_and_labels_not_codes(app, editor):
    client, _ = editor
    client.post("/admin/warnings/new", data={**WARNING_FORM, "published_at": "2026-03-14T08:30"})
    item = only(Warning)
    client.post(f"/admin/warnings/{item.id}", data={**WARNING_FORM, "version": str(item.version), "risk_level": "high",
                                                     "category": "toys", "published_at": "2026-03-15T09:00"})
    db.session.refresh(item)
    page = html.unescape(client.get(f"/admin/warnings/{item.id}/revisions/{item.latest_revision_id}")
                         .get_data(as_text=True))
    diff = page[page.index('<dl class="diff">'):]
    diff = diff[:diff.index("</dl>")]
    assert "08:30, 14/03/2026" in diff and "09:00, 15/03/2026" in diff
    assert "Nghiêm trọng" in diff and "Cao" in diff and "Đồ chơi" in diff
    for code in ("serious", "high", "electrical", "toys", "2026-03-14T"):
        assert code not in diff, code


def test_a_content_file_draft_may_be_incomplete_a_published_one_may_not():
    draft = {"type": "warning", "slug": "nhap", "title": "Nháp", "lang": "vi", "workflow": "draft"}
    clean = validate(draft)
    assert clean["risk_level"] is None and clean["category"] is None and clean["hazards"] == []
    assert missing_fields(clean) == ["product.name", "category", "hazards", "risk_level"]
    with pytest.raises(ContentError) as refused:
        validate(dict(draft, risk_level="apocalyptic"))  # what a draft gives is still checked
    assert refused.value.field == "risk_level"
    published = warning_data()
    del published["risk_level"]
    with pytest.raises(ContentError) as refused:
        validate(published)
    assert refused.value.field == "risk_level"
    with pytest.raises(ContentError):
        validate(dict(draft, workflow="review"))


@pytest.mark.parametrize("kind,role", [("warning", "editor"), ("article", "editor"), ("sanction", "enforcement")])
def test_the_preview_of_a_title_only_draft_renders(app, caplog, kind, role):
    client, _user = logged_in(app, role)
    extra = {"subject_kind": "enterprise", "violation_kind": "other", "compliance": "pending",
             "decision_authority": "", "kind": "guide"}
    response = client.post(f"/admin/{kind}s/new", data={**TITLE_ONLY, **extra, "action": "preview"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "Cảnh báo đang soạn" in text and "None" not in text
    assert ("fallback-preview" in text) == (kind != "article")  # an article needs only its title
    assert "fell back" not in caplog.text  # an incomplete draft is shown plainly on purpose, not by accident


def test_a_dumped_incomplete_draft_loads_back(app, editor, tmp_path, runner):
    client, _ = editor
    client.post("/admin/warnings/new", data={**TITLE_ONLY, "product_brand": "Hiệu Mẫu"})
    item = only(Warning)
    text = dump_item(item)
    assert "workflow: draft" in text and "risk_level" not in text
    path = tmp_path / "warnings" / "nhap.md"
    path.parent.mkdir()
    path.write_text(text.replace(item.slug, "ban-nhap-tu-tep"), encoding="utf-8")
    result = runner.invoke(args=["content", "load", str(path)])
    assert result.exit_code == 0, result.output
    loaded = db.session.execute(db.select(Warning).filter_by(slug="ban-nhap-tu-tep")).scalar_one()
    assert loaded.status == "draft" and loaded.risk_level is None and loaded.brand == "Hiệu Mẫu"
