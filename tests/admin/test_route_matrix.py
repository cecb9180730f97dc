"""Every admin route × {anonymous, editor, publisher, enforcement, admin}: who gets what."""
from __future__ import annotations

import re

import pytest

from portal.content import workflow
from portal.extensions import db
from tests.admin.helpers import login, make_user
from tests.factories import article_data, sanction_data, warning_data

ROLES = ("anonymous", "editor", "publisher", "enforcement", "admin")
E, P, S, A = "editor", "publisher", "enforcement", "admin"
EDITORIAL = {E, P}

# (method, url template, roles allowed, status when allowed)
ROUTES = [
    ("GET", "/admin/", {E, P, S, A}, 200),
    ("GET", "/admin/warnings/", EDITORIAL, 200),
    ("GET", "/admin/articles/?stage=published&q=a", EDITORIAL, 200),
    ("GET", "/admin/sanctions/", {S}, 200),
    ("GET", "/admin/warnings/new", EDITORIAL, 200),
    ("GET", "/admin/articles/new", EDITORIAL, 200),
    ("GET", "/admin/sanctions/new", {S}, 200),
    ("POST", "/admin/articles/new", EDITORIAL, 302),
    ("POST", "/admin/sanctions/new", {S}, 302),
    ("GET", "/admin/warnings/{review}", EDITORIAL, 200),
    ("POST", "/admin/warnings/{review}", EDITORIAL, 302),
    ("GET", "/admin/warnings/{review}/preview", EDITORIAL, 200),
    ("GET", "/admin/warnings/{review}/history", EDITORIAL, 200),
    ("GET", "/admin/warnings/{review}/revisions/{review_rev}", EDITORIAL, 200),
    ("POST", "/admin/warnings/{review}/revisions/{review_rev}/restore", EDITORIAL, 302),
    ("POST", "/admin/warnings/{review}/publish", {P}, 302),
    ("POST", "/admin/warnings/{review}/return", {P}, 302),
    ("POST", "/admin/articles/{draft}/submit", EDITORIAL, 302),
    ("GET", "/admin/warnings/{live}/withdraw", {P}, 200),
    ("POST", "/admin/warnings/{live}/withdraw", {P}, 302),
    ("GET", "/admin/articles/{live_article}/archive", {P}, 200),
    ("POST", "/admin/articles/{live_article}/archive", {P}, 302),
    ("GET", "/admin/sanctions/{sanction}", {S}, 200),
    ("GET", "/admin/sanctions/{sanction}/preview", {S}, 200),
    ("POST", "/admin/sanctions/{sanction}/publish", {S}, 302),
    ("POST", "/admin/sanctions/{sanction}/archive", {S}, 302),
    ("GET", "/admin/users/", {A}, 200),
    ("GET", "/admin/users/new", {A}, 200),
    ("POST", "/admin/users/new", {A}, 302),
    ("GET", "/admin/users/{editor_id}", {A}, 200),
    ("POST", "/admin/users/{editor_id}", {A}, 302),
    ("GET", "/admin/audit?action=login&since=2020-01-01", {A}, 200),
]


@pytest.fixture
def world(app):
    users = {role: make_user(role) for role in (E, P, S, A)}
    editor, publisher, officer = users[E], users[P], users[S]
    review = workflow.create_item(editor, "warning", {**warning_data(), "published_at": None})
    workflow.submit_for_review(editor, review, review.version)
    draft = workflow.create_item(editor, "article", {**article_data(), "published_at": None})
    live = workflow.create_item(editor, "warning", {**warning_data(), "published_at": None})
    workflow.publish(publisher, live, live.version)
    live_article = workflow.create_item(editor, "article", {**article_data(), "published_at": None})
    workflow.publish(publisher, live_article, live_article.version)
    sanction = workflow.record_sanction(officer, {**sanction_data(), "published_at": None})
    db.session.commit()
    first_revision = review.latest_revision_id - 1
    return {"users": users, "ids": {
        "review": review.id, "review_rev": first_revision, "draft": draft.id, "live": live.id,
        "live_article": live_article.id, "sanction": sanction.id, "editor_id": editor.id,
    }, "versions": {"review": review.version, "draft": draft.version, "live": live.version,
                    "live_article": live_article.version, "sanction": sanction.version}}


