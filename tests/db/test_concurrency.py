"""Real concurrent connections on PostgreSQL: racing publishers, and outbox rows that commit
out of order. SQLite serialises every writer, so there these races cannot happen: skipped."""
from __future__ import annotations

import html
import random
import threading
import time

import pytest

from portal.content import workflow
from portal.content.models import AuditEntry, Revision, SearchOutbox, Warning
from portal.content.schema import apply, validate
from portal.content.services import record_change
from portal.extensions import db
from portal.search import indexer, service
from portal.search.query import SearchRequest
from tests.admin.helpers import logged_in, make_user
from tests.admin.test_editing import WARNING_FORM
from tests.databases import on_postgresql
from tests.factories import warning_data

pytestmark = pytest.mark.skipif(not on_postgresql(), reason="needs concurrent writers: run with a "
                                "PostgreSQL DATABASE_URL (make test-pg)")

STALE = "vừa được người khác thay đổi"


def found(q: str) -> set[str]:
    return {hit.slug for hit in service.run_search(SearchRequest(q=q, per_page=50)).hits}


@pytest.fixture
def meeting_point(monkeypatch):
    """Both requests load the item, then meet here, then run their compare-and-set at once."""
    barrier = threading.Barrier(2, timeout=30)
    original = workflow._check_version
    arrived = []

    def racing(item, expected):
        if threading.current_thread() is not threading.main_thread():
            arrived.append(item.version)
            barrier.wait()
        return original(item, expected)

    monkeypatch.setattr(workflow, "_check_version", racing)
    return arrived


def at_once(*calls):
    """Run each call in its own thread (own app context, own session and connection); their results."""
    results: list = [None] * len(calls)

    def run(i, call):
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def a_warning_in_review(app):
    editor, _ = logged_in(app, "editor", "nguoi-viet@example.vn")
    assert editor.post("/admin/warnings/new", data={**WARNING_FORM, "action": "submit"}).status_code == 302
    item = db.session.execute(db.select(Warning)).scalar_one()
    db.session.commit()
    return item


def save(client, item, version, body):
    def call():
        return client.post(f"/admin/warnings/{item.id}", data={
            **WARNING_FORM, "version": str(version), "body": body, "action": "save"})
    return call


def publish(client, item, version):
    def call():
        return client.post(f"/admin/warnings/{item.id}/publish", data={"version": str(version)})
    return call


def test_two_publishers_saving_the_same_item_at_once_one_wins_the_other_keeps_its_text(app, meeting_point):
    item = a_warning_in_review(app)
    first, _ = logged_in(app, "publisher", "mot@example.vn")
    second, _ = logged_in(app, "publisher", "hai@example.vn")
    version = item.version
    texts = ["Bản sửa của người thứ nhất.", "Bản sửa của người thứ hai, viết rất lâu."]
    responses = at_once(save(first, item, version, texts[0]), save(second, item, version, texts[1]))

    assert meeting_point == [version, version]  # both had loaded the same version before either wrote
    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = [r.status_code for r in responses].index(302)
    loser = 1 - winner
    page = html.unescape(responses[loser].get_data(as_text=True))
    assert texts[loser] in page  # the refused text is shown for merging by hand
    db.session.expire_all()
    item = db.session.get(Warning, item.id)
    assert item.version == version + 1
    assert workflow.working_data(item)["body"] == texts[winner]
    refused = db.session.execute(db.select(AuditEntry).filter_by(action="edit.refused_stale")).scalar_one()
    assert refused.detail["refused"]["body"] == texts[loser]


def test_two_publishers_publishing_the_same_item_at_once_publish_it_once(app, meeting_point):
    item = a_warning_in_review(app)
    first, _ = logged_in(app, "publisher", "mot@example.vn")
    second, _ = logged_in(app, "publisher", "hai@example.vn")
    version = item.version
    responses = at_once(publish(first, item, version), publish(second, item, version))

    assert [r.status_code for r in responses] == [302, 302]
    pages = [html.unescape(client.get(r.headers["Location"]).get_data(as_text=True))
             for client, r in zip((first, second), responses)]
    assert sorted(STALE in page for page in pages) == [False, True]
    db.session.expire_all()
    item = db.session.get(Warning, item.id)
    assert item.status == "published" and item.version == version + 1
    publications = db.session.execute(db.select(db.func.count(Revision.id)).filter_by(
        item_type="warning", item_id=item.id, action="publish")).scalar_one()
    assert publications == 1


