"""Editors pick tags from the vocabulary in the edit form: checkboxes, checked on save, CSRF and roles kept."""
from __future__ import annotations

import html

from portal import create_app
from portal.content.models import Article
from portal.extensions import db
from tests.admin.helpers import PASSWORD, logged_in, make_user

ARTICLE_FORM = {"title": "Mua sắm an toàn dịp 15/3", "slug": "", "lang": "vi", "kind": "guide",
                "summary": "Lời khuyên ngắn.", "body": "Nội dung.", "published_at": "", "translation_of": "",
                "note": "", "action": "save"}


def articles() -> list[Article]:
    return list(db.session.execute(db.select(Article)).scalars())


def test_the_form_offers_the_vocabulary_as_checkboxes(app):
    client, _ = logged_in(app, "editor")
    page = client.get("/admin/articles/new").get_data(as_text=True)
    block = page[page.index('id="field-tags"'):]
    block = html.unescape(block[:block.index("</fieldset>")])
    assert 'type="checkbox"' in block and 'name="tags"' in block and 'value="15-3"' in block
    assert "Ngày Quyền của người tiêu dùng 15/3" in block and "Khiếu nại" in block
    assert "<legend" in block  # a group of checkboxes with its name, for screen readers


def test_picked_tags_are_saved_and_shown_checked_again(app):
    client, _ = logged_in(app, "editor")
    response = client.post("/admin/articles/new", data={**ARTICLE_FORM, "tags": ["15-3", "khieu-nai"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    [item] = articles()
    assert item.tags == ["15-3", "khieu-nai"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<input checked id="tags-0" name="tags" type="checkbox" value="15-3">' in page
    assert '<input checked id="tags-5" name="tags" type="checkbox" value="khieu-nai">' in page
    assert '<input id="tags-1" name="tags" type="checkbox" value="quyen-nguoi-tieu-dung">' in page


def test_a_tag_outside_the_vocabulary_is_refused_next_to_the_field(app):
    client, _ = logged_in(app, "editor")
    response = client.post("/admin/articles/new", data={**ARTICLE_FORM, "tags": ["15-3", "khong-co-the-nay"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    block = page[page.index('id="field-tags"'):]
    assert "field--error" in page[page.index('id="field-tags"') - 120:page.index('id="field-tags"')]
    assert block.index("field__error") < block.index("</fieldset>")
    assert articles() == []


def test_a_role_that_may_not_write_guides_cannot_tag_one(app):
    client, _ = logged_in(app, "enforcement")
    response = client.post("/admin/articles/new", data={**ARTICLE_FORM, "tags": ["15-3"]})
    assert response.status_code == 403
    assert articles() == []


def _token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]


def test_tag_picking_needs_the_form_token(tmp_path, database):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "inst"), "SECRET_KEY": "t", "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": database, "WTF_CSRF_ENABLED": True})
    with app.app_context():
        make_user("editor")
    # Each request in its own app context, as in a server (flask-wtf keeps the token in g).
    client = app.test_client()
    token = _token(client.get("/admin/login").get_data(as_text=True))
    assert client.post("/admin/login", data={"email": "editor@example.vn", "password": PASSWORD,
                                             "csrf_token": token}).status_code == 302
    assert client.post("/admin/articles/new", data={**ARTICLE_FORM, "tags": ["15-3"]}).status_code == 400
    token = _token(client.get("/admin/articles/new").get_data(as_text=True))
    response = client.post("/admin/articles/new", data={**ARTICLE_FORM, "tags": ["15-3"], "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert [a.tags for a in articles()] == [["15-3"]]
        db.session.remove()
        db.engine.dispose()