def form_for(url: str, world) -> dict:
    """A valid body for each POST (``url`` is the template), so an allowed role really succeeds."""
    if url.endswith("/admin/articles/new"):
        return {"title": "Bài mới trong ma trận", "lang": "vi", "kind": "guide", "body": "Nội dung."}
    if url.endswith("/admin/sanctions/new"):
        return {"title": "Xử phạt mới", "lang": "vi", "subject_name": "Cửa hàng A", "subject_kind": "enterprise",
                "violation": "Bán hàng giả.", "violation_kind": "counterfeit", "decision_number": "1/QĐ-XPHC",
                "decision_date": "2026-11-01", "decision_authority": "Sở Công Thương", "fine_vnd": "5.000.000",
                "compliance": "pending", "online": "y"}
    if url.endswith("/admin/users/new"):
        return {"email": "moi@example.vn", "role": "editor", "org": "newsroom", "password": "mat-khau-moi-dai"}
    if url.startswith("/admin/users/"):
        return {"role": "publisher", "org": "newsroom", "active": "y"}
    placeholder = re.search(r"\{(\w+)\}", url).group(1)
    body = {"version": str(world["versions"][placeholder])}
    if url.endswith("/withdraw"):
        body["reason"] = "Đã khắc phục."
    elif url.endswith("/return"):
        body["note"] = "Cần bổ sung nguồn."
    elif url.endswith("}"):  # the edit form itself
        body.update(title="Cảnh báo đã sửa", lang="vi", category="toys", hazards="choking", risk_level="high",
                    product_name="Đồ chơi")
    return body


def _cases():
    """GET routes: one test over all roles. POST routes: one test per allowed role (a POST changes
    state), each first checking that anonymous and forbidden roles are turned away."""
    for method, url, allowed, ok in ROUTES:
        if method == "GET":
            yield method, url, ROLES, allowed, ok
        else:
            for role in sorted(allowed):
                yield method, url, tuple(r for r in ROLES if r not in allowed) + (role,), allowed, ok


CASES = list(_cases())


@pytest.mark.parametrize("method,url,roles,allowed,ok", CASES,
                         ids=[f"{m} {u} {r[-1] if m == 'POST' else 'all'}" for m, u, r, _a, _o in CASES])
def test_route_access(app, world, method, url, roles, allowed, ok):
    for role in roles:
        client = app.test_client()
        if role != "anonymous":
            assert login(client, world["users"][role]).status_code == 302
        target = url.format(**world["ids"])
        if method == "GET":
            response = client.get(target)
        else:
            response = client.post(target, data=form_for(url, world))
        if role == "anonymous":
            assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login?next=")
        elif role in allowed:
            assert response.status_code == ok, (role, response.get_data(as_text=True)[:2000])
            if method == "POST":  # the step really happened: the next page says so
                page = client.get(response.headers["Location"]).get_data(as_text=True)
                assert "flash--success" in page and "flash--error" not in page, (role, page[:3000])
        else:
            assert response.status_code == 403, role
            assert "không có quyền" in response.get_data(as_text=True)


def test_login_page_is_open_to_everyone(client):
    assert client.get("/admin/login").status_code == 200


def test_unknown_items_are_404(app, world):
    client = app.test_client()
    login(client, world["users"][E])
    assert client.get("/admin/warnings/99999").status_code == 404
    assert client.get(f"/admin/warnings/{world['ids']['review']}/revisions/99999").status_code == 404
    assert client.get("/admin/gadgets/").status_code == 404
