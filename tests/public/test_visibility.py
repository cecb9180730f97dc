"""What the public may see: publication windows, scheduling, demo data, sanitised Markdown."""
from __future__ import annotations

from tests.factories import _when, article_data, create, sanction_data, warning_data


def text(response) -> str:
    return response.get_data(as_text=True)


def test_sanction_publication_window(client):
    before = create(sanction_data(subject={"name": "Chưa đến hạn", "kind": "enterprise"},
                                  published_at=_when(-1), published_from=_when(2), published_until=_when(30)))
    inside = create(sanction_data(subject={"name": "Đang công khai", "kind": "enterprise"}))
    after = create(sanction_data(subject={"name": "Đã hết hạn", "kind": "enterprise"},
                                 published_at=_when(-60), published_until=_when(-30)))

    assert client.get(f"/xu-ly-vi-pham/{before.slug}").status_code == 404
    assert client.get(f"/xu-ly-vi-pham/{inside.slug}").status_code == 200
    gone = client.get(f"/xu-ly-vi-pham/{after.slug}")
    assert gone.status_code == 410
    assert "Thông tin không còn được công khai" in text(gone) and "thời hạn pháp luật quy định" in text(gone)
    gone_en = client.get(f"/en/enforcement/{after.slug}")
    assert gone_en.status_code == 410 and "public only for the period the law sets" in text(gone_en)

    for url in ("/", "/en/", "/xu-ly-vi-pham", "/en/enforcement", "/xu-ly-vi-pham?year=2026"):
        page = text(client.get(url))
        assert "Đang công khai" in page, url
        assert "Chưa đến hạn" not in page and "Đã hết hạn" not in page, url


def test_demo_sanctions_hidden_when_demo_content_is_off(app, client):
    demo = create(sanction_data(subject={"name": "Cơ sở minh họa", "kind": "enterprise"}, demo=True))
    app.config["PORTAL_DEMO_CONTENT"] = False
    assert "Cơ sở minh họa" not in text(client.get("/xu-ly-vi-pham"))
    assert client.get(f"/xu-ly-vi-pham/{demo.slug}").status_code == 404


def test_scheduled_and_draft_items_are_not_public(client):
    scheduled = create(warning_data(title="Cảnh báo hẹn giờ", published_at=_when(1)))
    draft = create(article_data(title="Bản nháp", workflow="draft", published_at=None))
    assert client.get(f"/canh-bao/{scheduled.slug}").status_code == 404
    assert client.get(f"/huong-dan/{draft.slug}").status_code == 404
    assert "Cảnh báo hẹn giờ" not in text(client.get("/canh-bao"))
    assert "Bản nháp" not in text(client.get("/huong-dan"))


DANGEROUS = """Đoạn an toàn.

<script>alert('xss')</script>

[Bấm vào đây](javascript:alert(1))

<img src="/media/0123456789abcdef0123456789abcdef/w320.jpg" onerror="alert(2)" alt="ảnh">

<a href="https://example.org" onclick="alert(3)">liên kết</a>
"""


def test_markdown_is_sanitised_on_every_item_page(client):
    items = {
        "/canh-bao/": create(warning_data(body=DANGEROUS, what_to_do=DANGEROUS)),
        "/huong-dan/": create(article_data(body=DANGEROUS)),
        "/xu-ly-vi-pham/": create(sanction_data(body=DANGEROUS)),
    }
    for prefix, item in items.items():
        page = text(client.get(prefix + item.slug))
        assert "Đoạn an toàn." in page, prefix
        assert "<script>alert" not in page and "javascript:" not in page, prefix
        assert "onerror" not in page and "onclick" not in page, prefix
        assert 'href="https://example.org"' in page, prefix


def test_source_link_must_be_http(client, app):
    warning = create(warning_data())
    warning.source_url = "javascript:alert(1)"  # as if an editor form let it through
    from portal.extensions import db

    db.session.commit()
    assert "javascript:" not in text(client.get(f"/canh-bao/{warning.slug}"))


def test_titles_are_escaped_everywhere_including_json_ld(client):
    title = 'Cảnh báo </script><script>alert(1)</script> "quote"'
    warning = create(warning_data(title=title, summary=title))
    for url in ("/", "/canh-bao", f"/canh-bao/{warning.slug}", f"/en/warnings/{warning.slug}"):
        page = text(client.get(url))
        assert "<script>alert(1)" not in page, url
