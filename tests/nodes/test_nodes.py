"""Nodes record their index position; the outbox is pruned behind the live ones; a node away
longer than the retention rebuilds by itself."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.content.models import SearchOutbox, utcnow
from portal.extensions import db
from portal.search import nodes
from portal.search.indexer import Indexer
from portal.search.query import SearchRequest
from portal.search.query import search as whoosh_search
from portal.search.service import state
from portal.search.store import Position
from tests.factories import create, warning_data

DAY = 24 * 3600


@pytest.fixture
def other(app, tmp_path):
    """A second node: the same database, its own index directory."""
    node = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "MEDIA_DIR")},
                       "INSTANCE_PATH": str(tmp_path / "other-instance"), "TESTING": True,
                       "SEARCH_INDEX_DIR": str(tmp_path / "other-index"), "SEARCH_NODE_ID": "node-b"})
    yield node
    with node.app_context():
        db.session.remove()
        db.engine.dispose()


def apply(node_app) -> int:
    with node_app.app_context():
        indexer = Indexer(state(node_app).store)
        try:
            return indexer.apply_pending()
        finally:
            indexer.close()
            db.session.remove()


def record(node_app, when=None):
    with node_app.app_context():
        row = nodes.record(node_app, state(node_app).store, now=when)
        out = (row.node_id, row.last_applied, row.safe_applied) if row else None
        db.session.remove()
        return out


def outbox_ids() -> list[int]:
    db.session.rollback()
    return list(db.session.execute(sa.select(SearchOutbox.id).order_by(SearchOutbox.id)).scalars())


def slugs(node_app, q: str) -> list[str]:
    with node_app.app_context():
        return [hit.slug for hit in whoosh_search(state(node_app).pool, SearchRequest(q=q)).hits]


def test_each_node_records_its_own_position(app, other):
    app.config["SEARCH_NODE_ID"] = "node-a"
    apply(app), apply(other)  # both build an index
    create(warning_data(slug="noi-chien-khong-dau", title="Nồi chiên không dầu quá nhiệt"))
    apply(app)
    newest = outbox_ids()[-1]
    assert record(app) == ("node-a", newest, newest)
    assert record(other)[0] == "node-b"
    rows = {row.node_id: row for row in db.session.execute(sa.select(nodes.SearchNode)).scalars()}
    assert rows["node-a"].index_dir != rows["node-b"].index_dir
    assert rows["node-b"].last_applied < newest  # b has not applied the new row yet
    assert record(app)[0] == "node-a"  # recording again updates the same row
    assert db.session.execute(sa.select(sa.func.count()).select_from(nodes.SearchNode)).scalar() == 2


def test_default_node_id_differs_per_index_directory(app, other):
    other.config["SEARCH_NODE_ID"] = ""
    assert nodes.node_id(app) != nodes.node_id(other)


def test_prune_keeps_what_a_live_node_has_not_applied(app, other):
    app.config["SEARCH_NODE_ID"] = "node-a"
    for n in range(3):
        create(warning_data(slug=f"ban-la-{n}", title=f"Bàn là hơi nước {n}"))
    apply(app), apply(other)
    b_position = record(other)[1]
    assert b_position == outbox_ids()[-1]
    for n in range(4):
        create(warning_data(slug=f"may-say-toc-{n}", title=f"Máy sấy tóc {n}"))
    apply(app)
    record(app)
    before = outbox_ids()
    assert nodes.prune(keep_for=DAY) == 2  # the two rows below b's position; b's own row is kept
    kept = outbox_ids()
    assert kept == [i for i in before if i >= b_position]  # b still needs the rows after its position
    assert not nodes.missed_rows(state(other).store)

    apply(other)
    record(other)
    assert nodes.prune(keep_for=DAY) > 0
    assert outbox_ids() == [before[-1]]  # the newest row stays: the outbox never empties
    assert slugs(other, "may say toc") and not nodes.missed_rows(state(other).store)


def test_rows_awaited_as_gaps_are_not_pruned(app, other):
    app.config["SEARCH_NODE_ID"] = "node-a"
    for n in range(3):
        create(warning_data(slug=f"am-sieu-toc-{n}", title=f"Ấm siêu tốc {n}"))
    apply(app), apply(other)
    ids = outbox_ids()
    store = state(other).store
    generation = store.current()
    # b saw the newest id but is still waiting for an earlier one (an uncommitted transaction).
    store.write_position(generation, Position(last=ids[-1], gaps={ids[1]: 0.0}))
    record(app), record(other)
    nodes.prune(keep_for=DAY)
    assert ids[1] in outbox_ids()
    assert nodes.safe_point(store.read_position(generation)) == ids[1] - 1


def test_a_node_away_longer_than_the_retention_rebuilds_by_itself(app, other):
    app.config["SEARCH_NODE_ID"] = "node-a"
    apply(app), apply(other)
    record(other, when=utcnow() - timedelta(days=10))  # b was last seen ten days ago
    item = create(warning_data(slug="bep-tu-chap-dien", title="Bếp từ chập điện"))
    for n in range(3):
        create(warning_data(slug=f"quat-suoi-{n}", title=f"Quạt sưởi {n}"))
    apply(app)
    record(app)
    assert nodes.prune(keep_for=7 * DAY) > 0  # b is no longer waited for
    with other.app_context():
        assert nodes.missed_rows(state(other).store)
        tracker = nodes.NodeTracker(other, state(other).store)
        assert tracker.catch_up() is True  # rebuilt from the database
        assert not nodes.missed_rows(state(other).store)
        db.session.remove()
    assert slugs(other, "bep tu chap dien") == [item.slug]
    # Within the retention nothing is rebuilt: a fresh tracker finds nothing missed.
    with other.app_context():
        assert nodes.NodeTracker(other, state(other).store).catch_up() is False
        db.session.remove()


def test_the_tracker_reports_and_prunes_without_stopping_on_errors(app, monkeypatch):
    app.config["SEARCH_NODE_ID"] = "node-a"
    app.config["SEARCH_NODE_RETENTION"] = DAY
    create(warning_data(slug="sac-du-phong", title="Sạc dự phòng phồng pin"))
    create(warning_data(slug="sac-du-phong-2", title="Sạc dự phòng 2"))
    apply(app)
    tracker = nodes.NodeTracker(app, state(app).store)
    tracker.report()  # the only live node: everything below its position is pruned
    assert outbox_ids() == [outbox_ids()[-1]]
    assert db.session.get(nodes.SearchNode, "node-a").last_applied == outbox_ids()[-1]

    def unavailable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("no such table: search_nodes"))

    monkeypatch.setattr(nodes, "record", unavailable)
    monkeypatch.setattr(nodes, "missed_rows", unavailable)
    broken = nodes.NodeTracker(app, state(app).store)
    broken.report()  # logged, not raised: the follower keeps applying the outbox
    assert broken.catch_up() is False
