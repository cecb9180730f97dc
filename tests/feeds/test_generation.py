"""The content generation: moves on every public change and time boundary, never on a draft save,
and costs one statement of indexed lookups, so a conditional request is answered before any work."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from portal.content import generation, workflow
from portal.content.models import utcnow
from portal.extensions import db
from tests.admin.helpers import make_user
from tests.factories import _when, create, sanction_data, warning_data

from tests.feeds.sql_count import count_statements


@pytest.fixture
def people(app):
    return {role: make_user(role) for role in ("editor", "publisher", "enforcement")}


def published_warning(people, **overrides):
    item = workflow.create_item(people["editor"], "warning", warning_data(published_at=None, **overrides))
    db.session.commit()
    workflow.publish(people["publisher"], item, item.version)
    db.session.commit()
    return item


def later(minutes: float = 5):
    return time_machine.travel(utcnow() + timedelta(minutes=minutes), tick=False)


def test_draft_saves_leave_the_generation_and_the_validators_alone(client, people):
    item = published_warning(people)
    before = generation.current()
    first = client.get("/canh-bao")
    with later():
        workflow.save_draft(people["editor"], item, {**workflow.working_data(item), "title": "Bản nháp mới"},
                            item.version)
        workflow.submit_for_review(people["editor"], item, item.version)
        fresh = workflow.create_item(people["editor"], "warning", warning_data(published_at=_when(-3)))
        db.session.commit()
        assert fresh.status == "draft"
        assert generation.current() == before
        again = client.get("/canh-bao", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert client.get("/canh-bao", headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
        assert client.get("/canh-bao").headers["Last-Modified"] == first.headers["Last-Modified"]


@pytest.mark.parametrize("change", ["publish", "withdraw", "archive", "update"])
def test_every_public_change_moves_the_generation(client, people, change):
    item = published_warning(people)
    before = generation.current()
    first = client.get(f"/canh-bao/{item.slug}")
    with later():
        if change == "publish":
            published_warning(people)
        elif change == "withdraw":
            workflow.withdraw_warning(people["publisher"], item, "Nhà sản xuất đã khắc phục.", item.version)
        elif change == "archive":
            workflow.archive(people["publisher"], item, item.version)
        else:
            workflow.save_draft(people["editor"], item, {**workflow.working_data(item), "title": "Tiêu đề sửa"},
                                item.version)
            workflow.publish(people["publisher"], item, item.version, change_note="Sửa tiêu đề.")
        db.session.commit()
        after = generation.current()
        assert after.key != before.key and after.modified > before.modified
        response = client.get(f"/canh-bao/{item.slug}", headers={"If-None-Match": first.headers["ETag"],
                                                                 "If-Modified-Since": first.headers["Last-Modified"]})
    assert response.status_code in (200, 404)  # archived: gone from the public, not "unchanged"
    assert response.status_code == (404 if change == "archive" else 200)


def test_scheduled_item_going_live_moves_the_generation_without_a_write(people):
    item = workflow.create_item(people["editor"], "warning", warning_data(published_at=None))
    db.session.commit()
    workflow.schedule(people["publisher"], item, utcnow() + timedelta(hours=2), item.version)
    db.session.commit()
    before = generation.current()
    with time_machine.travel(item.published_at - timedelta(seconds=1), tick=False):
        assert generation.current() == before
    with time_machine.travel(item.published_at + timedelta(seconds=1), tick=False):
        live = generation.current()
    assert live.key != before.key and live.modified == item.published_at


def test_enforcement_window_opening_and_closing_move_the_generation(app):
    item = create(sanction_data(published_at=_when(-1), published_from=_when(1), published_until=_when(3)))
    before = generation.current()
    with time_machine.travel(item.published_from + timedelta(seconds=1), tick=False):
        opened = generation.current()
    with time_machine.travel(item.published_until + timedelta(seconds=1), tick=False):
        closed = generation.current()
    assert len({before.key, opened.key, closed.key}) == 3
    assert opened.modified == item.published_from and closed.modified == item.published_until


def test_the_generation_is_one_statement_whatever_the_number_of_items(app):
    counts = []
    for _ in range(2):
        for _ in range(30):
            create(warning_data())
        with count_statements() as statements:
            generation.current()
        counts.append(len(statements))
    assert counts == [1, 1]


def test_the_generation_reads_through_indexes(app):
    """Each lookup is an index seek on SQLite (no scan of a content table)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plan")
    create(warning_data())
    with count_statements() as statements:
        generation.current()
    sql, params = statements[0]
    plan = db.session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
    details = [row[-1] for row in plan]
    scans = [d for d in details if d.startswith("SCAN") and d != "SCAN CONSTANT ROW"]
    assert not scans and not any("TEMP B-TREE" in d for d in details), details
    assert sum(" INDEX ix_" in d for d in details) >= len(generation.BOUNDARIES), details


@pytest.mark.parametrize("url", ["/canh-bao/export.xlsx", "/xu-ly-vi-pham/export.csv", "/sitemap.xml",
                                 "/feeds/warnings.atom", "/en/warnings", "/api/v1/warnings"])
def test_conditional_requests_are_answered_from_the_generation_alone(client, app, url):
    for _ in range(3):
        create(warning_data())
        create(sanction_data())
    first = client.get(url)
    assert first.status_code == 200
    with count_statements() as statements:
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert len(statements) == 1  # the generation; nothing of the page, feed, export or sitemap is read


def test_a_worker_reuses_the_generation_it_read_for_the_ttl(client, app, people):
    """Under load each worker asks the database at most once per PORTAL_GENERATION_TTL; its own
    public changes are seen at once, and a TTL of 0 asks on every request."""
    app.config["PORTAL_GENERATION_TTL"] = 60
    generation.RECENT.forget()
    create(warning_data())
    client.get("/")
    with count_statements() as statements:
        again = client.get("/api/v1/warnings", headers={"If-None-Match": "W/\"none\""})
    assert again.status_code == 200
    assert not any("content_generation" in sql for sql, _ in statements)  # the kept generation
    before = client.get("/").headers["ETag"]
    create(warning_data())  # a public change in this process (bump) forgets the kept value
    assert client.get("/").headers["ETag"] != before
    app.config["PORTAL_GENERATION_TTL"] = 0
    with count_statements() as statements:
        client.get("/", headers={"If-None-Match": before})
    assert any("content_generation" in sql for sql, _ in statements)


def test_tests_read_the_generation_on_every_request(app):
    assert app.config["PORTAL_GENERATION_TTL"] == 0
