"""A list's count and the enforcement filter's choices are read once per content generation.

The count of a filtered list reads up to a thousand matches and the year and authority choices
read every public result; both are kept (`portal.content.memo`) under the generation in the
page's ETag. The other pages of the same list reuse the count; a publication moves the
generation, and the next answer counts again.
"""
from __future__ import annotations

from portal.content import workflow
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.factories import create, sanction_data, warning_data
from tests.feeds.sql_count import count_statements


def counts(statements) -> int:
    return sum(1 for statement, _ in statements if "count(" in statement.lower())


def publish(data: dict) -> None:
    """Publish through the workflow, as an editor and a publisher (or an enforcement officer) would."""
    roles = ("enforcement", "enforcement") if data["type"] == "sanction" else ("editor", "publisher")
    writer, publisher = (make_user(role, email=f"{role}-{n}@example.vn") for n, role in enumerate(roles))
    item = workflow.create_item(writer, data["type"], {**data, "published_at": None})
    db.session.commit()
    workflow.publish(publisher, item, item.version)
    db.session.commit()


def test_the_pages_of_a_list_share_one_count_until_a_publication(app, client):
    for _ in range(25):
        create(warning_data())
    with count_statements() as first:
        assert client.get("/api/v1/warnings?category=toys").get_json()["total"] == 25
    with count_statements() as second:
        answer = client.get("/api/v1/warnings?category=toys&page=2&per_page=10").get_json()
    assert counts(first) == 1 and counts(second) == 0
    assert answer["total"] == 25 and len(answer["items"]) == 10
    with count_statements() as other_list:
        assert client.get("/api/v1/warnings?category=food").get_json()["total"] == 0
    assert counts(other_list) == 1  # another filter is another count

    publish(warning_data())
    with count_statements() as after:
        assert client.get("/api/v1/warnings?category=toys&page=3&per_page=10").get_json()["total"] == 26
    assert counts(after) == 1


def test_the_html_list_reuses_its_count_and_shows_a_new_total_after_a_publication(app, client):
    for _ in range(25):
        create(warning_data())
    assert "25 kết quả" in client.get("/canh-bao?category=toys").get_data(as_text=True)
    with count_statements() as statements:
        page = client.get("/canh-bao?category=toys&page=2")
    assert page.status_code == 200 and counts(statements) == 0
    assert "25 kết quả" in page.get_data(as_text=True)
    publish(warning_data(title="Cảnh báo mới sau khi đếm"))
    html = client.get("/canh-bao?category=toys&page=2").get_data(as_text=True)
    assert "26 kết quả" in html and "25 kết quả" not in html


def test_the_enforcement_choices_follow_a_publication(app, client):
    create(sanction_data())
    html = client.get("/xu-ly-vi-pham").get_data(as_text=True)
    assert 'value="2026"' in html and "Chi cục Quản lý thị trường" not in html
    with count_statements() as statements:
        client.get("/xu-ly-vi-pham?page=1&online=1")
    assert not any("DISTINCT" in statement for statement, _ in statements)
    publish(sanction_data(decision={"number": "9/QĐ-XPHC", "date": "2024-05-02",
                                    "authority": "Chi cục Quản lý thị trường"}))
    html = client.get("/xu-ly-vi-pham").get_data(as_text=True)
    assert 'value="2024"' in html and "Chi cục Quản lý thị trường" in html
