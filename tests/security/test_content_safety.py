"""Markdown images only from the portal's own media; files created readable by the owner only."""
from __future__ import annotations

import stat

import pytest
from flask_migrate import upgrade
from PIL import Image

from portal import create_app
from portal.content import images
from portal.content.markdown import render_markdown
from portal.content.models import Warning
from portal.content.schema import ContentError, validate
from portal.extensions import db
from tests.admin.helpers import logged_in, make_user
from tests.factories import article_data, create, warning_data

PIXEL = "https://tracker.example/p.gif?id=1"


def test_saving_a_foreign_image_is_refused_with_its_address(app):
    client, _user = logged_in(app, "editor")
    response = client.post("/admin/articles/new", data={
        "title": "Bài có ảnh ngoài", "lang": "vi", "kind": "guide", "body": f"Chữ.\n\n![theo dõi]({PIXEL})"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "nằm trên trang web khác" in page and "https://tracker.example/p.gif?id=1" in page.replace("&amp;", "&")
    assert db.session.execute(db.select(db.func.count()).select_from(Warning)).scalar() == 0


@pytest.mark.parametrize("body", [f"![a]({PIXEL})", f'<img src="{PIXEL}">', "![a](//tracker.example/x.png)",
                                  "![a](data:image/png;base64,AAAA)", "![a](/media/../secret_key)"])
def test_loader_refuses_foreign_images(app, body):
    with pytest.raises(ContentError, match="another site"):
        validate(article_data(body=body))
    with pytest.raises(ContentError, match="another site"):
        validate(warning_data(what_to_do=body))


def test_own_media_images_are_kept(app):
    validate(article_data(body="![Ảnh](/media/0123456789abcdef0123456789abcdef/w640.jpg)"))
    html = str(render_markdown("![Ảnh](/media/0123456789abcdef0123456789abcdef/w640.jpg)"))
    assert 'src="/media/0123456789abcdef0123456789abcdef/w640.jpg"' in html


def test_old_content_loses_foreign_images_at_render(app):
    item = create(article_data(body="Chữ."))
    item.body = f"Chữ cũ.\n\n![theo dõi]({PIXEL})"  # saved before the rule existed
    db.session.commit()
    page = app.test_client().get(f"/huong-dan/{item.slug}").get_data(as_text=True)
    assert "Chữ cũ." in page and "tracker.example" not in page


def test_database_secret_key_and_media_are_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    folder = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": str(folder), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'p.sqlite3'}",
                      "MEDIA_DIR": str(folder / "media")})
    image = tmp_path / "a.png"
    Image.new("RGB", (400, 300), (10, 20, 30)).save(image)
    with app.app_context():
        upgrade()
        editor = make_user("editor")
        with app.test_request_context(), open(image, "rb") as stream:
            images.store_upload(editor, stream, "Ảnh thử")
        db.session.remove()
        db.engine.dispose()
    assert list(folder.joinpath("media").rglob("*.jpg"))
    for path in [folder / "secret_key", folder / "p.sqlite3", *folder.joinpath("media").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
