"""Personal data of a complaint never reaches a public surface: pages, search, feeds, API,
exports, sitemap, statistics. One marker string sits in every field the person fills."""
from __future__ import annotations

import io
from pathlib import Path

from portal.complaints import handling, retention
from portal.extensions import db
from portal.search import service as search_service
from tests.complaints.helpers import file_complaint, handler, latest, png_bytes
from tests.factories import article_data, create, sanction_data, warning_data
from tests.test_site_crawl import Links, internal

MARKER = "Zqxw7priv"
FIELDS = ("business_name", "business_address", "product", "description", "happened_where", "wanted",
          "contact_name", "contact_address")
SURFACES = ["/", "/en/", "/sitemap.xml", "/robots.txt", "/feeds/", "/en/feeds/", "/canh-bao", "/huong-dan",
            "/xu-ly-vi-pham", "/en/warnings", "/gioi-thieu", "/thong-ke/phan-anh", "/en/statistics/complaints",
            f"/tim-kiem?q={MARKER}", f"/en/search?q={MARKER}", f"/tim-kiem?q={MARKER.lower()}",
            "/api/v1/warnings", "/api/v1/articles", "/api/v1/sanctions", f"/api/v1/search?q={MARKER}",
            "/api/v1/openapi.json", "/phan-anh", "/phan-anh/tra-cuu"]


def _file_with_markers(client):
    fields = {name: f"{MARKER} {name} văn bản đủ dài cho mô tả sự việc" for name in FIELDS}
    response = file_complaint(client, contact_email=f"{MARKER.lower()}@example.vn", contact_phone="0900111222",
                              files=[(io.BytesIO(png_bytes()), f"{MARKER}.png")], **fields)
    assert response.status_code == 303
    complaint = latest()
    officer = handler()
    handling.add_note(officer, complaint, f"{MARKER} note", complaint.version)
    handling.send_message(officer, complaint, f"{MARKER} message", complaint.version)
    handling.change_status(officer, complaint, "forwarded", complaint.version)
    handling.assign(officer, complaint, f"{MARKER} agency", officer.id, complaint.version)
    db.session.commit()
    return complaint


def _crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        body = response.get_data().decode("utf-8", errors="replace")
        response.close()
        seen[path] = body
        if response.status_code in (301, 302, 303, 308):
            target = internal("http://localhost" + path, response.headers["Location"])
            if target:
                queue.append(target)
            continue
        if "html" in response.content_type or "xml" in response.content_type:
            parser = Links()
            parser.feed(body)
            for link in parser.found:
                target = internal("http://localhost" + path, link)
                if target and target not in seen and target.count("&") < 1 and not target.startswith("/static/"):
                    queue.append(target)
    return seen


def test_no_public_surface_carries_a_complaint(app, client):
    for data in (warning_data(), article_data(), sanction_data()):
        create(data)
    db.session.commit()
    _file_with_markers(client)
    search_service.apply_pending()
    pages = _crawl(app.test_client(), SURFACES)
    assert len(pages) > 40
    # Search pages echo the query itself; what must never show is a field's text, the e-mail,
    # the phone, the file name or a handler's words.
    needles = [f"{MARKER} {name}".lower() for name in FIELDS + ("note", "message", "agency")]
    needles += [f"{MARKER.lower()}@example.vn", "0900111222", "0900 111 222", f"{MARKER}.png".lower()]
    leaks = [(path, needle) for path, body in pages.items() for needle in needles if needle in body.lower()]
    assert leaks == []
    echoed = [path for path, body in pages.items() if MARKER.lower() in body.lower()]
    assert all(MARKER.lower() in path.lower() for path in echoed), [p for p in echoed if MARKER.lower() not in p.lower()]
    for fmt in ("csv", "xlsx"):
        for kind in ("canh-bao", "xu-ly-vi-pham"):
            response = client.get(f"/{kind}/export.{fmt}")
            assert response.status_code == 200
            assert MARKER.lower().encode() not in response.get_data().lower()
            response.close()
    statistics = client.get("/thong-ke/phan-anh").get_data(as_text=True)
    assert "Thực phẩm, đồ uống" in statistics  # the complaint is counted, nothing of it shown


def test_the_search_index_never_holds_complaints(app, client):
    _file_with_markers(client)
    search_service.rebuild()
    for query in (MARKER, MARKER.lower(), "0900111222"):
        assert search_service.state().pool and client.get(f"/api/v1/search?q={query}").get_json()["total"] == 0


def test_the_status_page_shows_no_contact_details(client):
    complaint = _file_with_markers(client)
    page = client.post("/phan-anh/tra-cuu", data={"code": complaint.code, "contact": "0900111222"}).get_data(as_text=True)
    assert "Đã chuyển cơ quan có thẩm quyền" in page
    # The person sees the message sent to them; nothing else they or the handlers wrote.
    assert page.count(MARKER) == 1 and f"{MARKER} message" in page


def test_the_statistics_have_no_personal_columns():
    from portal.complaints import stats

    source = Path(stats.__file__).read_text(encoding="utf-8")
    for column in retention.PERSONAL_FIELDS + ("business_name", "product", "assigned_org"):
        assert f"Complaint.{column}" not in source