def test_an_edit_and_a_publication_racing_from_the_same_version(app, meeting_point):
    item = a_warning_in_review(app)
    writer, _ = logged_in(app, "publisher", "mot@example.vn")
    publisher, _ = logged_in(app, "publisher", "hai@example.vn")
    version = item.version
    text = "Sửa gấp trong lúc người khác bấm xuất bản."
    edited, published = at_once(save(writer, item, version, text), publish(publisher, item, version))

    db.session.expire_all()
    item = db.session.get(Warning, item.id)
    assert item.version == version + 1
    if edited.status_code == 302:  # the edit won: nothing was published, the publisher is told
        assert item.status == "review" and workflow.working_data(item)["body"] == text
        assert STALE in html.unescape(publisher.get(published.headers["Location"]).get_data(as_text=True))
    else:  # the publication won: the edit is refused and its text kept
        assert edited.status_code == 409 and text in html.unescape(edited.get_data(as_text=True))
        assert item.status == "published" and item.body != text


def _hold_open(app, data, allocated: threading.Event, go: threading.Event, errors: list):
    """Write an item and its outbox row, then keep the transaction open until ``go``."""
    try:
        with app.app_context():
            item = Warning()
            apply(item, validate(data))
            record_change(item, "create")
            db.session.flush()  # the outbox id is allocated now ...
            allocated.set()
            assert go.wait(30)
            db.session.commit()  # ... and committed after a later one
            db.session.remove()
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)
        allocated.set()


def test_an_outbox_row_committed_after_a_later_one_is_still_applied(app):
    """A publication holds its transaction open while an editor saves a draft: the draft's
    outbox row has the later id and commits first. (Two public changes cannot interleave like
    this: each takes the content generation row's lock until it commits.)"""
    service.apply_pending()
    editor = make_user("editor", "nhap@example.vn")
    allocated, go, errors = threading.Event(), threading.Event(), []
    slow = threading.Thread(target=_hold_open, args=(app, warning_data(
        slug="noi-ap-suat-cham", title="Nồi áp suất van xả kẹt"), allocated, go, errors))
    slow.start()
    assert allocated.wait(30) and not errors
    draft = workflow.create_item(editor, "warning", {**warning_data(slug="quat-dien-nhap", title="Quạt điện cánh gãy"),
                                                     "published_at": None})
    db.session.commit()
    late_id = db.session.execute(db.select(db.func.max(SearchOutbox.id))).scalar_one()
    assert service.apply_pending() == 1  # only the committed, later row (the draft's) is visible yet
    assert service.status()["applied"] == late_id and draft.status == "draft"
    assert found("quat dien") == set() and found("noi ap suat") == set()

    go.set()
    slow.join(30)
    assert not errors
    assert service.apply_pending() == 1  # the earlier id, committed late, is not skipped
    assert found("noi ap suat") == {"noi-ap-suat-cham"}
    status = service.status()
    assert status["applied"] == status["newest"]


def test_the_follower_applies_every_row_of_many_concurrent_writers(app):
    """Eight writers each commit five items, holding their transactions open for random times,
    while the real follower thread runs; in the end every item is found."""
    service.apply_pending()
    follower = indexer.Follower(app, service.state().store, interval=0.02)
    follower.start()
    errors: list = []

    def writer(n: int) -> None:
        chance = random.Random(n)
        try:
            with app.app_context():
                for k in range(5):
                    item = Warning()
                    apply(item, validate(warning_data(slug=f"hang-dong-thoi-{n}-{k}",
                                                      title=f"Hàng đồng thời {n} {k} kiemtrasongsong")))
                    record_change(item, "create")
                    db.session.flush()
                    time.sleep(chance.uniform(0, 0.05))
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    try:
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        wanted = {f"hang-dong-thoi-{n}-{k}" for n in range(8) for k in range(5)}
        deadline = time.monotonic() + 60
        while found("kiemtrasongsong") != wanted and time.monotonic() < deadline:
            time.sleep(0.1)
        assert found("kiemtrasongsong") == wanted
    finally:
        follower.stop()
        follower.thread.join(30)
