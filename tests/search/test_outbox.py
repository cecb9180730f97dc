"""The index follows the database through the outbox, and survives crashes and lock holders."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from portal.content.services import record_change
from portal.extensions import db
from portal.search import indexer, service
from portal.search.query import SearchRequest
from portal.search.store import Position
from tests.factories import create, warning_data

ROOT = Path(__file__).resolve().parents[2]


def found(q: str) -> list[str]:
    return [hit.slug for hit in service.run_search(SearchRequest(q=q)).hits]


def test_publish_update_and_unpublish_follow_the_outbox(app):
    service.apply_pending()
    item = create(warning_data(slug="ghe-an-dam", title="Ghế ăn dặm Bình Minh"))
    assert found("ghe an dam") == []
    assert service.apply_pending() == 1
    assert found("ghe an dam") == ["ghe-an-dam"]

    item.title = "Ghế ăn dặm Hoàng Hôn"
    record_change(item, "save")
    db.session.commit()
    service.apply_pending()
    assert found("hoang hon") == ["ghe-an-dam"] and found("binh minh") == []

    item.status = "draft"
    record_change(item, "unpublish")
    db.session.commit()
    service.apply_pending()
    assert found("ghe an dam") == []
    assert service.status()["applied"] == service.status()["newest"]


def _run(script: str, app, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               SEARCH_INDEX_DIR=app.config["SEARCH_INDEX_DIR"], PORTAL_INSTANCE=app.instance_path)
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args], env=env, cwd=str(ROOT))


def test_update_made_while_another_process_holds_the_writer_lock_is_applied(app, tmp_path):
    service.apply_pending()
    ready = tmp_path / "locked"
    holder = _run("""
        import sys, time
        from pathlib import Path
        from portal.search.store import IndexStore
        store = IndexStore(__import__("os").environ["SEARCH_INDEX_DIR"])
        writer = store.open(store.current()).writer()
        Path(sys.argv[1]).write_text("held")
        time.sleep(1.5)
        writer.cancel()
    """, app, str(ready))
    deadline = time.time() + 30
    while not ready.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    create(warning_data(slug="may-say-toc", title="Máy sấy tóc quá nhiệt"))
    began = time.monotonic()
    assert indexer.Indexer(service.state().store).apply_pending(timeout=20) == 1
    assert time.monotonic() - began > 0.3  # it waited for the other writer instead of failing
    assert holder.wait(30) == 0
    assert found("may say toc") == ["may-say-toc"]


def test_kill_between_database_commit_and_indexing_loses_nothing(app):
    service.apply_pending()
    child = _run("""
        import os, signal
        from portal import create_app
        from tests.factories import create, warning_data
        app = create_app({"TESTING": True})
        with app.app_context():
            create(warning_data(slug="binh-sua-nhua", title="Bình sữa nhựa chứa BPA"))
            os.kill(os.getpid(), signal.SIGKILL)  # committed, never indexed
    """, app)
    assert child.wait(60) == -9
    assert found("binh sua nhua") == []
    service.apply_pending()
    assert found("binh sua nhua") == ["binh-sua-nhua"]


def test_crash_after_index_commit_before_recording_position_applies_again(app, monkeypatch):
    service.apply_pending()
    create(warning_data(slug="o-cam-keo-dai", title="Ổ cắm kéo dài chảy nhựa"))
    store = service.state().store

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(store, "write_position", crash)
    with pytest.raises(KeyboardInterrupt):
        indexer.Indexer(store).apply_pending()
    monkeypatch.undo()
    assert service.apply_pending() == 1
    result = service.run_search(SearchRequest(q="o cam keo dai"))
    assert result.total == 1  # applied twice, indexed once


def test_crash_before_index_commit_keeps_the_row_pending(app, monkeypatch):
    service.apply_pending()
    create(warning_data(slug="xe-day-em-be", title="Xe đẩy em bé gập bất ngờ"))

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(indexer, "write_documents", crash)
    with pytest.raises(KeyboardInterrupt):
        service.apply_pending()
    monkeypatch.undo()
    assert service.apply_pending() == 1
    assert found("xe day em be") == ["xe-day-em-be"]


def test_skipped_outbox_ids_are_awaited_then_given_up():
    position = indexer.Indexer._advance(Position(last=10), [11, 14])
    assert position.last == 14 and set(position.gaps) == {12, 13}
    later = indexer.Indexer._advance(position, [12])
    assert later.last == 14 and set(later.gaps) == {13}


def test_late_commit_below_the_position_is_still_applied(app):
    service.apply_pending()
    early = create(warning_data(slug="den-ngu", title="Đèn ngủ cắm điện"))
    create(warning_data(slug="am-sieu-toc", title="Ấm siêu tốc rò điện"))
    store = service.state().store
    generation = store.current()
    outbox_ids = [row.id for row in db.session.execute(
        db.select(indexer.SearchOutbox).order_by(indexer.SearchOutbox.id.desc()).limit(2)).scalars()]
    # As if the row of "den-ngu" had committed after the newer one was applied.
    store.write_position(generation, Position(last=outbox_ids[0], gaps={outbox_ids[1]: time.time()}))
    service.apply_pending()
    assert found("den ngu") == [early.slug]
    assert store.read_position(generation).gaps == {}


def test_follower_thread_indexes_new_items_and_only_one_process_leads(app):
    from portal.search.indexer import Follower

    service.apply_pending()
    first = Follower(app, service.state().store, interval=0.05)
    second = Follower(app, service.state().store, interval=0.05)
    first.start()
    try:
        deadline = time.time() + 10
        while not first.leader and time.time() < deadline:
            time.sleep(0.02)
        second.start()
        create(warning_data(slug="non-bao-hiem", title="Mũ bảo hiểm không đạt chuẩn"))
        deadline = time.time() + 10
        while not found("mu bao hiem") and time.time() < deadline:
            time.sleep(0.05)
        assert found("mu bao hiem") == ["non-bao-hiem"]
        assert first.leader and not second.leader
    finally:
        first.stop()
        second.stop()
        first.thread.join(5)
        second.thread.join(5)
    db.session.remove()


def test_rebuild_while_searching(app, corpus):
    errors, totals = [], []
    stop = threading.Event()

    def keep_searching():
        with app.app_context():
            while not stop.is_set():
                try:
                    totals.append(service.run_search(SearchRequest(q="sua bot tre em")).total)
                except Exception as exc:  # noqa: BLE001 - collected for the assertion
                    errors.append(exc)

    old = service.state().store.current()
    thread = threading.Thread(target=keep_searching)
    thread.start()
    try:
        for _ in range(2):
            service.rebuild()
    finally:
        stop.set()
        thread.join(30)
    assert errors == []
    assert totals and set(totals) == {1}
    assert service.state().store.current() != old
    assert found("sua bot tre em") == ["sua-bot-nhiem-chi"]


def test_rebuild_command_shows_progress_and_swaps(app, runner, corpus):
    before = service.state().store.current()
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexing" in result.output and "the new index is live" in result.output
    assert service.state().store.current() != before
    status = runner.invoke(args=["search", "status"])
    assert "Outbox rows applied up to" in status.output


def test_missing_index_is_built_by_the_indexer(app):
    create(warning_data(slug="kem-chong-nang", title="Kem chống nắng chứa thủy ngân"))
    assert service.run_search(SearchRequest(q="kem chong nang")).index_ready is False
    service.apply_pending()
    assert found("kem chong nang") == ["kem-chong-nang"]
